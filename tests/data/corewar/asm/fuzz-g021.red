;assert MAXLENGTH>5
b&i add {a>=MAXLENGTH==(Q9)
 equ stp.ba *a>=a&&x+CORESIZE<=0+ptr/(5)
_u  ldp.b *MAXLENGTH!=1+a!=(ptr!=4000), $-CURLINE>=-3||-3<=0*5<=loop
x equ jmn.x *loop%5, #0<5
 spl.q (top)/(_u)==a>=x*x&&1, $b%MAXLENGTH+ptr
