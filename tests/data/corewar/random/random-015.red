;redcode-94
;name random-015
;author arena tests
;strategy random warrior, generator seed 1014
        MOV.BA  @7467, }9
        ORG     8
        STP.A   #-8, <6520
        MUL.F   *4721, <-2
        MOV.BA  }342, {-5
        DJN.F   <3936, $17
        NOP.A   $6178, {2
        MOV.I   <(2*19-41), {(10*23-43)
        MUL.I   }3, >0
        LDP     @-2187, #4
        SNE.X   *-10, #(8*3-13)
        SUB.BA  }-5, @-5932
        JMN.BA  {-2, }-2
        SEQ.BA  <-6, *-1
        DAT.BA  #6467, $49
        JMN.B   #0, <1
        SEQ     $6942, #-3771
        JMP.B   $-16, <-2
        END
