;assert MAXLENGTH>5
Q9 equ -3>=MAXLENGTH||a>=b
