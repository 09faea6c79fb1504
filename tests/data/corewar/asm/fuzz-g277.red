 dat -3, a
 slt.a <-0!=-3+a+CORESIZE*0&&-3, b
;redcode
