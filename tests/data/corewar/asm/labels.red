;assert 1
a       mov a, b
b:      mov b, a
c d e   dat c, e
f:g     dat f, g
        jmp a
        jmp c
