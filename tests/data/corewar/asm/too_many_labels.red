;assert 1
a b c d e f g h dat 0
