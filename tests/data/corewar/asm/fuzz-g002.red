x equ 0
 b
Q9 equ a
Q9: sub.b <4000, *(7999)==MAXLENGTH>Q9||Q9!=5
a equ Q9
 mov.i (1)<b, {a
 sne.a (top), 7999>=(-3>=4000)
Q9 jmn.a <a*4000>0/-3<=ptr>=5*7999, *(1)
a equ -3>(top)*b!=1
