;assert 0
;name W
loop: djn.ba {loop, 0
 spl.ab #(loop)*((x)), $-3||a*loop-a
 stp >(b)
 equ spl.ba $MAXLENGTH+1<loop||CORESIZE, $-3&&0+4000==Q9||7999>1
 jmp.f $b+CURLINE, }-3&&0+a%top
Q9  mod.a @(4000<b+(7999)), {((a))
 stp.q $(CURLINE>=loop||_u)
x&i mul #b
 mul.b $(7999), >CORESIZE
