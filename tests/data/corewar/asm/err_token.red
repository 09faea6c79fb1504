;assert 1
 mov 0, 1
 foo 3
 dat 0
