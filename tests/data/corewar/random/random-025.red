;redcode-94
;name random-025
;author arena tests
;strategy random warrior, generator seed 1024
l0      SLT.I   *l0-1, {1
        END     0
