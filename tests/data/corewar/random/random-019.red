;redcode-94
;name random-019
;author arena tests
;strategy random warrior, generator seed 1018
        STP.B   @3836, {12
l1      SUB.I   @4, {4
        SNE.F   {l1-1, #l11
        SPL.AB  #l1-2, *-3
        STP.X   <-4, <1
        DIV     @9, <2
        MOD     <-3264, }-5
        SLT.X   #(32*14-41), *0
        CMP.I   <l1-1, $-6
        JMN.I   $-4, >3
l10     SEQ.F   #1751, >7
l11     JMP.X   {l11, $-7
        JMP.B   $-12, <-11
        END
