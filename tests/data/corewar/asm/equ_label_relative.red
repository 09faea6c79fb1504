;assert 1
top     dat 0
rel     equ top
        dat rel, rel
        dat rel, rel
