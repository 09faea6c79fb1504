;redcode
;assert CORESIZE == 8000 && MAXLENGTH >= 10
;assert VERSION >= 90
 dat 0
