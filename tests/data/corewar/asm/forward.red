;assert 1
        jmp later
        dat later, later+1
        dat 2*later, later*2
later   dat 0, 0
        jmp later-1
