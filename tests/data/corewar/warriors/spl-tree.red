;redcode-94
;name SPL Tree
;author arena tests
;strategy Binary SPL tree of 64 processes running an imp-ish body.
start   spl     1
        spl     1
        spl     1
        spl     1
        spl     1
        spl     1
        mov.i   bomb, }ptr
        add.ab  #1, cnt
cnt     jmp     -2, 0
ptr     dat     #0, #300
bomb    dat     #0, #0
        end     start
