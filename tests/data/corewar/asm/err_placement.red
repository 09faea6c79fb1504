;assert 1
 mov 0, #1 #2
 dat 1, $2
