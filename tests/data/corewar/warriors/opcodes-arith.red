;redcode-94
;name Arithmetic
;author arena tests
;strategy ADD SUB MUL DIV MOD with all modifiers, ending in division by zero.
start   add.a   #3, x
        add.b   #5, x
        add.ab  #7, x
        add.ba  x, y
        add.f   x, y
        add.x   x, y
        add.i   x, y
        sub.a   #1, y
        sub.f   x, y
        sub.x   y, x
        mul.a   #3, x
        mul.b   x, y
        mul.ab  #2, y
        mul.f   x, y
        mul.x   y, x
        div.a   #2, x
        div.b   #3, y
        div.f   d, x
        div.x   d, y
        mod.a   #7, x
        mod.ba  x, y
        mod.f   d, y
        mod.x   m, y
        jmp     start
x       dat     #11, #13
y       dat     #17, #19
d       dat     #2, #3
m       dat     #5, #0
        end     start
