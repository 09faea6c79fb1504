 end 7999<=b*7999||b<MAXLENGTH+5||loop
b equ CURLINE
top equ MAXLENGTH
ptr&i mod >CURLINE/a, <b
