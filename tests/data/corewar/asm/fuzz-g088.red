 end (ptr/(Q9))
 org (CURLINE)*(Q9)&&1
a equ a
 dat.a *loop, *1
