;assert 1
 mov.q 0, 1
