;assert 1
; a comment line
 mov 0, 1 ; trailing comment
 dat 1 ;; x
	dat	2	;tabs
