;redcode-94
;name Dwarf 2365
;author arena tests
;strategy Dwarf with a mod-5 step and a predecrement bomb.
step    equ     2365
start   add.ab  #step, ptr
        mov.i   bomb, @ptr
        djn.b   start, #1000
ptr     dat     #0, #0
bomb    dat     <-1, <-1
        end     start
