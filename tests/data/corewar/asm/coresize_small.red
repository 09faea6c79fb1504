;assert CORESIZE == 800
 dat -1, 400
 dat 401, -401
 mov 799, 800
