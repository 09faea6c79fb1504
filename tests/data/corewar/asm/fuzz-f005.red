;assert 1
 jmp.x a
