;redcode-94
;name Vampire
;author arena tests
;strategy Throws JMP fangs that lead into an SPL/DAT pit.
step    equ     254
fang    jmp     pit-ptr, ptr
start   mov.i   fang, @ptr
        add.f   inc, ptr
        jmp     start
ptr     dat     #0, #step
inc     dat     #-step, #step
pit     spl     #0, #0
        mov.i   pbomb, >-1
        djn.b   -1, #10
        dat     #0, #0
pbomb   dat     #0, #0
        end     start
