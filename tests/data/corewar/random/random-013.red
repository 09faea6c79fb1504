;redcode-94
;name random-013
;author arena tests
;strategy random warrior, generator seed 1012
        DAT.AB  {1675, <2
        DAT.BA  $2006, <l2
l2      MOD.I   @2450, >-8
        DIV     >3, #5
        DIV.I   <-10, @7045
        JMP.F   {0
        MOD.B   <-4, #-3
        LDP.F   #-1438, $4
        SEQ.X   *l2-1, >-5385
        JMN.F   @7973, >7995
        JMP.A   }-3, *l2
        END     3
