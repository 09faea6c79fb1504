;assert 1
y ldp % -3
_ y CURLINE \
 jmp 7
CURLINE &i
x ldp
;trace for ldp # .
 dat.x * && y :
