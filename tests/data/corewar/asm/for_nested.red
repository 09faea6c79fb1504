;assert 1
i       for 2
j       for 3
        dat i, j
        rof
        rof
