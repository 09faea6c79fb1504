# Chaser: a RobotRumble starter bot (CodeClash's robot.py contract).
# Each unit attacks an adjacent enemy, the weakest first; otherwise it walks
# towards the nearest enemy.


def robot(state, unit):
    enemies = state.objs_by_team(state.other_team)
    if not enemies:
        return None
    here = unit.coords
    adjacent = [e for e in enemies if here.walking_distance_to(e.coords) == 1]
    if adjacent:
        target = min(adjacent, key=lambda e: (e.health, e.id))
        return Action.attack(here.direction_to(target.coords))
    nearest = min(enemies, key=lambda e: (here.walking_distance_to(e.coords), e.id))
    return Action.move(here.direction_to(nearest.coords))
