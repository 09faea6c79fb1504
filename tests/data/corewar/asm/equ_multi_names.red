;assert 1
a b     equ 5
        dat a, b
