;redcode-94
;name MUL Stone
;author arena tests
;strategy Computes bomb addresses with MUL and MOD; steps through core pseudo-randomly.
start   mul.ab  #17, ptr
        add.ab  #3, ptr
        mod.ab  #7919, ptr
        mov.i   bomb, @ptr
        jmp     start
ptr     dat     #0, #1
bomb    dat     #0, #0
        end     start
