;redcode-94
;name random-004
;author arena tests
;strategy random warrior, generator seed 1003
        SPL.B   $1, $0
        JMN.F   #-13, *-16
        MUL.AB  #-4059, {-1
l3      SEQ.I   >l15-1, <13
        MOD.I   @(17*12-47), {5
        SLT.B   {l3-1, #l7+2
        JMZ.A   }l15, {(37*9+20)
l7      DAT.A   #l7-1, {-1400
        SPL     <1362, *l15+1
        JMN.I   *-2820, #0
        DAT.A   $4990, @1
l11     ADD.F   $-2590, >-14
        ADD.AB  *1, <l11-2
        NOP.BA  $l3+2, *-2
        MOV     <6952, *-6
l15     DIV.A   <-1, $l15-2
        END     14
