;redcode-94
;name Pebble
;author arena examples
;strategy A mod-4 stone: drops a DAT every 3044 cells, never on itself.
;assert CORESIZE == 8000
step    equ     3044

throw   add.ab  #step, bomb     ; aim the next bomb
        mov.i   bomb, @bomb     ; drop it where bomb's B-field points
        jmp     throw
bomb    dat     #0, #0
        end     throw
