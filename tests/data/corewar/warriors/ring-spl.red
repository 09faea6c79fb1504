;redcode-94
;name SPL Ring
;author arena tests
;strategy 7-point imp ring via SPL chain and ADD.A increments (core 8000).
step    equ     1143
start   spl     1
        spl     1
        spl     1
        mov.i   -1, 0
        spl     1
        add.a   #step, jp
jp      jmp     imp-step, 0
imp     mov.i   #0, step
        end     start
