;assert 1
 mov.a 1, 2
 mov.b 1, 2
 mov.ab 1, 2
 mov.ba 1, 2
 mov.f 1, 2
 mov.x 1, 2
 mov.i 1, 2
 ADD.AB #1, 2
 Sub.Ba 1, 2
 djn.F 1, 2
