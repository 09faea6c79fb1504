;assert 1
        for 0
        dat 9, 9
        rof
        dat 1
