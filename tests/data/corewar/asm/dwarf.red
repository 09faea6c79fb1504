;redcode-94
;name Pebble Dwarf
;author Test Author
;strategy bomb every fourth cell
;assert CORESIZE % 4 == 0
step    equ     4
bomb    dat     #0, #0
start   add     #step, bomb
        mov     bomb, @bomb
        jmp     start
        end     start
