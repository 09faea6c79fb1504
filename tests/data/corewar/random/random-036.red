;redcode-94
;name random-036
;author arena tests
;strategy random warrior, generator seed 1035
;assert CORESIZE >= 1
        DAT.AB  <0, {16
        JMP.BA  {5201, #3
        JMN     <-3, $(22*31-21)
        LDP.AB  @l5-1, #-1
l4      MOV.I   {7, $-3
l5      DJN.AB  @-2, #-4
        JMN.I   @-2600, *2102
        MOV.X   <(34*29+27), #-1
l8      SEQ.AB  @-1, *3
        SUB.BA  $-2, #l4+2
        DJN     >0, {(16*7+31)
        MUL.AB  }2, >-1
        DJN.BA  $(39*18+22), *6449
        STP     @5, }l5+2
        MOV.X   *-2, #l4
        SNE.I   >l5+2, >3
        SPL.I   >(6*23-40), <-5
        ADD.B   #(20*20-19), >-11
        SNE.F   <-7977, <14
        NOP     }-450, {l5
        JMP.B   $-20, <-8
        END     12
