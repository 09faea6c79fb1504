;assert MAXLENGTH>5
ptr equ (-(1))
