;assert CORESIZE==8000
 mod.ba }((top<CORESIZE))
 stp.ab {b<0
b: nop.a (7999), *1-Q9!=x!=a||b
 dat.q *loop, #(4000||-3-a)
