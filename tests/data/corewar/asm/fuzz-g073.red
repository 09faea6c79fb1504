_u loop
