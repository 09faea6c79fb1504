;assert 1
CURLINE ;break
 dat.x || \
 > * ;assert {
-3 nop pin < ;name nop ldp
100 * >= /

 dat.f i , _ @ x&i
i equ 3
