;redcode-94
;name random-005
;author arena tests
;strategy random warrior, generator seed 1004
        MOD.X   #4, *3
        ORG     12
        JMP     @-3, @3
        SNE.A   $-6019, }-1
        LDP     <1, >-7042
        DIV.I   {5140, {-5295
        JMP.B   @-5161, @2
        LDP.F   #(21*10-11), }6359
        SPL.X   <7981, {(7*29+10)
        JMP.X   <1
        SUB.AB  $-4, {5729
        SPL.I   }0, #5
        STP.AB  #11, *3253
        SPL     #4279, <-899
        STP     #-2, @-6253
        END
