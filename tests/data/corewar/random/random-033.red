;redcode-94
;name random-033
;author arena tests
;strategy random warrior, generator seed 1032
        SPL.B   $8, $0
        LDP.AB  #4, >7
l2      JMZ.AB  #l2-1, {6739
l3      MUL.A   *(30*36+44), >2
        NOP.A   }-4, *l6+2
l5      MOD.B   }l3-2, {7
l6      DIV.I   }(24*21+6), @l6-2
        MOV.B   <1, <-1545
        SPL.B   #l5+1, $-6
        JMN     >l6-2, *-6005
        DIV.B   $l2+2, $0
        SUB.F   {(11*1-12), @5
        JMN.F   $l2+2, @l2+1
        END     4
