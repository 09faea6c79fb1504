;assert 1
pair    equ mov 0, 1
        equ dat 2, 3
        pair
        jmp -1
