;assert 1
a: mov <loop*0-4000-Q9<CORESIZE
