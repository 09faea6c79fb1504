;assert 1

 dat.f 
a equ x+1
) != 7 ;name a i rof
CORESIZE = ;trace >= 100
