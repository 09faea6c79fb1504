;assert MAXLENGTH>5
;name W
 stp.b @loop-ptr, #CORESIZE!=_u/a*0
