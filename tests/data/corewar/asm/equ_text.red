;assert 1
sum     equ 1+2
        dat sum*3, (sum)*3
inst    equ mov 0,
        inst 1
