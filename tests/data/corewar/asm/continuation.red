;assert 1
 mov 0, \
 1
 dat 5
 dat 1,\
 2
 dat x
