;assert 1
y dat 1
 add.x 
