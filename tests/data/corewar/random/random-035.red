;redcode-94
;name random-035
;author arena tests
;strategy random warrior, generator seed 1034
;assert CORESIZE >= 800
l0      JMP.I   <0
l1      JMN.X   <-406, @-2
        END     0
