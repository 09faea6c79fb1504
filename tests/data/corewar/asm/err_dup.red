;assert 1
 for 3
 dat 1/0 $
 rof
