;redcode-94
;name Not 88
;author arena tests
;strategy Uses '94 modifiers and modes; must fail to assemble with -8.
start   mov.i   }1, >2
        seq.ab  #1, *2
        jmp     start
        end     start
