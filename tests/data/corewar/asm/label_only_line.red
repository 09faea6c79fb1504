;assert 1
start
 mov 0, 1
 jmp start
