;redcode-94
;name Stepper
;author arena tests
;strategy Moves forward through core by copying its three lines ahead.
start   mov.i   start, start+3
        mov.i   start+1, start+4
        mov.i   start+2, start+5
