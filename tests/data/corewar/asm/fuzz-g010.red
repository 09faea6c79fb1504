;assert x
;name 
 mov.q #top
x  jmn.i $CURLINE, x
;trace
