 mov 0, 1
