;name One
;name Two
;author A
;author B
;assert 1
 dat 0
