;redcode-94
;name Label Soup
;author arena tests
;strategy Multiple labels per line, labels with colons, forward references.
first second:
third   mov.i   last, first+20
loop:   add.f   #1, *last
        jmp     loop, <first
last    dat     loop, third
        end     first
