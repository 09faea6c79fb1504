;assert 0
b spl @(MAXLENGTH<=b)==(b)||(a), @ptr
ptr  cmp.a @Q9, Q9+-1
top equ (Q9*_u+(-3))
_u: djn.f *0>=MAXLENGTH, {0<CORESIZE+CURLINE
 sne.a *-3
