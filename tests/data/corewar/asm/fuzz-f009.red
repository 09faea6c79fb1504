;assert 1
lbl for 0
 spl.f .f
 mov.f 7 { 2 7 CORESIZE
ab
