;redcode-94
;name DJN Zoo
;author arena tests
;strategy DJN with each modifier and memory-indirect operands.
start   djn.a   start, #3
        djn.b   1, #2
        djn.ab  2, c
        nop     0, 0
        djn.ba  1, c
        djn.f   start+1, c
        djn.x   1, c
        djn.i   1, <c
        djn     1, {c
        jmz.f   2, c
        jmn.x   start, c
        jmp     start
c       dat     #4, #9
        end     start
