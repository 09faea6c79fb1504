;assert CORESIZE==8000
loop equ 0>=MAXLENGTH-0&&CURLINE<5
_u spl.a top==(7999), <ptr
Q9 cmp.ba 5, #4000
ptr jmz {0, x
 slt.i @5+ptr<=b+0%top>=x, *x
x: seq.ba $((ptr)), #-Q9
