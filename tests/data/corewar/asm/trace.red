;assert 1
;trace
 dat 0
 dat 1
;trace off
 dat 2
;break
 dat 3
 dat 4
