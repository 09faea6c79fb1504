;assert MAXLENGTH>5
i for 0
 rof
