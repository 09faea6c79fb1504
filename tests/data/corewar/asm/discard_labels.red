;assert 1
 dat 0
dangling other
