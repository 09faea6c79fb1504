;assert 1
 for 2
 dat 0
