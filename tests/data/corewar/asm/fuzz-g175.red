;assert CORESIZE==8000
;name 
b  dat.a @b, #CORESIZE-MAXLENGTH+x*CURLINE
