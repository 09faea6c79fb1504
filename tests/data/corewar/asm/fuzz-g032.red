b: spl -x
 end a
ptr equ CORESIZE!=5==loop&&Q9%1
x&i add *ptr*loop<=0&&top>5, }(Q9)/5*4000!=1!=4000/ptr<=5
