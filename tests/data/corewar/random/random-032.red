;redcode-94
;name random-032
;author arena tests
;strategy random warrior, generator seed 1031
        SPL.B   $19, $0
l1      MOD     <4, *2
        DIV.X   }(27*11-6), *14
        CMP.AB  #-6103, <8
        CMP.AB  >-2, <186
        STP.X   }2715, @(11*16-31)
        CMP.AB  >l17-1, <-8
        DJN.B   @l10-2, >-7
        MUL.F   *-4, *-18
        JMN.I   $-4, }12
l10     SEQ     *l10+2, @4
l11     SLT.AB  @l11-2, *l11+2
        SEQ.AB  {4085, }-5784
        MOV.F   {-5, {-3
        JMP     }(11*17-28), #l1
        JMZ.BA  #l10+1, >l10+1
        DJN.B   <-2, }l1+1
l17     SEQ.F   <-1, *5
        MOD.BA  *-2688, {-3
        ADD.AB  $l10-1, #l17-2
        MOV     *1, >-5475
        NOP.AB  >20, }165
        SNE.I   {5, *-2
        END
