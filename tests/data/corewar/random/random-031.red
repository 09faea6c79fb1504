;redcode-94
;name random-031
;author arena tests
;strategy random warrior, generator seed 1030
l0      NOP.I   $2781, @-2
        ORG     1
        MUL.A   >l0, {5
        END
