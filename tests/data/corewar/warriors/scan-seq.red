;redcode-94
;name SEQ Scanner
;author arena tests
;strategy SEQ.I based scanner with a B-field pointer and a DJN.A clear.
step    equ     7
loop    add.ab  #step, 2
        seq.i   @1, @1
        mov.i   bomb, @-1
        jmn.b   loop, loop
        mov.i   bomb, }-2
        djn.a   -1, #100
        jmp     loop
bomb    dat     #0, #0
        end
