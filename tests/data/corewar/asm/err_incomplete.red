;assert 1
 mov 0
 add #1
