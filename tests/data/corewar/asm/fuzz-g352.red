 a
