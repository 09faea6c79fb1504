;redcode-94
;name Loop Paper
;author arena tests
;strategy Copies itself with a counted MOV loop, then splits to the copy.
dist    equ     1234
len     equ     (last-first+1)
first   mov.ab  #len, cnt
        mov.ab  #dist, dst
        mov.ab  #0, src
copy    mov.i   }src, }dst
        djn.b   copy, cnt
        spl     @dst, 0
        add.ab  #dist-len, first+dist
        jmp     first, 0
src     dat     0, 0
dst     dat     0, 0
cnt     dat     0, 0
last    dat     0, 0
        end     first
