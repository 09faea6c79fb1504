;redcode-94
;name Bomb Dodger
;author arena tests
;strategy Checks for incoming bombs with JMZ and moves itself away with a copy.
start   jmz.f   start, sentry
        mov.ab  #5, cnt
cp      mov.i   {src, {dst
        djn.b   cp, cnt
        jmp     @dst
sentry  dat     #0, #0
src     dat     #0, #start+5
dst     dat     #0, #3000
cnt     dat     #0, #0
        end     start
