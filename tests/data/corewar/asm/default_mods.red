;assert 1
 mov #1, 2
 mov 1, #2
 mov #1, #2
 add #1, 2
 sub 1, #2
 mul 1, 2
 div @1, <2
 mod #1, #2
 cmp #1, 2
 seq 1, #2
 sne 1, 2
 slt #1, 2
 slt 1, #2
 ldp #1, 2
 stp 1, 2
 jmz #1, 2
 jmn 1, 2
 djn 1, #2
 spl #1, 2
 nop
 dat 5
 jmp 3
 spl 2
