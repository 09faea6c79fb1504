;assert 1
        dat 0
x       dat 1
        mov 0, 1
        org x+1
