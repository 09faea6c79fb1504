 jmp.f , ;break
i equ x+1
 seq.x ) * +
x for 0
i jmp y
a rof
