;redcode-94
;name random-038
;author arena tests
;strategy random warrior, generator seed 1037
;assert CORESIZE >= 1
        ORG     1
l0      JMN.X   @(1*33-31), >3
l1      ADD.BA  #-1, #l1-1
l2      DIV.AB  @-2555, @1
        END
