;assert 1
 mov #1, #2
 mov $1, $2
 mov @1, @2
 mov <1, <2
 mov >1, >2
 mov *1, *2
 mov {1, {2
 mov }1, }2
 mov 1, 2
