;assert 1
 ldp.f $ 0 x&i lbl <= ;name ,
@
