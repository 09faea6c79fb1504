;assert MAXLENGTH>5
x  slt.a *MAXLENGTH, #(b)
loop equ x<=0==5+x>0
 div.b MAXLENGTH, @CORESIZE
a djn.ba {MAXLENGTH, *-top
 ldp.q $7999||7999>=-a+top, #1
