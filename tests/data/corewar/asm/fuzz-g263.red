 for 0
top: add.a }MAXLENGTH, *-(loop)||-a
 div }5, {(Q9<=CURLINE)*4000--3!=(_u)
loop jmz.f <1
 seq >(loop), (7999)
j for 1
