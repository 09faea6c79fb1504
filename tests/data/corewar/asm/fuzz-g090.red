;assert 1
_u equ jmz.b $MAXLENGTH
