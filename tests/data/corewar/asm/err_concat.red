;assert 1
 for 2
x&q dat 0
 rof
