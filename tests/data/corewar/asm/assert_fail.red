;redcode
;assert CORESIZE == 800
 dat 0
