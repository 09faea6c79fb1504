;redcode-94
;name Big Fields
;author arena tests
;strategy Negative and larger-than-core field values, normalised by the loader.
start   mov.i   #-1, 7999
        add.ab  #12000, -8001
        sub.ba  #-16000, 24001
        jmp     start, -123456
        dat     #8000, #-8000
        end     start
