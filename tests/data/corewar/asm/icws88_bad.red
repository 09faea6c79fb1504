;assert 1
 mov.i 0, 1
 mov }1, 2
 dat 1, 2
 mul 1, 2
 jmp #1
 org 0
