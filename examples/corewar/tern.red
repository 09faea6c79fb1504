;redcode-94
;name Tern
;author arena examples
;strategy A paper: eight processes copy the body forward, split into the
;strategy copy, and leave a DAT bomb behind each time.
;assert CORESIZE == 8000
gap     equ     2341

start   spl     1
        spl     1
        spl     1               ; 8 processes
body    spl     @0, }gap        ; split into the copy made last time round
        mov.i   }body, >body    ; copy one cell of the body
        mov.i   bomb, }1201     ; bomb somewhere far
        mov.i   {body, <body    ; copy one more, backwards
        jmz.a   body, body      ; loop until the copy is done
bomb    dat     <2667, <5334
        end     start
