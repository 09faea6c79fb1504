;redcode-94
;name Bad Opcode
;author arena tests
;strategy Bad modifier on a known opcode.
start   mov.q   0, 1
        end     start
