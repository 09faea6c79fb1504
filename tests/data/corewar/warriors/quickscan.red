;redcode-94
;name Quick Scanner
;author arena tests
;strategy Unrolled SNE/SEQ quickscan of distant cells, then bomb the hit.
qs      equ     400
        sne.i   qs*1, qs*2
        seq.i   qs*3, qs*4
        jmp     found
        sne.i   qs*5, qs*6
        seq.i   qs*7, qs*8
        jmp     found+1
        jmp     slow
found   mov.ab  #qs, ptr
        mov.i   bomb, @ptr
        mov.i   bomb, >ptr
        djn.b   -2, #20
slow    spl     0, 0
        mov.i   bomb, }ptr
        jmp     -1
ptr     dat     0, qs
bomb    dat     #0, #0
