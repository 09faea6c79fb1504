;redcode-94
;name random-023
;author arena tests
;strategy random warrior, generator seed 1022
l0      SPL.B   $2, $0
        DJN.B   {6481, #4
l2      DIV     *l4-1, }-2271
        SPL.F   $5, $5
l4      NOP.B   {-4, *(28*22-3)
        END     4
