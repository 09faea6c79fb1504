;assert 1
i for 2
v&i equ i*100
 dat v&i
 rof
