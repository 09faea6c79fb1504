;redcode-94
;name D-Clear
;author arena tests
;strategy A two-pass core clear: SPL then DAT.
gate    dat     #0, #-10
start   spl     #0, #0
        mov.i   clr, >gate
        djn.f   -1, >gate
clr     dat     #0, #clr-gate+2
        end     start
