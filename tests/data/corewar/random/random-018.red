;redcode-94
;name random-018
;author arena tests
;strategy random warrior, generator seed 1017
        SUB.AB  #14, {(31*38-7)
l1      JMZ.A   }5, }12
        MUL.B   }1, @(10*10+1)
        SEQ.AB  $2, >5
        LDP     <-6066, {l12
        SEQ.A   $-3, }16
l6      SPL.F   }(3*3+40), @l6
        JMP.A   {2562, >l1-1
        STP     }1, *l12
        NOP.F   @4590, <5871
        LDP     $3139, #1
        ADD.B   *2, $-5
l12     MUL.AB  <2, @0
        MOV.A   *l1-2, #-3
        LDP.I   $3, @(25*29-2)
        SEQ.A   }2772, $9
        END     9
