;redcode-94
;name random-008
;author arena tests
;strategy random warrior, generator seed 1007
l0      NOP     <-7125, }(19*3-46)
        ORG     0
l1      MOD.X   $5, #1
        END
