;assert 1
res     ldp.ab  #0, #0
        stp.b   res, #1
        jmz.b   1, res
        dat     0
