;redcode-94
;name ORG Offset
;author arena tests
;strategy Starts in the middle using ORG with an expression.
        dat     #0, #0
        dat     #1, #1
bomb    dat     #2, #2
here    mov.i   bomb, @ptr
        add.ab  #5, ptr
        jmp     here
ptr     dat     #0, #10
        org     here+0
        end
