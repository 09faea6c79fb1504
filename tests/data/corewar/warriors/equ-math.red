;redcode-94
;name EQU Math
;author arena tests
;strategy Predefined constants and operator precedence in expressions.
a       equ     (MAXLENGTH+1)
b       equ     (CORESIZE-1)/3
c       equ     a*2+b%7-(4/3)
d       equ     (a > 3) && (b < 10000) || 0
start   mov.ab  #c, ptr
        add.ab  #d, ptr
        mov.i   bomb, @ptr
        add.ab  #MAXPROCESSES % 97, ptr
        jmp     start+2
ptr     dat     #-c, #b
bomb    dat     #MINDISTANCE, #WARRIORS
        end     start
