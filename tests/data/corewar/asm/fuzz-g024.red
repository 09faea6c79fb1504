;assert 1
;name 
 div.q @-3, @7999
 end -CURLINE>b%ptr
ptr  sub @loop||(a), @top-CURLINE
Q9: slt.ba *4000, {(0)||x*_u-a!=x
a equ ptr<=CURLINE==(_u)-x*MAXLENGTH%-3
 for 3
top equ ldp.ba $--a||0
 dat.a (CURLINE), {Q9
j for 1
 rof
 rof
