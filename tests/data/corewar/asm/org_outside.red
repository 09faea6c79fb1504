;assert 1
        dat 0
        org 5
