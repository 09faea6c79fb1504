;redcode-94
;name random-006
;author arena tests
;strategy random warrior, generator seed 1005
        LDP.BA  $(21*24-24), #(3*20+48)
        MOV.BA  $-2, $-9
        SPL.I   {l14+2, #3
        SNE.BA  }l14, $0
        SEQ.F   *(13*30+18), @3
        DAT.A   #-8, }-2
        SPL.AB  @-6, >l14+1
        SPL     {l14-1, $-2140
        JMP.BA  <(37*25-25), *4
l9      SNE.A   *-5, $(9*29-2)
        MOV.BA  *l14, }-1
        NOP.A   @5
        JMZ.X   <-3, >3356
l13     SEQ.BA  <l13+2, *-2
l14     MOD.I   >3, #l14-2
        JMP.B   $-15, <-1
        END
