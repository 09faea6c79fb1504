# Centre: a RobotRumble starter bot (CodeClash's robot.py contract).
# Units gather towards the middle of the arena and fight whatever comes
# next to them; before a spawn turn they step off the spawn ring, where
# spawning would remove them.

CENTRE = Coords(9, 9)


def init_turn(state):
    global SPAWN_TURN_NEXT
    # Units on spawn points die when the next wave spawns (turns 11, 21, ...).
    SPAWN_TURN_NEXT = state.turn % 10 == 0


def robot(state, unit):
    here = unit.coords
    for d in (Direction.North, Direction.East, Direction.South, Direction.West):
        other = state.obj_by_coords(here + d)
        if other is not None and other.obj_type == ObjType.Unit and other.team == state.other_team:
            return Action.attack(d)
    if here == CENTRE:
        return None
    step = here.direction_to(CENTRE)
    if SPAWN_TURN_NEXT or state.obj_by_coords(here + step) is None:
        return Action.move(step)
    return None
