;redcode-94
;name JMZ Blur
;author arena tests
;strategy JMZ.F scanner, bombs what it finds with SPL and then DAT.
step    equ     61
ptr     dat     #0, #0
start   add.ab  #step, ptr
        jmz.f   start, @ptr
        mov.i   sbomb, @ptr
        mov.i   dbomb, <ptr
        jmp     start
sbomb   spl     #0, #0
dbomb   dat     #0, #0
        end     start
