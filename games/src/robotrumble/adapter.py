#!/usr/bin/env python3
"""Runs a CodeClash RobotRumble bot (``robot.py`` defining ``robot(state, unit)``
and optionally ``init_turn(state)``) behind the arena's JSON-lines protocol.
Standard library only.

Run as ``python3 adapter.py`` in the bot's folder. Each stdin line is one
request; each gets exactly one stdout line back:

    {"type": "start", "team": "Blue"}            -> {}
    {"type": "move", "turn": 1, "team": "Blue", "objs": {...}, "grid": [...],
     "teams": {...}, "grid_size": 19}            -> {"Ok": {"robot_actions": ...}}
    {"type": "end"}                              -> {}

A turn's answer has RobotRumble's shape: ``{"Ok": {"robot_actions": {id:
{"Ok": {"type": "Move", "direction": "North"}} | {"Ok": null} | {"Err":
error}}, "logs": [...], "debug_inspect_tables": {...},
"debug_locate_queries": [...]}}``, where ``error`` is ``{"summary", "details",
"loc"}``; or ``{"Err": {"InitError": error}}`` when ``robot.py`` did not load,
has no ``robot(state, unit)`` (two arguments), an ``init_turn`` that does not
take one argument, or ``init_turn`` raised: RobotRumble ends the game there.
An exception in ``robot`` (or a return that is not an ``Action`` or ``None``)
is that unit's error only.

The API is RobotRumble's Python API, as its documentation and its runner
behave: the bot's module sees ``State``, ``Obj``, ``Coords``, ``Direction``,
``Action``, ``ActionType``, ``Team``, ``ObjType``, ``MAP_SIZE``,
``SPAWN_COORDS``, ``HILL_COORDS``, ``check_instance`` and ``debug`` as
globals without importing them (``import rumblelib`` works too).

Printing: ``print`` inside ``init_turn``/``robot`` becomes the turn's logs,
as RobotRumble collects them. Output at import time goes to stderr (under
RobotRumble's runner it would corrupt the runner's start line and lose the
game; here it is only kept out of the protocol). The protocol keeps private
duplicates of the real stdin and stdout; fd 1 points at stderr and fd 0 at
/dev/null before ``robot.py`` is loaded.
"""

import enum
import io
import json
import math
import os
import sys
import traceback
import types
import typing

ROBOT_FILE = "<robot>"
MESSAGE_LIMIT = 4000


def check_instance(val, cls, func_name):
    """The API's argument check."""
    if not isinstance(val, cls):
        raise TypeError(f"{func_name} argument must be an instance of {cls.__name__}")


class Direction(enum.Enum):
    North = "North"
    South = "South"
    East = "East"
    West = "West"

    def __repr__(self):
        return str(self)

    @property
    def opposite(self):
        return _OPPOSITE[self]

    @property
    def to_coords(self):
        dx, dy = _DELTA[self]
        return Coords(dx, dy)

    @property
    def rotate_cw(self):
        return _CLOCKWISE[self]

    @property
    def rotate_ccw(self):
        return _ANTICLOCKWISE[self]


_OPPOSITE = {
    Direction.North: Direction.South,
    Direction.South: Direction.North,
    Direction.East: Direction.West,
    Direction.West: Direction.East,
}
_DELTA = {
    Direction.North: (0, -1),
    Direction.South: (0, 1),
    Direction.East: (1, 0),
    Direction.West: (-1, 0),
}
_CLOCKWISE = {
    Direction.North: Direction.East,
    Direction.East: Direction.South,
    Direction.South: Direction.West,
    Direction.West: Direction.North,
}
_ANTICLOCKWISE = {v: k for k, v in _CLOCKWISE.items()}


class Coords(tuple):
    """An (x, y) cell; a tuple, so it compares and hashes as one."""

    def __new__(cls, x, y):
        check_instance(x, int, "Coords.__new__")
        check_instance(y, int, "Coords.__new__")
        return super().__new__(cls, (x, y))

    def __repr__(self):
        return f"({self[0]}, {self[1]})"

    @property
    def x(self):
        return self[0]

    @property
    def y(self):
        return self[1]

    def is_spawn(self):
        # RobotRumble keeps the spawn cells' names in a one-shot iterator:
        # each call consumes it up to the match, so later calls miss cells
        # (bots in CodeClash's ladder work around this). Kept as it behaves.
        return str(self) in _SPAWN_NAMES

    def is_hill(self):
        # The same, over a second one-shot iterator of the *spawn* cells.
        return str(self) in _HILL_NAMES

    def distance_to(self, other):
        check_instance(other, Coords, "Coords.distance_to")
        return math.sqrt((other.x - self.x) ** 2 + (other.y - self.y) ** 2)

    def walking_distance_to(self, other):
        check_instance(other, Coords, "Coords.walking_distance_to")
        return abs(other.x - self.x) + abs(other.y - self.y)

    def coords_around(self):
        return [self + d for d in Direction]

    def direction_to(self, other):
        check_instance(other, Coords, "Coords.direction_to")
        dx, dy = self.x - other.x, self.y - other.y
        angle = math.atan2(dy, dx)
        quarter = math.pi / 4
        if abs(angle) <= quarter:
            return Direction.West
        if abs(angle + math.pi / 2) <= quarter:
            return Direction.South
        if abs(angle - math.pi / 2) <= quarter:
            return Direction.North
        return Direction.East

    def __add__(self, other):
        if isinstance(other, Coords):
            return Coords(self.x + other.x, self.y + other.y)
        if isinstance(other, Direction):
            dx, dy = _DELTA[other]
            return Coords(self.x + dx, self.y + dy)
        raise TypeError("Coords.__add__ argument must be an instance of Coords or Direction")

    def __sub__(self, other):
        if isinstance(other, Coords):
            return Coords(self.x - other.x, self.y - other.y)
        if isinstance(other, Direction):
            dx, dy = _DELTA[other]
            return Coords(self.x - dx, self.y - dy)
        raise TypeError("Coords.__sub__ argument must be an instance of Coords or Direction")

    def __mul__(self, n):
        check_instance(n, int, "Coords.__mul__")
        return Coords(self.x * n, self.y * n)


MAP_SIZE = 19


def _spawn_cells():
    """Open cells with a wall as a four-way neighbour, sorted by x then y."""
    c = MAP_SIZE // 2

    def wall(x, y):
        return (c - x) ** 2 + (c - y) ** 2 >= c * c

    return [
        Coords(x, y)
        for x in range(MAP_SIZE)
        for y in range(MAP_SIZE)
        if not wall(x, y) and any(wall(x + dx, y + dy) for dx, dy in _DELTA.values())
    ]


SPAWN_COORDS = set(_spawn_cells())
HILL_COORDS = {Coords(x, y) for x in (8, 9, 10) for y in (8, 9, 10)}
_SPAWN_NAMES = iter([str(c) for c in _spawn_cells()])
_HILL_NAMES = iter([str(c) for c in _spawn_cells()])


class Team(enum.Enum):
    Red = "Red"
    Blue = "Blue"

    def __repr__(self):
        return str(self)

    @property
    def opposite(self):
        return Team.Blue if self == Team.Red else Team.Red


class ObjType(enum.Enum):
    Unit = "Unit"
    Terrain = "Terrain"

    def __repr__(self):
        return str(self)


class Obj:
    """A wall or a unit, over its data."""

    def __init__(self, obj):
        check_instance(obj, dict, "Coords.__init__")
        self._data = obj

    def __repr__(self):
        if self.obj_type == ObjType.Unit:
            return f"<{self.obj_type} id={self.id} coords={self.coords} {self.team} health={self.health}>"
        return f"<{self.obj_type} id={self.id} coords={self.coords}>"

    @property
    def coords(self):
        return Coords(*self._data["coords"])

    @property
    def id(self):
        return self._data["id"]

    @property
    def obj_type(self):
        return ObjType(self._data["obj_type"])

    @property
    def team(self):
        return Team(self._data["team"]) if self.obj_type == ObjType.Unit else None

    @property
    def health(self):
        return self._data["health"] if self.obj_type == ObjType.Unit else None


class State:
    """The turn's state, over the data the arena sends."""

    def __init__(self, state):
        check_instance(state, dict, "State.__init__")
        self._data = state

    @property
    def turn(self):
        return self._data["turn"]

    @property
    def our_team(self):
        return Team(self._data["team"])

    @property
    def other_team(self):
        return self.our_team.opposite

    def obj_by_id(self, id):
        check_instance(id, str, "State.obj_by_id")
        data = self._data["objs"].get(id)
        return None if data is None else Obj(data)

    def ids_by_team(self, team):
        # RobotRumble's message names the wrong method here; kept.
        check_instance(team, Team, "State.check_instance")
        return self._data["teams"][team.value]

    def objs_by_team(self, team):
        check_instance(team, Team, "State.objs_by_team")
        return [self.obj_by_id(i) for i in self.ids_by_team(team)]

    def id_by_coords(self, coords):
        check_instance(coords, Coords, "State.id_by_coords")
        # Plain list indexing, as RobotRumble's: negative coordinates count
        # from the far side; past the edge is None.
        try:
            return self._data["grid"][coords.y][coords.x]
        except IndexError:
            return None

    def obj_by_coords(self, coords):
        check_instance(coords, Coords, "State.obj_by_coords")
        id = self.id_by_coords(coords)
        return self.obj_by_id(id) if id else None


class ActionType(enum.Enum):
    Attack = "Attack"
    Move = "Move"
    Heal = "Heal"

    def __repr__(self):
        return str(self)


class Action:
    def __init__(self, type, direction):
        check_instance(type, ActionType, "Action.__init__")
        check_instance(direction, Direction, "Action.__init__")
        self.type = type
        self.direction = direction

    def __repr__(self):
        return f"<{self.type} {self.direction}>"

    @staticmethod
    def move(direction):
        check_instance(direction, Direction, "Action.move")
        return Action(ActionType.Move, direction)

    @staticmethod
    def attack(direction):
        check_instance(direction, Direction, "Action.attack")
        return Action(ActionType.Attack, direction)

    @staticmethod
    def heal(direction):
        check_instance(direction, Direction, "Action.heal")
        return Action(ActionType.Heal, direction)


class Debug:
    """``debug`` for one unit: inspected values and located units."""

    def __init__(self, table, located):
        self._table = table
        self._located = located

    def inspect(self, key, val):
        check_instance(key, str, "Debug.inspect 'key'")
        self._table[key] = str(val)

    def locate(self, unit):
        check_instance(unit, Obj, "Debug.locate")
        self._located.append(unit.id)


API = {
    "check_instance": check_instance,
    "Direction": Direction,
    "Coords": Coords,
    "MAP_SIZE": MAP_SIZE,
    "SPAWN_COORDS": SPAWN_COORDS,
    "HILL_COORDS": HILL_COORDS,
    "Team": Team,
    "ObjType": ObjType,
    "Obj": Obj,
    "State": State,
    "ActionType": ActionType,
    "Action": Action,
    "typing": typing,
}


def clip(text):
    return text if len(text) <= MESSAGE_LIMIT else text[:MESSAGE_LIMIT] + "..."


def format_error(exc):
    """RobotRumble's error: the exception line, the traceback, the robot's line."""
    line = None
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == ROBOT_FILE:
            line = tb.tb_lineno
        tb = tb.tb_next
    if line is None and isinstance(exc, SyntaxError) and exc.filename == ROBOT_FILE:
        line = exc.lineno
    parts = list(traceback.TracebackException.from_exception(exc).format())
    summary = parts.pop().strip() if parts else repr(exc)
    return {
        "summary": clip(summary),
        "details": clip("".join(parts)),
        "loc": None if line is None else {"start": [line, None], "end": None},
    }


def init_error(exc):
    return {"Err": {"InitError": format_error(exc)}}


def load_robot(folder):
    """The bot's module namespace, or an answer saying why it failed."""
    path = os.path.join(folder, "robot.py")
    module = types.ModuleType("robot")
    module.__dict__.update(API)
    module.__dict__["debug"] = Debug({}, [])
    module.__file__ = path
    rumblelib = types.ModuleType("rumblelib")
    rumblelib.__dict__.update(API)
    sys.modules["rumblelib"] = rumblelib
    sys.modules["robot"] = module
    try:
        with open(path, encoding="utf-8") as f:
            source = f.read()
        exec(compile(source, ROBOT_FILE, "exec"), module.__dict__)
    except Exception as exc:
        return None, init_error(exc)
    return module.__dict__, None


def function(scope, name, argcount, mandatory):
    """RobotRumble's check of ``robot``/``init_turn``."""
    f = scope.get(name)
    if not callable(f):
        if mandatory:
            raise TypeError(f"You must define a '{name}' function")
        return None
    if f.__code__.co_argcount != argcount:
        raise TypeError(f"Your {name} function must accept {argcount} arguments")
    return f


def play_turn(scope, data):
    """One turn: ``init_turn`` then ``robot`` for each of our units, in id order."""
    logs = io.StringIO()
    saved = sys.stdout
    sys.stdout = logs
    try:
        return _play_turn(scope, data, logs)
    finally:
        sys.stdout = saved


def _play_turn(scope, data, logs):
    state = State(data)
    try:
        robot = function(scope, "robot", 2, True)
        init_turn = function(scope, "init_turn", 1, False)
        if init_turn is not None:
            init_turn(state)
    except Exception as exc:
        return init_error(exc)
    actions, tables, located = {}, {}, []
    for id in state.ids_by_team(state.our_team):
        table = {}
        scope["debug"] = Debug(table, located)
        try:
            action = robot(state, state.obj_by_id(id))
            if isinstance(action, Action):
                result = {"Ok": {"type": action.type.value, "direction": action.direction.value}}
            elif action is None:
                result = {"Ok": None}
            else:
                raise TypeError("Robot must return an Action or None")
        except Exception as exc:
            result = {"Err": format_error(exc)}
        actions[id] = result
        if table:
            tables[id] = table
    logs.seek(0)
    return {
        "Ok": {
            "robot_actions": actions,
            "logs": [clip(line) for line in logs.readlines()],
            "debug_inspect_tables": tables,
            "debug_locate_queries": located,
        }
    }


def open_protocol():
    """Keeps the real stdin/stdout for the protocol; gives the bot stderr and /dev/null."""
    proto_in = os.fdopen(os.dup(0), "r", encoding="utf-8", errors="replace")
    proto_out = os.fdopen(os.dup(1), "w", encoding="utf-8", newline="\n")
    sys.stdout.flush()
    os.dup2(2, 1)
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    sys.stdout = sys.stderr
    sys.stdin = open(os.devnull, encoding="utf-8")
    return proto_in, proto_out


def answer(request, scope, failure):
    if not isinstance(request, dict):
        return {"Err": {"InitError": {"summary": "request is not a JSON object", "details": None, "loc": None}}}
    kind = request.get("type")
    if kind != "move":
        return {}
    if failure is not None:
        return failure
    return play_turn(scope, request)


def main():
    proto_in, proto_out = open_protocol()
    folder = os.path.dirname(os.path.abspath(__file__))
    if folder not in sys.path:
        sys.path.insert(0, folder)
    scope, failure = load_robot(folder)
    for line in proto_in:
        if not line.strip():
            continue
        try:
            request = json.loads(line)
        except ValueError as exc:
            request = None
            reply = {"Err": {"InitError": {"summary": f"unreadable request: {exc}", "details": None, "loc": None}}}
        else:
            reply = answer(request, scope, failure)
        sys.stderr.flush()
        proto_out.write(json.dumps(reply) + "\n")
        proto_out.flush()


if __name__ == "__main__":
    main()
