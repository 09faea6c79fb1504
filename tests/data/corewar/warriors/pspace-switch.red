;redcode-94
;name P-Switcher
;author arena tests
;strategy Reads the last result with LDP; on loss switch strategy (STP).
res     ldp.ab  #0, #0
str     ldp.a   #1, str1
        sne.ab  #0, res
        jmp     lost
        jmp     @str1
lost    add.a   #1, str1
        mod.a   #2, str1
        stp.ab  str1, #1
        jmp     @str1
str1    dat     #0, #0
table   dat     dwarf, imp
dwarf   add.ab  #4, dbomb
        mov.i   dbomb, @dbomb
        jmp     -2
dbomb   dat     #0, #0
imp     mov.i   0, 1
        end     res
