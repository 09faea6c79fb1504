;assert 1
 equ 5
 dat 0
