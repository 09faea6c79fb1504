;name W
 jmz.x >Q9, #(CURLINE)<Q9>=4000
;redcode
top equ ((_u))
x equ ptr<_u%x%5!=x/CURLINE-_u
 end 0
loop equ sne _u, (a)
a sub 7999, >(CURLINE==top*_u)
