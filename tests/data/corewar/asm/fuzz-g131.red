 for 3
 rof
