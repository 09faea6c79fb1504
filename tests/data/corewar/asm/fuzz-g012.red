x: div.i *MAXLENGTH!=7999
 mov.x @top, (MAXLENGTH)&&loop
 pin top
 nop (loop<=_u)>=(5), *(-3)>=-3<=CURLINE>=CORESIZE
 org loop
 end 5-(4000)/5-Q9*_u
