;assert 1
_u equ -5
 org 7999
