;assert 1
.i { 100 _
 mov.i lbl x

# 100 for
