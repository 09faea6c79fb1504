;assert MAXLENGTH>5
ptr  spl x, }(Q9>=x)*(4000*MAXLENGTH)
 pin loop!=-3||CURLINE==(7999+4000)
 mod.b }(-CORESIZE<MAXLENGTH), 5>=(b)
