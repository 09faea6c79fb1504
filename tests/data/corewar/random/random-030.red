;redcode-94
;name random-030
;author arena tests
;strategy random warrior, generator seed 1029
        LDP.AB  {l16, *6
        LDP.AB  }2, <-1
        DAT     *-5, @(35*23+17)
        MUL.B   >-1, *3
        STP     $3, $-5
        DAT     @-7, *-5
        SLT.A   }-7060, >l16+1
        MOV.AB  $-18, #2
        SNE.B   }1, >(22*20-17)
        ADD.A   <8, }18
        SUB.X   >2, $6638
        JMP.B   @2779, @-9
        JMZ.I   {4, <l16+2
        SPL.AB  $4, #10
        MOD.B   #-13, $-2
        SUB.X   $-1, @l16-1
l16     SPL.BA  #8, }20
        SNE.F   {-2, }(29*13+39)
        JMP.I   $l16-1, {-2
l19     JMP.B   $-19, <6
        END     17
