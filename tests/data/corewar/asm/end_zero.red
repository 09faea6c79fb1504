;assert 1
        dat 0
        mov 0, 1
        end 0
