;assert MAXLENGTH>5
 end CORESIZE<((4000))
 pin x>=_u
