;redcode-94
;name random-040
;author arena tests
;strategy random warrior, generator seed 1039
;assert CORESIZE >= 1
        SEQ.B   @-3, #0
        DAT.I   >1
        JMP.X   #-16, <-17
        MOD.F   $-4, #-18
        SPL.I   *0, #-6632
        MOD.I   >-1, $l6-1
l6      SPL.AB  {l6+2, $-3977
        MOD.BA  @l6+2, #5940
        MOD.BA  *22, >5017
        SLT.B   {l6+2, $5
        JMN.X   $-1, #-4
        ADD.X   {9, >l6-1
        ADD.X   }(12*23+29), @6309
        NOP     {-17
        STP.BA  *8, $l6-1
        DIV.X   @l6, }l6-1
        CMP.I   @l6+2, #-2327
        MUL.I   $3, #19
        DIV.AB  @13, <l6+1
        MOV.I   @0, $-5
        MUL.B   }-1, }l6
        MOV.A   #l6+2, >3746
        END     7
