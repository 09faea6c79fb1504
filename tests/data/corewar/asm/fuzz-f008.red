;assert 1
_ - , . ,
, ab 2 : % spl

