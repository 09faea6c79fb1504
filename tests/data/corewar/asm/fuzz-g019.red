;assert 1
;name 
 div.ba @MAXLENGTH
 add.b *a, $(4000)
i for (1)>7999
i for 1
 rof
 rof
a  div -loop, (1)
 slt.a <0, @-Q9||0!=top&&CORESIZE
 mul {7999>=-a!=0
loop  jmn.a $(b%(ptr))
