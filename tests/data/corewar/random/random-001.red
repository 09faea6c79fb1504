;redcode-94
;name random-001
;author arena tests
;strategy random warrior, generator seed 1000
        SPL.B   $2, $0
        ORG     5
        SPL.X   *11, }-5
        SPL.BA  {-14, }3
        SUB.B   >-5, *5
        JMZ.F   $-5, {2790
        JMP.AB  }-1, {-1998
        JMZ.AB  #-3, }-2
        JMN     *-2, @6074
        DJN.AB  >3244, <4372
        ADD.I   <14, >5126
        DJN     @2, {(30*25+0)
        NOP     >-5, <-11
        MOD.A   $3, >3
        DJN.X   <-3, @1684
        END
