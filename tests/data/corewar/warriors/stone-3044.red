;redcode-94
;name Stone 3044
;author arena tests
;strategy Self-bombing-avoiding stone with step 3044 and a core clear tail.
step    equ     3044
        org     loop
loop    mov.i   bomb, @ptr
        add.ab  #step, ptr
        jmz.b   loop, @ptr
        mov.i   bomb, >ptr
ptr     dat     #0, #step
bomb    dat     #0, #0
        end
