;redcode-94
;name Imp Ring
;author arena tests
;strategy Three-point imp ring launched with SPL and a JMP table.
;assert CORESIZE == 8000
istep   equ     2667
        org     launch
imp     mov.i   #0, istep
launch  spl     1
        spl     2
        jmp     imp
        spl     1
        jmp     imp+istep
        jmp     imp+2*istep
        dat     0, 0
        end
