;redcode-88
;name Dwarf 88
;author arena tests
;strategy ICWS'88 syntax only.
bomb    DAT     #0
start   ADD     #4, bomb
        MOV     bomb, @bomb
        JMP     start
        END     start
