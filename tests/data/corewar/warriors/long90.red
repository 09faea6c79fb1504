;redcode-94
;name Long Ninety
;author arena tests
;strategy 90 instructions from FOR; fails -l 50, needs -d >= length.
start
i       for     89
        mov.i   i, i*7
        rof
        jmp     start
        end     start
