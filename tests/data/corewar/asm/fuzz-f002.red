;assert 1
 spl.i a &&
.i
0 ) ;assert -3 == } #
# end
* 100 * org
