;assert 0
 djn.ba {x+MAXLENGTH*0||4000*1, @x
 dat.x *CURLINE, <((7999/Q9))
 sne.i #CURLINE, #_u!=5/CURLINE!=5/b
a sne $MAXLENGTH+top-loop*-1+(5), >b
a&i mov $MAXLENGTH, (top>loop)<=top<=_u/1
b: djn.i $((MAXLENGTH)), 0%(ptr<b)
Q9 equ MAXLENGTH>5>=5
loop equ sne.q b
 spl @4000, @7999<=(5)%7999<=-3
