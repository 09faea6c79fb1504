;redcode-94
;name Forward Clear
;author arena tests
;strategy Clears forward with MOV > and loops on JMN over the counter.
start   mov.i   clr, >ptr
        jmn.b   start, ptr
        jmp     start
ptr     dat     #0, #5
clr     dat     #0, #0
        end     start
