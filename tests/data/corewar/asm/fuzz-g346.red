;name 
loop equ MAXLENGTH
