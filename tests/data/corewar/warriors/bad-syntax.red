;redcode-94
;name Broken
;author arena tests
;strategy Does not assemble: unknown label and missing operand.
start   mov.i   nolabel, 1
        add.ab  #1,
        jmp     start
        end     start
