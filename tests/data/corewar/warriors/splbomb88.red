;redcode-88
;name SPL Bomber 88
;author arena tests
;strategy '88 SPL/JMP bomber with DJN and JMZ.
start   SPL     0
loop    MOV     bomb,   <ptr
        ADD     #-7,    ptr
        JMZ     loop,   0
        DJN     loop,   ptr
ptr     DAT     #-20
bomb    SPL     0
        END     start
