;assert 1
 dat 0
 rof
