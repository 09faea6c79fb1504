;redcode-94
;name END Offset
;author arena tests
;strategy Start given by END with a label, ORG absent.
ptr     dat     #0, #-50
bomb    dat     #0, #0
go      mov.i   bomb, <ptr
        mov.i   bomb, {ptr
        jmp     go
        end     go
