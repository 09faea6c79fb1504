;redcode-94
;name SNE Scanner
;author arena tests
;strategy SNE.X / SNE.F scanner using A-field increments.
start   add.x   step, ptr
ptr     sne.f   *50, @50
        jmp     start
        mov.i   dart, *ptr
        mov.i   dart, @ptr
        jmp     start
step    dat     #9, #9
dart    dat     #0, #0
        end     start
