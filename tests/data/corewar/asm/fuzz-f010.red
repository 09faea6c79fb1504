;assert 1
- pin && ;assert || end
 jmp . !
i ;name / CURLINE y jmp dat
