;assert MAXLENGTH>5
;redcode
