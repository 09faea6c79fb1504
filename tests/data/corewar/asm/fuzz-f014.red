;assert 1
ab 100 lbl =
lbl equ 3
y rof
CURLINE
