# Jostle: a test bot for parity with the reference engine. Its units crowd
# towards the centre and wander in fixed patterns so that moves collide
# (contested cells, swaps, bounces), attack now and then (sometimes their
# own side), idle sometimes, and one unit in seven raises each turn.

ORDER = [Direction.North, Direction.East, Direction.South, Direction.West]
CENTRE = Coords(9, 9)


def init_turn(state):
    print("turn", state.turn, "units", len(state.ids_by_team(state.our_team)))


def robot(state, unit):
    n = int(unit.id)
    k = n + state.turn
    if k % 7 == 0:
        raise ValueError("unit " + unit.id + " gives up on turn " + str(state.turn))
    if (n * 3 + state.turn) % 5 == 0:
        return None
    here = unit.coords
    d = here.direction_to(CENTRE) if k % 3 and here != CENTRE else ORDER[k % 4]
    if k % 4 == 0:
        return Action.attack(d)
    return Action.move(d)
