;assert 1
 pin 42
 ldp.a #0, 1
 stp.b 2, #3
