;assert 1
        dat 0
go      mov 0, 1
        end go
        dat 5
this line is ignored after end
