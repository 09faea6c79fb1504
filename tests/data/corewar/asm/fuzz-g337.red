;assert CORESIZE==8000
top equ seq.i >(1)--3>-3, }(MAXLENGTH&&4000)*-3+1
 equ mov.x 4000, }-3||(MAXLENGTH)
b equ x
