;redcode-94
;name Predec
;author arena tests
;strategy Heavy use of < > { } on the same cell within one instruction.
start   mov.i   <p, >p
        mov.i   {p, }p
        add.f   >p, <p
        sub.f   }p, {p
        mov.i   <p, {p
        jmp     start, >p
p       dat     #0, #0
        end     start
