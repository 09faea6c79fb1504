;assert 1
 end 1
 for 2
top jmn.a top
x&i cmp.a }-CORESIZE+(-3), #5
top nop.a #_u, #-3/a
 dat.b >CURLINE, {-(MAXLENGTH)&&(MAXLENGTH)
Q9 equ jmz.x a, -0&&7999
 sub.ab #ptr<Q9%-7999!=(0)>=MAXLENGTH+7999, *top
 rof
