;assert MAXLENGTH>5
;name 
b&i jmp.i >5
 org x
 cmp.b *Q9<=-4000==x, @(a)
x djn >ptr-((ptr)), $Q9
