;redcode-94
;name Plain Imp
;author arena tests
;strategy The smallest warrior there is.
;assert 1
        mov.i   0, 1
        end
