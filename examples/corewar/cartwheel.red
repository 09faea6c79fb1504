;redcode-94
;name Cartwheel
;author arena examples
;strategy A three-point imp spiral (step 2667) behind a small stone:
;strategy the stone buys time, the imps make a tie likely against papers.
;assert CORESIZE == 8000
istep   equ     2667

start   spl     stone
        spl     1               ; 2 processes
        spl     1               ; 4 processes
        spl     2               ; 8 processes...
        jmp     @vec, }vec      ; ...walk the launch vector
        jmp     *vec, >vec
vec     dat     #imp, imp       ; A-field and B-field both step through the ring
        dat     #imp+istep, imp+istep
        dat     #imp+2*istep, imp+2*istep
imp     mov.i   #istep, *0
stone   add.ab  #3039, sbomb
        mov.i   sbomb, @sbomb
        jmp     stone
sbomb   dat     #0, #0
        end     start
