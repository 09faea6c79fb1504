;assert 1
 mov.f ab - &i CORESIZE ) ||
CORESIZE y dat seq i
 djn.x ab . { @ ab <=
for >=
ab } y add ;trace ) seq
 jmp.ab 0 ) 0 .f % .i
 ldp.ab ( { &i
