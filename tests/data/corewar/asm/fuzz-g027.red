;assert CORESIZE==8000
;name   spaced  
 jmp @b||0
 jmn *MAXLENGTH-MAXLENGTH, {(5)
