;redcode-94
;name random-010
;author arena tests
;strategy random warrior, generator seed 1009
        NOP.I   @4603
        ORG     0
        MOV.B   $-5366, $(22*30-49)
        NOP.I   *-3
        DIV.BA  >-2, <-1889
        DJN.A   }-3637, *4
        MUL.I   *5493, $-2
        END
