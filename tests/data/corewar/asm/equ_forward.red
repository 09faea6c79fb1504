;assert 1
        dat val, val+1
val     equ 7
        dat val
