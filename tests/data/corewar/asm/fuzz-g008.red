;assert CORESIZE==8000
j for 3
_u equ (ptr/Q9)+(1>=-3)
;redcode
;trace
 mul @1, CURLINE||0*(top)
 div.b *1
