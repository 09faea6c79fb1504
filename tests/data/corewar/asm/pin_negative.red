;assert 1
 pin -7
 dat 0
