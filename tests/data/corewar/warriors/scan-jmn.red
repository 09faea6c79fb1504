;redcode-94
;name JMN Hunter
;author arena tests
;strategy JMN.A / JMN.I scanner.
start   add.a   #37, ptr
ptr     jmn.i   hit, 100
        jmn.a   start, ptr
hit     mov.i   bomb, @ptr
        mov.i   bomb, }ptr
        jmp     start
bomb    dat     #0, #0
        end     start
