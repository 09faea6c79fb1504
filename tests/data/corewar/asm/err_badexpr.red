;assert 1
 dat 1+
