;assert 0
top  cmp.f *4000>=4000<=CORESIZE&&loop, <-CORESIZE>=CURLINE
 Q9
Q9 jmz Q9<MAXLENGTH, *0
 Q9
ptr equ 7999
