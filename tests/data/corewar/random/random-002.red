;redcode-94
;name random-002
;author arena tests
;strategy random warrior, generator seed 1001
;assert CORESIZE >= 8000
        ORG     1
        DIV.X   *(26*37-25), #2
        MOD.A   $3255, @-1
        END
