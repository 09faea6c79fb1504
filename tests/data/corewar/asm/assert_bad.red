;assert foo bar
 dat 0
