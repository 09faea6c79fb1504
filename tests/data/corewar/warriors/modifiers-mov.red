;redcode-94
;name MOV Modifiers
;author arena tests
;strategy Every MOV modifier, SEQ/SNE/CMP modifiers included.
start   mov.a   a, b
        mov.b   a, b
        mov.ab  a, b
        mov.ba  a, b
        mov.f   a, b
        mov.x   a, b
        mov.i   a, b
        seq.a   a, b
        seq.b   a, b
        seq.ab  a, b
        sne.ba  a, b
        sne.f   a, b
        cmp.x   a, b
        cmp.i   a, b
        jmp     start
a       spl.b   #3, <4
b       dat     #5, #6
        end     start
