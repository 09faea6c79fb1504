; redcode
bad line here
;assert 1
 dat 1
