;assert 1
 dat 1 + 2, 3 * 4
 dat 0 0, 1 2
 mov # 5 , @ 2
