;redcode-88
;name Gemini 88
;author arena tests
;strategy '88 replicator: copy ten cells then SPL to the copy.
src     DAT     #0,     #0
dst     DAT     #0,     #99
start   MOV     @src,   @dst
        CMP     #9,     src
        JMP     cont
        ADD     #1,     src
        ADD     #1,     dst
        JMP     start
cont    MOV     #0,     src
        MOV     #99,    dst
        SPL     @dst
        ADD     #99,    start
        JMN     start,  src
        END     start
