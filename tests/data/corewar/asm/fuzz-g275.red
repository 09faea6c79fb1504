;assert 1
;debug off
