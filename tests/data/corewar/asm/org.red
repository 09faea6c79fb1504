;assert 1
        dat 0
        dat 1
go      mov 0, 1
        org go
