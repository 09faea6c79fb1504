;assert 0
 sne @(4000>CURLINE), *-loop
x&i jmn #ptr||4000>ptr%1<ptr&&Q9-5||4000, <CORESIZE>=CURLINE||b>_u*loop==0
x: mul #--3>-3<5, #5*(a>=x)
 mul *_u||a>CURLINE<=Q9>MAXLENGTH/-3, #(CORESIZE)
