;redcode-94
;name random-029
;author arena tests
;strategy random warrior, generator seed 1028
        CMP.I   <-5, $-2
        STP.A   $l4-1, *(28*15+17)
        MUL.A   *l4+2, @-7418
        JMZ.BA  @(18*9+11), @(4*30+47)
l4      SUB.A   $1, <-1
        NOP.BA  <-2, <-6011
l6      NOP.B   *1, $l4
        SUB     $-4, }(5*11+34)
        DAT.B   {l10+2, *l6
        JMP.BA  @4, <l6+1
l10     DIV.I   #4, >937
        SNE.B   }0, #(34*7+24)
        JMZ     <1342, #l13+1
l13     JMP.A   $6, @-3395
        JMP.B   $-14, <-3
        END     7
