;assert 1
 mov 0, nowhere
 dat 0
