;assert CORESIZE==8000
 equ stp.ba *1, @Q9
Q9 equ (-3)>_u
 end x-loop==MAXLENGTH*7999
j for 3
 add {MAXLENGTH, b
 sne #(5==Q9)!=(loop), }b
 rof
