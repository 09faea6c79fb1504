;redcode-94
;name Lantern
;author arena examples
;strategy A B-scanner: looks at every 7th cell and, on finding code,
;strategy bombs around it with SPL 0 to stun, then clears the core.
;assert CORESIZE == 8000
step    equ     7
first   equ     scan+step

scan    add.ab  #step, ptr      ; look further
ptr     jmz.f   scan, first     ; empty cell: keep looking
        mov.ab  ptr, aim        ; found something: aim at it
        mov.i   stun, >aim      ; and hit it with a few SPL 0s
        mov.i   stun, >aim
        mov.i   stun, >aim
        sub.ab  #step-2, aim
        jmz.f   scan, @aim
clear   mov.i   kill, >aim      ; then wipe the core forward
        djn.f   clear, <aim
aim     dat     #0, #0
stun    spl     #0, #0
kill    dat     <-5, <-5
        end     scan
