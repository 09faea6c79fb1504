;redcode-94
;name random-014
;author arena tests
;strategy random warrior, generator seed 1013
;assert CORESIZE >= 800
        SPL.B   $3, $0
        JMZ.X   @l9, <5
        MUL.A   {1, }3728
        DIV.I   >l9+2, <-1
        NOP.BA  }-6936, *1
l5      SPL.BA  $3, @l9-1
        CMP     <7261, {1
        LDP.X   @(36*22-11), $-3
        JMP.X   >3, >5
l9      MOD.BA  }0, {(3*8+31)
        JMZ.A   >l9+2, <-5
        JMP.BA  #-6, #1
        DAT.X   #(31*29+11), @2
        JMN.A   $5, *2
        SNE.BA  >2, @2
        MUL.BA  *l5-2, >l5+1
        END     1
