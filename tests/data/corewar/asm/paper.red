;redcode-94
;name Folded Paper
;author Test Author
;assert CORESIZE == 8000
len     equ     (last-first+1)
first   spl     1
        spl     1
copy    mov     #len, #0
loop    mov     }copy, >copy
        jmn.b   loop, copy
        spl     @copy, }copy
        add.a   #1234, copy
        jmz.f   first, first
last    dat     0, 0
