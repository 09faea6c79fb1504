;assert MAXLENGTH>5
 jmp.i {a!=MAXLENGTH>MAXLENGTH+ptr>=a+_u, *a*(0)<1/a>=5
x jmp.i #MAXLENGTH-CORESIZE||(7999)||(b)<-CORESIZE, (1)<1==MAXLENGTH+(ptr)+(x)
 pin top==4000!=1+ptr>top
