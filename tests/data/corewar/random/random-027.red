;redcode-94
;name random-027
;author arena tests
;strategy random warrior, generator seed 1026
l0      JMP.BA  *4158, $2
        ORG     0
        END
