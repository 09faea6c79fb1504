;redcode-94
;name Mouse Trap
;author arena tests
;strategy A mice-like self copier with a DJN copy loop and SPL to the copy.
ptr     dat     #0, #0
start   mov.ab  #12, ptr
loop    mov.i   @ptr, <dest
        djn.b   loop, ptr
        spl     @dest, 0
        add.ab  #653, dest
        jmz.b   start, ptr
dest    dat     #0, #833
        end     start
