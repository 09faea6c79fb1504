;assert 1
 jmp 5
 jmp @5
 spl #3
 nop >2
