;assert 1
a equ b
b equ a+1
 dat a
