;assert 1
1 > = %
CURLINE end &i CURLINE , ,

 mov.ab + >=
) y \
 seq -3
i equ 3
ldp . nop .i 7 CORESIZE rof
