;redcode-94
;name random-024
;author arena tests
;strategy random warrior, generator seed 1023
        SNE.I   *l6+1, >3
        JMZ.A   @16, <0
l2      JMZ.I   }l15, }(34*14+6)
        SUB.I   >(34*32-6), }(27*13-8)
        JMP     <1, }-7
        MUL.AB  *12, @-5837
l6      SUB.AB  *l2-2, <13
        LDP.AB  *l6+1, #(27*10-45)
        JMN.X   $2134, *-5
        DAT.A   <-4247, {-5832
        CMP     <-3, }-7682
        NOP.X   >-1, >-2429
        DAT.BA  $3495, }(21*29+42)
        DIV.BA  }0, }1
        DIV.B   }l6, $794
l15     ADD.BA  <l2+1, {-3725
        END
