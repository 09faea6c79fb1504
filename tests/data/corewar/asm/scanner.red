;redcode-94
;name Plain Scanner
;author Test Author
;assert 1
gap     equ     15
ptr     dat     #0, #gap
scan    add.ab  #gap, ptr
        jmz.f   scan, @ptr
        slt.ab  #ptr-scan+3, ptr
        jmp     scan
        mov.i   bomb, @ptr
        jmp     scan
bomb    dat     <2667, <5334
        end     scan
