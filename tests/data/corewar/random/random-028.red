;redcode-94
;name random-028
;author arena tests
;strategy random warrior, generator seed 1027
;assert CORESIZE >= 8000
        JMP     {4662, #5782
        END     0
