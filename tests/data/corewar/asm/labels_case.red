;assert 1
Top     dat 0
top     dat 1
TOP     dat 2
        jmp Top
        jmp top
        jmp TOP
        JMP top
