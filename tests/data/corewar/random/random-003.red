;redcode-94
;name random-003
;author arena tests
;strategy random warrior, generator seed 1002
        MUL.X   {-7212, <-15
        SNE     @(11*20+9), >3
l2      STP.F   >-4, {5
        ADD.AB  @(27*5+13), $5274
        LDP.I   #-4, {2
        MOV.AB  #-2, @4
        ADD.I   <-2, #14
l7      DJN.BA  @-5, {7462
        DAT.B   #-1, *l2+2
        DJN     $l14-2, {4
        SUB.A   #7, {-1
        JMN.X   <-1, @1
        JMZ.X   *-2921, {2135
l13     DAT.I   *13, $l2-1
l14     SUB.AB  {-1, @4
        SNE.X   >-12, #-3
        JMP.I   {(18*27-19)
        END
