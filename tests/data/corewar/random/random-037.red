;redcode-94
;name random-037
;author arena tests
;strategy random warrior, generator seed 1036
;assert CORESIZE >= 1
        ORG     1
        CMP.B   #-2558, $(33*17+11)
        JMZ.I   @-4, @8
        CMP.I   >-5472, *-5
        SUB.B   >-2746, @2
        ADD.AB  *1855, #6
        JMZ.AB  #-2, @2
        SPL.BA  <(21*1+41), {-7500
        MUL.X   $7, }3458
        SEQ.X   }1785, @0
        SUB.AB  #-919, {(14*29-4)
        CMP.BA  $-3980, $-6781
        SEQ.I   }-10, >3
        SUB.BA  }-2520, *-3540
        CMP.X   @-2937, <5541
        END
