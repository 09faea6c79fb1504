;assert 1
@ || CURLINE \
 : +
 jmp.f CURLINE
pin @ end ,
