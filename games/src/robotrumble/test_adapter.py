"""Runs adapter.py for real against throwaway robot.py folders.

    cd games/src/robotrumble && python3 -m unittest test_adapter -v
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
import unittest

ADAPTER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "adapter.py")


def state(turn=1, team="Blue", units=(("30", 9, 9, "Blue", 5), ("31", 9, 10, "Red", 4))):
    """A turn's request: one wall and the given units (id, x, y, team, health)."""
    objs = {"1": {"id": "1", "coords": [0, 9], "obj_type": "Terrain", "type": "Wall"}}
    grid = [[None] * 19 for _ in range(19)]
    grid[9][0] = "1"
    teams = {"Red": [], "Blue": []}
    for id, x, y, t, h in units:
        objs[id] = {"id": id, "coords": [x, y], "obj_type": "Unit", "type": "Soldier",
                    "team": t, "health": h}
        grid[y][x] = id
        teams[t].append(id)
    return {"type": "move", "turn": turn, "team": team, "grid_size": 19, "objs": objs,
            "grid": grid, "teams": teams}


START = {"type": "start", "team": "Blue"}
END = {"type": "end"}


class Bot:
    """A bot folder with robot.py and a copy of the adapter."""

    def __init__(self, source):
        self.folder = tempfile.mkdtemp(prefix="rumble-bot-")
        with open(os.path.join(self.folder, "robot.py"), "w") as f:
            f.write(textwrap.dedent(source))
        shutil.copy(ADAPTER, self.folder)

    def talk(self, *requests):
        """Sends the requests; returns (answers, stderr)."""
        lines = "".join(json.dumps(r) + "\n" for r in requests)
        done = subprocess.run([sys.executable, "adapter.py"], cwd=self.folder, input=lines,
                              capture_output=True, text=True, timeout=20)
        return [json.loads(line) for line in done.stdout.splitlines()], done.stderr

    def close(self):
        shutil.rmtree(self.folder, ignore_errors=True)


class AdapterTest(unittest.TestCase):
    def turns(self, source, *requests):
        bot = Bot(source)
        self.addCleanup(bot.close)
        answers, stderr = bot.talk(START, *requests, END)
        self.assertEqual(len(answers), len(requests) + 2, stderr)
        self.assertEqual(answers[0], {})
        self.assertEqual(answers[-1], {})
        return answers[1:-1], stderr

    def test_each_of_our_units_gets_its_action(self):
        [a], _ = self.turns("""
            def robot(state, unit):
                return Action.move(Direction.North)
        """, state(units=(("30", 9, 9, "Blue", 5), ("32", 5, 5, "Blue", 5), ("31", 9, 10, "Red", 5))))
        self.assertEqual(a["Ok"]["robot_actions"], {
            "30": {"Ok": {"type": "Move", "direction": "North"}},
            "32": {"Ok": {"type": "Move", "direction": "North"}},
        })

    def test_none_is_no_action_and_attack_and_heal_are_actions(self):
        [a], _ = self.turns("""
            def robot(state, unit):
                if state.turn == 1:
                    return None
        """, state())
        self.assertEqual(a["Ok"]["robot_actions"], {"30": {"Ok": None}})
        [a, b], _ = self.turns("""
            def robot(state, unit):
                return Action.attack(Direction.South) if state.turn == 1 else Action.heal(Direction.West)
        """, state(turn=1), state(turn=2))
        self.assertEqual(a["Ok"]["robot_actions"]["30"]["Ok"], {"type": "Attack", "direction": "South"})
        self.assertEqual(b["Ok"]["robot_actions"]["30"]["Ok"], {"type": "Heal", "direction": "West"})

    def test_init_turn_runs_first_and_state_persists_between_turns(self):
        [a, b], _ = self.turns("""
            seen = []
            def init_turn(state):
                seen.append(state.turn)
            def robot(state, unit):
                return Action.move(Direction.East) if seen == [1, 2] else None
        """, state(turn=1), state(turn=2))
        self.assertEqual(a["Ok"]["robot_actions"]["30"], {"Ok": None})
        self.assertEqual(b["Ok"]["robot_actions"]["30"]["Ok"]["direction"], "East")

    def test_an_exception_is_that_units_error_only(self):
        [a], _ = self.turns("""
            def robot(state, unit):
                if unit.id == "30":
                    return 1 / 0
                return Action.move(Direction.West)
        """, state(units=(("30", 9, 9, "Blue", 5), ("33", 4, 9, "Blue", 5))))
        err = a["Ok"]["robot_actions"]["30"]["Err"]
        self.assertEqual(err["summary"], "ZeroDivisionError: division by zero")
        self.assertEqual(err["loc"], {"start": [4, None], "end": None})
        self.assertIn("<robot>", err["details"])
        self.assertEqual(a["Ok"]["robot_actions"]["33"]["Ok"]["type"], "Move")

    def test_a_return_that_is_not_an_action_is_an_error(self):
        [a], _ = self.turns("""
            def robot(state, unit):
                return "north"
        """, state())
        self.assertEqual(a["Ok"]["robot_actions"]["30"]["Err"]["summary"],
                         "TypeError: Robot must return an Action or None")

    def test_failures_of_the_program_are_init_errors(self):
        cases = {
            "def robot(state, unit)\n    return None\n": "SyntaxError",
            "def choose(state, unit):\n    return None\n": "You must define a 'robot' function",
            "def robot(unit):\n    return None\n": "Your robot function must accept 2 arguments",
            "def init_turn():\n    pass\ndef robot(s, u):\n    return None\n":
                "Your init_turn function must accept 1 arguments",
            "def init_turn(state):\n    raise ValueError('nope')\ndef robot(s, u):\n    return None\n":
                "ValueError: nope",
            "import not_a_module\ndef robot(s, u):\n    return None\n": "ModuleNotFoundError",
        }
        for source, expected in cases.items():
            with self.subTest(expected=expected):
                [a, b], _ = self.turns(source, state(), state(turn=2))
                self.assertIn(expected, a["Err"]["InitError"]["summary"])
                self.assertEqual(a, b)

    def test_prints_are_logs_and_never_reach_the_protocol(self):
        [a], stderr = self.turns("""
            import os
            print("loading")
            os.write(1, b"raw bytes on fd 1\\n")
            def init_turn(state):
                print("turn", state.turn)
            def robot(state, unit):
                print("unit", unit.id)
                return None
        """, state())
        self.assertEqual(a["Ok"]["logs"], ["turn 1\n", "unit 30\n"])
        self.assertIn("loading", stderr)
        self.assertIn("raw bytes on fd 1", stderr)

    def test_the_api_behaves_as_robotrumbles(self):
        [a], _ = self.turns("""
            def robot(state, unit):
                c = unit.coords
                enemy = state.objs_by_team(state.other_team)[0]
                checks = {
                    "repr": repr(c),
                    "add": c + Direction.East == Coords(10, 9),
                    "sub": (c - Coords(1, 1)) == (8, 8),
                    "mul": c * 2 == Coords(18, 18),
                    "around": c.coords_around() == [Coords(9, 8), Coords(9, 10), Coords(10, 9), Coords(8, 9)],
                    "dir_to": [c.direction_to(Coords(9, 12)).value, c.direction_to(Coords(3, 9)).value,
                               c.direction_to(Coords(9, 0)).value, c.direction_to(Coords(15, 10)).value],
                    "dist": (c.distance_to(Coords(12, 13)), c.walking_distance_to(Coords(12, 13))),
                    "wall": state.obj_by_coords(Coords(0, 9)).obj_type == ObjType.Terrain,
                    "wall_team": state.obj_by_coords(Coords(0, 9)).team,
                    "enemy": (enemy.id, enemy.health, enemy.team == Team.Red, repr(enemy)),
                    "negative": state.id_by_coords(Coords(-19, 9)),
                    "past_edge": state.id_by_coords(Coords(19, 9)),
                    "missing": state.obj_by_id("999"),
                    "our": (state.our_team.value, state.other_team.value, Team.Red.opposite.value),
                    "dirs": [Direction.North.opposite.value, Direction.North.rotate_cw.value,
                             Direction.North.rotate_ccw.value, repr(Direction.West)],
                    "sizes": (MAP_SIZE, len(SPAWN_COORDS), Coords(9, 9) in HILL_COORDS),
                }
                for key in ("bad_coords", "bad_id", "bad_action"):
                    try:
                        {"bad_coords": lambda: Coords(1.5, 2), "bad_id": lambda: state.obj_by_id(30),
                         "bad_action": lambda: Action.move("North")}[key]()
                    except TypeError as e:
                        checks[key] = str(e)
                debug.inspect("checks", checks)
                debug.locate(unit)
                return None
        """, state())
        out = a["Ok"]
        self.assertEqual(out["debug_locate_queries"], ["30"])
        checks = out["debug_inspect_tables"]["30"]["checks"]
        for part in [
            "'repr': '(9, 9)'", "'add': True", "'sub': True", "'mul': True", "'around': True",
            "'dir_to': ['South', 'West', 'North', 'East']", "'dist': (5.0, 7)",
            "'wall': True", "'wall_team': None",
            "'enemy': ('31', 4, True, '<ObjType.Unit id=31 coords=(9, 10) Team.Red health=4>')",
            "'negative': '1'", "'past_edge': None", "'missing': None",
            "'our': ('Blue', 'Red', 'Blue')",
            "'dirs': ['South', 'East', 'West', 'Direction.West']",
            "'sizes': (19, 48, True)",
            "'bad_coords': 'Coords.__new__ argument must be an instance of int'",
            "'bad_id': 'State.obj_by_id argument must be an instance of str'",
            "'bad_action': 'Action.move argument must be an instance of Direction'",
        ]:
            self.assertIn(part, checks)

    def test_is_spawn_reads_a_one_shot_iterator_as_robotrumbles_does(self):
        [a], _ = self.turns("""
            def robot(state, unit):
                first = Coords(9, 1).is_spawn()
                again = Coords(9, 1).is_spawn()
                later = Coords(17, 9).is_spawn()
                debug.inspect("spawn", (first, again, later, Coords(9, 9).is_spawn(), Coords(17, 13).is_spawn()))
                return None
        """, state())
        # The first call finds (9, 1); the iterator is then past it, so the
        # second call misses it and runs the iterator dry: every later call,
        # even for a spawn cell, is False.
        self.assertEqual(a["Ok"]["debug_inspect_tables"]["30"]["spawn"], "(True, False, False, False, False)")

    def test_the_api_can_be_imported_as_rumblelib(self):
        [a], _ = self.turns("""
            from rumblelib import Action as A, Direction as D
            import rumblelib
            def robot(state, unit):
                return A.move(rumblelib.Direction.South if D else None)
        """, state())
        self.assertEqual(a["Ok"]["robot_actions"]["30"]["Ok"]["direction"], "South")


ADAPTER_JS = os.path.join(os.path.dirname(ADAPTER), "adapter.js")


class JsBot:
    """A bot folder with robot.js and a copy of adapter.js."""

    def __init__(self, source):
        self.folder = tempfile.mkdtemp(prefix="rumble-jsbot-")
        with open(os.path.join(self.folder, "robot.js"), "w") as f:
            f.write(textwrap.dedent(source))
        shutil.copy(ADAPTER_JS, self.folder)

    def talk(self, *requests):
        lines = "".join(json.dumps(r) + "\n" for r in requests)
        done = subprocess.run(["node", "adapter.js"], cwd=self.folder, input=lines,
                              capture_output=True, text=True, timeout=20)
        return [json.loads(line) for line in done.stdout.splitlines()], done.stderr

    def close(self):
        shutil.rmtree(self.folder, ignore_errors=True)


@unittest.skipIf(shutil.which("node") is None, "node is not installed")
class JsAdapterTest(unittest.TestCase):
    def turns(self, source, *requests):
        bot = JsBot(source)
        self.addCleanup(bot.close)
        answers, stderr = bot.talk(START, *requests, END)
        self.assertEqual(len(answers), len(requests) + 2, stderr)
        return answers[1:-1], stderr

    def test_actions_errors_and_logs(self):
        [a], stderr = self.turns("""
            console.log('loading')
            function robot(state, unit) {
              console.log('unit', unit.id)
              if (unit.id === '32') throw new Error('nope')
              if (unit.id === '33') return undefined
              if (unit.id === '34') return null
              return Action.move(unit.coords.directionTo(new Coords(9, 0)))
            }
        """, state(units=(("30", 9, 9, "Blue", 5), ("32", 5, 5, "Blue", 5), ("33", 6, 6, "Blue", 5),
                          ("34", 7, 7, "Blue", 5), ("31", 9, 10, "Red", 5))))
        acts = a["Ok"]["robot_actions"]
        self.assertEqual(acts["30"], {"Ok": {"type": "Move", "direction": "North"}})
        self.assertEqual(acts["32"]["Err"]["summary"], "Error: nope")
        self.assertEqual(acts["32"]["Err"]["loc"], {"start": [5, None], "end": None})
        self.assertEqual(acts["33"]["Err"]["summary"], "TypeError: Robot must return an Action or null")
        self.assertEqual(acts["34"], {"Ok": None})
        self.assertEqual(a["Ok"]["logs"], ["unit 30\n", "unit 32\n", "unit 33\n", "unit 34\n"])
        self.assertIn("loading", stderr)

    def test_failures_of_the_program_are_init_errors(self):
        cases = {
            "function robot(state, unit) {": "SyntaxError",
            "function act(state, unit) { return null }": "You must define a 'robot' function",
            "function robot(unit) { return null }": "Your robot function must accept 2 arguments",
            "function initTurn(s) { throw new Error('x') }\nfunction robot(s, u) { return null }": "Error: x",
        }
        for source, expected in cases.items():
            with self.subTest(expected=expected):
                [a], _ = self.turns(source, state())
                self.assertIn(expected, a["Err"]["InitError"]["summary"])

    def test_the_api(self):
        [a], _ = self.turns("""
            function robot(state, unit) {
              const c = unit.coords
              const enemy = state.objsByTeam(state.otherTeam)[0]
              debug.inspect('checks', [
                c.add(Direction.East).toString(), c.sub(new Coords(1, 1)).toString(), c.mul(2).toString(),
                c.walkingDistanceTo(new Coords(12, 13)), String(Direction.North.opposite),
                String(state.ourTeam), enemy.id, enemy.health, String(enemy),
                state.idByCoords(new Coords(-1, 9)), state.objByCoords(new Coords(0, 9)).objType === ObjType.Terrain,
                new Coords(9, 1).isSpawn(), new Coords(9, 1).isSpawn(), new Coords(9, 9).isHill(),
                state.objById('999'), MAP_SIZE, SPAWN_COORDS.size,
              ].join('|'))
              debug.locate(unit)
              return null
            }
        """, state())
        out = a["Ok"]
        self.assertEqual(out["debug_locate_queries"], ["30"])
        self.assertEqual(out["debug_inspect_tables"]["30"]["checks"],
                         "(10, 9)|(8, 8)|(18, 18)|7|Direction.South|Team.Blue|31|4|"
                         "<ObjType.Unit id=31 coords=(9, 10) Team.Red health=4>||true|true|true|true||19|48")


if __name__ == "__main__":
    unittest.main()
