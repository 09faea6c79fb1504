;assert 1
;name W
 jmn.f *x>=Q9, $-Q9<=ptr<1
x  slt.a 1, CURLINE
 sne.f @((Q9+_u)), <CURLINE+loop/MAXLENGTH
 org ptr==5<_u!=CURLINE+a
