;assert 1
;name x rof ;break ;assert
end i for * @ ;trace CORESIZE
 ldp.i 
spl }
@
