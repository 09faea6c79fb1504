;redcode-94
;name random-022
;author arena tests
;strategy random warrior, generator seed 1021
        SNE.A   $-3781, @l4
        DAT.F   }l14-2, <l7+1
        SLT.A   #2, $3
        JMN.I   *-7, }-7684
l4      SLT.F   $-1490, *-4
l5      ADD.BA  <5, {-16
        MOD.I   *(26*39+17), $l5+2
l7      CMP.X   $2, <1863
        DJN.B   @5, #2
        LDP.X   {4060, $5
        STP.X   #-4, #-14
        MUL.A   <6, @(4*17-45)
        JMP.A   $16
        SNE.AB  }-1492, *12
l14     SPL     }2, >13
        LDP.F   }-5, >l4-1
        SEQ     $4, #l5
        END
