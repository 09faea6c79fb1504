;assert 1
org equ == ldp _ .f
 seq 
 seq || &i ,
