;assert 1
i       for 4
        dat i, i*10
        rof
