;redcode-94
;name Assert 8000
;author arena tests
;strategy Only runs when CORESIZE is 8000 (assertion fails otherwise).
;assert CORESIZE == 8000 && MAXPROCESSES >= 8
        add.ab  #2667, 1
        mov.i   0, 0
        jmp     -2
        end
