;assert 1
size    equ 10
twice   equ size*2
        dat size, twice
        dat #size+1, #twice-1
