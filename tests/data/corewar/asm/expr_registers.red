;assert 1
 dat a=5, a*2
 dat b=a+1, b
 dat w, s
 dat z, (c=3)+c
