;redcode-94
;name Gravel Stone
;author Test Author
;assert CORESIZE == 8000
step    equ     3044
        spl     0
stone   mov     >ptr, @ptr
ptr     add     #step, #step
        djn.f   stone, <-100
        end     stone
