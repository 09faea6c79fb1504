;assert 1
 end 5==7999||1&&1==MAXLENGTH*1%5
b equ djn.x *4000
 pin x
 stp.f <-Q9!=0, #CURLINE==--loop
j for 0
 jmz.ba $5, #b||x*1
j for 1
 rof
 rof
