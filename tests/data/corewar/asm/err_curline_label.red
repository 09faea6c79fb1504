;assert 1
CURLINE dat 0
