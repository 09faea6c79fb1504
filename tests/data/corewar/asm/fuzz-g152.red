_u equ slt.ab }(MAXLENGTH%ptr)>=5
