garbage before redcode
;redcode
;name First
;assert 1
 dat 1
;redcode
 dat 2
