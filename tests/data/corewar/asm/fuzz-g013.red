;name W
ptr  sne.i #(ptr>top), >(Q9&&x&&CORESIZE)
;debug off
b ldp.q #CURLINE, <(5||Q9+loop<=4000)
ptr mod.ab $((7999+_u))
 jmz.x *1, *a
;trace off
Q9 equ 5
top  slt.ab *-(4000+4000)
 mod top, *(-3&&1)!=(0+4000)
