;redcode-94
;name P-Counter
;author arena tests
;strategy Stores a round counter in P-space; uses an out-of-range index too.
start   ldp.b   #1, #0
        ldp.b   ctr, tmp
        add.ab  #1, tmp
        stp.b   tmp, ctr
        stp.ab  #123, #9999
        ldp.b   #9999, tmp2
        mod.ab  #3, tmp
        jmz.b   paper, tmp
        jmp     stone
tmp     dat     0, 0
tmp2    dat     0, 0
ctr     dat     0, 1
paper   spl     1
        mov.i   -1, 0
        mov.i   }ptr, >ptr
        jmp     paper, <300
stone   mov.i   bomb, @ptr
        add.ab  #3039, ptr
        jmp     stone
ptr     dat     #0, #1234
bomb    dat     #0, #0
        end     start
