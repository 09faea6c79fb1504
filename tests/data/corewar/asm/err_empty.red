;assert 1
