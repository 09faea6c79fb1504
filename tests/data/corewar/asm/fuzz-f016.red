;assert 1
,
 add _
