;assert 1
        for 2
x       dat 0
        rof
        jmp x
