;redcode-94
;name random-034
;author arena tests
;strategy random warrior, generator seed 1033
        SPL.B   $7, $0
        SEQ     @-1660, $1523
        SLT     {l8-2, *14
        DIV.X   >-4, #-21
        DAT.X   *l8+2, <5
        MOV.AB  >12, @0
        STP.BA  #(4*17-17), @-2012
        JMZ.AB  {-4163, $-13
l8      DAT.AB  >0, #-5451
        SEQ.I   $l8-2, <4
        STP.B   @1, <3947
        JMP.B   $-1, #4
        SUB.B   }-3, #3
        SUB.AB  }(33*6+0), @l8+2
        STP     >l8-1, *(27*17+28)
        JMP.X   <-3454, @l8+1
        SEQ.X   #l8-2, @1
        STP.A   >-2, >l8-2
        SNE.B   @-5, #1535
        JMP.F   #3
        LDP.BA  $(14*35-50), }l8-1
        END
