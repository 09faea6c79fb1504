;name   spaced  
 end Q9
_u  slt 5, <0
 ptr
i for 2
ptr equ 7999||a&&Q9-loop==CURLINE+loop*0
