;redcode-94
;name random-017
;author arena tests
;strategy random warrior, generator seed 1016
        ADD.BA  #617, }(33*26+28)
        DIV.B   $(18*21-7), *l8
        JMN.F   *11, #-4995
        MOD.AB  *l8+2, @-2
        CMP.A   <4303, }(16*12-25)
l5      JMN.A   $0, *-767
        SNE.B   @-5247, {5
        SEQ.B   }-4, }(26*31-8)
l8      MOV.I   >-836, @-2
        SPL.X   *-4, #7492
        SLT.B   }8, #-4
l11     JMP.B   $-11, <-1
        END
