;redcode-94
;name Dwarf
;author arena tests
;strategy The classic bomber, step 4.
;assert CORESIZE % 4 == 0
        add.ab  #4, bomb
        mov.i   bomb, @bomb
        jmp     -2
bomb    dat     #0, #0
        end
