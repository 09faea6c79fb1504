;assert 1
bomb equ dat #0, #0
go   bomb
     bomb
     jmp go
