;assert MAXLENGTH>5
 end b<=(CORESIZE/-3)
;debug off
 equ stp.x {0
 mul.b @-5*_u/MAXLENGTH<=Q9*top
b equ loop<=CURLINE-a||ptr
 seq.i *CURLINE==Q9>=-3<x>x<=--3, }loop
 djn.ab >1, #(ptr==a+ptr)
