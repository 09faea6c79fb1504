;assert 0
ptr  spl.x CORESIZE!=7999, ((-loop))
 jmn @(CURLINE)||a%(4000)
 mov.x #_u, {a
ptr slt.a (_u), 5
;break
 ptr
 org CORESIZE
j for 3
 mul #(ptr%0)<=1!=loop==4000%4000, (x)!=_u%(x)
 rof
