;redcode-94
;name Imp Spiral
;author arena tests
;strategy Vector-launched imp spiral using * { and } modes.
;assert CORESIZE == 8000
istep   equ     2667
start   spl     1
        spl     1
        spl     1
        spl     2
        jmp     @vec, }vec
        jmp     *vec, >vec
vec     dat     #imp, imp
        dat     0, 0
imp     mov.i   #istep, *0
        end     start
