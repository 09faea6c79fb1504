;assert 1
 dat 0, 5%0
