;redcode-94
;name random-039
;author arena tests
;strategy random warrior, generator seed 1038
        SUB.BA  #3817, }-5
        ORG     1
        MOV.AB  $-6831, {6959
        SPL.BA  }-6876, @(29*15-28)
        JMP.BA  *-4, #3
        END
