;redcode-94
;name random-020
;author arena tests
;strategy random warrior, generator seed 1019
;assert CORESIZE >= 1
        ORG     1
l0      LDP.I   >l0, >0
        SUB.BA  #2, >2705
        END
