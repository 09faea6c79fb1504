;assert 1
        org 1
        dat 0
go      mov 0, 1
        end go
