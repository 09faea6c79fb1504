;assert 1
start first i for 2
        dat i
        rof
        jmp start
        jmp first
