;assert CORESIZE==8000
_u equ (1>=loop&&(MAXLENGTH))
