;assert CORESIZE==8000
x&i spl.ab -1, <loop
 seq.ba {1, <((CURLINE))!=b/CURLINE<5
x&i jmp.x <-a<7999%(ptr/CORESIZE), <top
i for 1
 rof
