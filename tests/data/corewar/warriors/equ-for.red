;redcode-94
;name FOR Unroller
;author arena tests
;strategy EQU constants and a FOR/ROF block with &-concatenated labels.
step    equ     (CORESIZE/5+3)
n       equ     6
start
i       for     n
        mov.i   bomb, step*i
        rof
        jmp     start
bomb    dat     #0, #0
        end     start
