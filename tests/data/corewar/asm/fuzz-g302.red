;assert MAXLENGTH>5
 dat a
i for 0
 ldp.ba {5, @x/CURLINE*CURLINE&&-3+loop
 dat.ab $(-3), (loop%b)
x dat -7999*CORESIZE>7999--CORESIZE, {a!=_u%(x)==(MAXLENGTH)
_u: sub *(0*loop)<_u>=-3!=MAXLENGTH, {x%b||top+0==(a)!=b
x x
x: seq.i #x
b equ ((_u)<loop==CORESIZE)
b equ 0>CURLINE>=top<=(a)!=ptr
 rof
