;redcode-94
;name Tiny Imp
;author Test Author
;assert 1
        mov.i   0, 1
        end
