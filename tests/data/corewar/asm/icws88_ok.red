;assert 1
 mov 0, 1
 dat #0, #1
 jmp -1
 spl 2
 djn -1, <3
 add #4, 1
 cmp 1, 2
 slt #1, 2
 end 1
