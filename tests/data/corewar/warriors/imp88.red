;redcode-88
;name Imp 88
;author arena tests
;strategy ICWS'88 imp.
imp     MOV     imp, imp+1
        END     imp
