;redcode-94
;name random-021
;author arena tests
;strategy random warrior, generator seed 1020
        SPL.B   $3, $0
        MOV.B   #(32*12+3), $-3
        SEQ.F   $-8000, {-4316
        DIV.A   @0, <1
        END     3
