;assert 1
 org 1
 dat 0
x dat 1
 end x
