;redcode-94
;name Self Modifier
;author arena tests
;strategy Rewrites its own instructions: turns a DAT into a JMP and patches fields.
start   mov.i   jmpi, slot
        add.ab  #1, slot
slot    dat     #0, #0
        mov.ab  #2, next
next    jmp     1, 0
        sub.a   #1, fld
fld     mov.i   bomb, 50
        add.b   #17, fld
        jmp     next-1
jmpi    jmp     2, 0
bomb    dat     #0, #0
        end     start
