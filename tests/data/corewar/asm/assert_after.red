 mov 0, 1
;assert 1
