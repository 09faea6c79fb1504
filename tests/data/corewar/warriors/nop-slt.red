;redcode-94
;name NOP SLT
;author arena tests
;strategy NOP with side effects on operands, and SLT with each modifier.
start   nop     }a, >b
        nop     {a, <b
        slt.a   a, b
        jmp     bad
        slt.b   #100, b
        jmp     bad
        slt.ab  #1, a
        slt.ba  a, b
        slt.f   a, b
        slt.x   b, a
        slt.i   a, b
        jmp     start
bad     mov.i   0, 1
a       dat     #5, #6
b       dat     #7, #8
        end     start
