;assert 1
        for 3
        dat 1, 2
        rof
        jmp 0
