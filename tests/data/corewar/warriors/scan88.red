;redcode-88
;name Scanner 88
;author arena tests
;strategy CMP scanner in '88 syntax with SLT and DJN.
ptr     DAT     #0,     #0
start   ADD     #10,    ptr
        CMP     #0,     @ptr
        JMP     hit
        SLT     #20,    ptr
        JMP     start
        DJN     start,  <ptr
hit     MOV     bomb,   @ptr
        MOV     bomb,   <ptr
        JMP     start
bomb    DAT     #0,     #0
        END     start
