a equ mov 0,
100 \
 ;trace
