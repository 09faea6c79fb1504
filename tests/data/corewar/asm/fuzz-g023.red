 dat.q @CURLINE-loop||CORESIZE%1/(ptr)
 pin ptr<=a||0*ptr<=ptr
a  mod @_u==loop-(CORESIZE)-(CORESIZE)+4000/top
_u equ -1
b equ sub.q {(-3), {5&&x
 jmz.x <a%loop+4000>=top-loop
 ldp.i #Q9<loop%CURLINE<=b, <0
 pin CORESIZE<=x*(7999)/-ptr>_u+CORESIZE
