;assert 1
 mov 0,
 dat 0
