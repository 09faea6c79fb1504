;assert 1
 dat 5
 dat #5
 dat <5
 dat @5
 dat }5
