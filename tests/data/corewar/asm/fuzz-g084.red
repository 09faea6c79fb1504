;name 
 div.b CURLINE, CORESIZE
