;assert CORESIZE==8000
 for ((0))!=(CORESIZE)
 rof
