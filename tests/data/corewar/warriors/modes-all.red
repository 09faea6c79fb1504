;redcode-94
;name Mode Zoo
;author arena tests
;strategy Exercises every addressing mode on both operands.
start   mov.i   #1, $2
        mov.i   $a, @b
        mov.i   @a, *b
        mov.i   *a, <b
        mov.i   <a, >b
        mov.i   >a, {b
        mov.i   {a, }b
        mov.i   }a, #b
        add.f   {a, @b
        sub.x   }a, *b
        jmp     start, }a
a       dat     #10, #20
b       dat     #-30, #40
        end     start
