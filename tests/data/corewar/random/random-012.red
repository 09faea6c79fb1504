;redcode-94
;name random-012
;author arena tests
;strategy random warrior, generator seed 1011
l0      SLT.I   }-3773, @2
        JMN.F   $l0-2, {(23*31-48)
        SPL.F   #4, @-1
        JMP.I   }2, $1
        JMZ.B   $4513, }l0-1
        DIV.B   @0, @-2
l6      JMZ.F   <11, #2
        ADD.B   >-3, @6832
        SLT.BA  *0, }2
        SUB.I   $(10*18-24), #1409
        STP.AB  <-7, *l6-1
        SLT.I   }5112, @-3
        END     10
