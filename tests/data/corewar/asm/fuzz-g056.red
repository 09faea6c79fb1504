;assert MAXLENGTH>5
 add >4000, $0
x equ x*MAXLENGTH>0>Q9
 slt.x >_u--3||-3<(_u)>1, @a
 equ mod.a 0, _u
a equ (top)<=b<=Q9
;redcode
