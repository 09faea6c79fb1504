;redcode-94
;name PIN Sharer
;author arena tests
;strategy Shares P-space with PIN and counts rounds in cell 5.
        pin     42
start   ldp.ab  #5, cnt
        add.ab  #1, cnt
        stp.b   cnt, #5
        ldp.a   #0, res
        jmz.a   bomber, res
        jmp     imp
res     dat     0, 0
cnt     dat     0, 0
bomber  mov.i   bomb, }ptr
        djn.f   bomber, <ptr
ptr     dat     #10, #-10
bomb    dat     #0, #0
imp     mov.i   0, 1
        end     start
