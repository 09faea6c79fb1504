;redcode-94
;name Silk Paper
;author arena tests
;strategy Silk-style replicator: SPL @0 with } and MOV loops.
;assert CORESIZE == 8000
s1      equ     3620
s2      equ     1740
start   spl     1
        spl     1
        spl     1
silk    spl     @0, }s1
        mov.i   }silk, >silk
        mov.i   bomb, }2355
        mov.i   {silk, <silk
        jmp     silk, <s2
bomb    dat     <2667, <5334
        end     start
