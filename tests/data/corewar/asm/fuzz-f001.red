;assert 1
 spl && x&i @ + . >=
