;redcode-94
;name random-009
;author arena tests
;strategy random warrior, generator seed 1008
;assert CORESIZE >= 1
        ORG     4
        SPL.B   $2, $0
        SPL.F   #-8, $7
l2      SUB.B   <l2-1, $3832
        SLT.AB  @-2089, }(21*27+34)
        CMP.BA  *3, <-5646
        JMN     <-3455, *4615
        SPL.BA  <2627, #-4
        SPL.A   $-5, @-924
        CMP.X   >-3, @l2+1
        ADD     *6185, @1
l10     MOD.I   *l11+2, >5
l11     DJN.X   <5201, <3704
        MUL.BA  #2143, }3
        SNE.B   >-1, }-2
        MOV.A   *3, @4
        DAT.I   {(23*4+7)
        ADD.B   >l10+2, {(29*16-9)
        END
