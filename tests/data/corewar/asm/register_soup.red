;assert 1
 dat x y, 1
