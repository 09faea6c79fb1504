;assert 1
 pin top%4000&&5!=0+loop
 end (5)
 jmp.f {(CORESIZE)==7999, >x%b
_u ptr
