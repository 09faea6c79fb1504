;assert 1
n       equ 2
        for n+1
        nop
        rof
        for CORESIZE/4000
        dat 0
        rof
