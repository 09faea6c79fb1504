;redcode-94
;name SPL Flood
;author arena tests
;strategy SPL 0 floods the process queue up to the limit, then bombs.
start   spl     0, 0
        mov.i   bomb, }ptr
        djn.f   -1, <ptr
ptr     dat     #5, #-5
bomb    dat     #0, #0
        end     start
