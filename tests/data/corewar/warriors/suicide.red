;redcode-94
;name Suicide
;author arena tests
;strategy Executes a DAT on its first cycle.
        dat     #0, #0
        end
