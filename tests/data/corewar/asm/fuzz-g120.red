;assert CORESIZE==8000
;name   spaced  
 end MAXLENGTH&&MAXLENGTH>ptr&&loop
top equ add @_u, <4000
 for 1
j for 1
 rof
 rof
