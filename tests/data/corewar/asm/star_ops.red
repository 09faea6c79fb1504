;assert 1
x equ 3
 dat x*2, 2*x
 dat x>2, x<2
 mov *x, 2*3
