;redcode-94
;name PIN Partner
;author arena tests
;strategy Same PIN as PIN Sharer; reads cell 5 and cell 0.
        pin     42
start   ldp.ab  #5, val
        stp.ab  #77, #6
        ldp.ab  #0, last
        seq.ab  #1, last
        jmp     paper
stone   mov.i   bomb, @ptr
        add.ab  #2365, ptr
        jmp     stone
paper   spl     1
        mov.i   }ptr, >ptr
        jmp     paper
val     dat     0, 0
last    dat     0, 0
ptr     dat     #0, #500
bomb    dat     #0, #0
        end     start
