;redcode-94
;name random-026
;author arena tests
;strategy random warrior, generator seed 1025
;assert CORESIZE >= 1
        ORG     2
        SPL.B   $4, $0
        ADD.AB  <(20*8-36), #(18*3-43)
        DJN.X   *-2640, <2786
        MOV.BA  #6034, *-5
        JMP.AB  >(17*16-22), *(2*12-18)
        MOD.I   #-6, <5
        SNE.F   #-622, *-2
        END
