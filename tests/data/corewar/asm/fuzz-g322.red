;trace off
 pin ((_u>=Q9))
