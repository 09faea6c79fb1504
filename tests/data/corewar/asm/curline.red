;assert 1
 dat CURLINE
 dat CURLINE
 for 3
 dat CURLINE
 rof
