;assert 1
lab : dat 0
lab2: jmp lab
