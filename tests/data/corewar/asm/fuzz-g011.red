;name 
i for 2
 loop
 dat $x
a jmp MAXLENGTH
 rof
 org ((-5))
 djn.i $b>=x>=1*(7999)
Q9 stp.b $_u
 pin (MAXLENGTH)&&(ptr)&&Q9
 for 3
 rof
