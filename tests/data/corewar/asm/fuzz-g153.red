;assert MAXLENGTH>5
;name W
;break
 for 0
ptr  jmn.x $b<(top/1), @7999
 rof
