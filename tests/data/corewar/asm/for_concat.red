;assert 1
i       for 3
x&i     dat i, 0
        rof
        jmp x01
        jmp x02
        jmp x03
