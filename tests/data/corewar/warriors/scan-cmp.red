;redcode-94
;name CMP Scanner
;author arena tests
;strategy Compares two locations, bombs with SPL then clears.
step    equ     12
gap     equ     4
scan    add.f   inc, ptr
ptr     cmp.i   100, 100+gap
        slt.ab  #30, ptr
        djn.f   scan, <-100
        mov.ab  #20, count
attack  mov.i   bomb, >ptr
count   djn.b   attack, #20
        jmp     scan
inc     dat     #step, #step
bomb    spl     #0, #0
        end     scan
