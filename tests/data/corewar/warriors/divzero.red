;redcode-94
;name Div Zero
;author arena tests
;strategy DIV.F with one zero divisor still writes the other field, then dies.
start   spl     loop
        div.f   z, x
        mod.f   z, y
        jmp     start
loop    mod.a   #0, x
        jmp     start
x       dat     #100, #200
y       dat     #300, #400
z       dat     #0, #7
        end     start
