;redcode-94
;name Pit Trapper
;author arena tests
;strategy Fangs point to a pit that DIVs by zero to kill captured processes.
fang    jmp     @0, pit
start   mov.i   fang, @ptr
        sub.ab  #3, fang+1
        add.ab  #97, ptr
        jmp     start
ptr     dat     #0, #200
pit     div.b   #0, #0
        end     start
