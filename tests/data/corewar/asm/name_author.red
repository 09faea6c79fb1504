;name   Spaced   Name  
;author
;assert 1
 dat 0
