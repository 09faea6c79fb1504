;redcode-94
;name Two Procs
;author arena tests
;strategy A bomber and an imp launched together; one dies, one lives.
start   spl     imp
bomb1   mov.i   dbomb, @ptr
        add.ab  #3039, ptr
        jmp     bomb1, <-5
ptr     dat     #0, #0
dbomb   dat     #0, #0
imp     mov.i   0, 2667
        end     start
