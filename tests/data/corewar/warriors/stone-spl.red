;redcode-94
;name SPL Stone
;author arena tests
;strategy Throws SPL 0 bombs then DAT bombs.
step    equ     95
count   equ     400
start   mov.i   sbomb, @ptr
        add.ab  #step, ptr
        djn.b   start, #count
loop2   mov.i   dbomb, }ptr
        jmp     loop2
ptr     dat     #0, #step
sbomb   spl     #0, #0
dbomb   dat     #1, #1
        end     start
