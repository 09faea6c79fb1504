;redcode-94
;name Incendiary
;author arena tests
;strategy MOV.AB/MOV.BA bomber leaving incendiary pairs.
step    equ     1571
inc     mov.i   sp, *ptr
        mov.i   jm, @ptr
        add.f   incr, ptr
        jmp     inc
ptr     dat     #step+1, #step
incr     dat     #2*step, #2*step
sp      spl     #0, #0
jm      jmp     -1, 0
        end     inc
