;redcode-94
;name random-011
;author arena tests
;strategy random warrior, generator seed 1010
        SPL.B   $17, $0
        MUL.BA  *-6749, #493
l2      LDP.X   @3, @-2
        SNE.X   #-4, #(37*38-44)
        JMN.B   $21, >(20*16+17)
        MOD.B   *5, }7825
        SEQ     *-4, <6294
l7      JMZ     $1, $l7-1
        MOV.BA  }l2, $-8000
        DIV.F   #-4120, #-2
        MOD.X   {l7, >-4488
        DAT.BA  #2309, <l7-2
        SPL.I   @15, <-2
l13     NOP.AB  >3059, }l7+2
        SPL.A   *l17-2
        CMP.A   $4145, {l2-1
        JMN.F   >6822, }l7+2
l17     JMZ.BA  <2, $3731
        STP.AB  {l2-1, $l2+1
        DJN.B   <17, }-10
        SPL.A   <4986, <l17
        NOP.X   $3, <(17*18+42)
        END     13
