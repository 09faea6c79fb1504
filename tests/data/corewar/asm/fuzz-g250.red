;assert CORESIZE==8000
;name   spaced  
 equ jmp.q }-top, ((0!=1))
 org 0
 org ptr<CURLINE-(Q9)
 end _u
 jmz (4000)/(x)==0, >CURLINE==(top)!=top<CURLINE%MAXLENGTH
 equ spl.q <4000||(7999)%ptr, (a)<(5)*a
b  mov top, #4000%_u
 spl.x *CORESIZE==Q9&&_u*ptr, *(5)
