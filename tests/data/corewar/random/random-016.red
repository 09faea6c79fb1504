;redcode-94
;name random-016
;author arena tests
;strategy random warrior, generator seed 1015
        SPL.B   $2, $0
        ORG     2
        JMP.AB  #2, $-1
l2      JMN.I   >l2+1, @-5
l3      JMP.B   $-3, <-16
        END
