;redcode-94
;name random-007
;author arena tests
;strategy random warrior, generator seed 1006
        DAT.F   *-2
        SEQ     >-1, #11
        DAT     >-10, $(25*1+7)
        SPL.AB  {3, {(12*30-18)
        NOP.A   <(5*34-2), <-3
        ADD     $-6980, }1262
        CMP.B   #-6697, #-504
        SLT.AB  {-2, *-364
        DIV     {4439, <(5*32-37)
        CMP.A   <5, }-1
        JMZ.A   $1, $12
        DAT     {2615, @3
        END     7
