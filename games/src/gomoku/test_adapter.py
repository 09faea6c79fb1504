"""Runs adapter.py for real against throwaway bot folders.

    cd games/src/gomoku && python3 -m unittest test_adapter -v
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

EMPTY = [[0] * 15 for _ in range(15)]
MOVE = {"type": "move", "board": EMPTY, "color": "black"}
START = {"type": "start", "color": "black", "board_size": 15}
END = {"type": "end"}


class Bot:
    """A bot folder with main.py and a copy of the adapter."""

    def __init__(self, source, extra=None):
        self.folder = tempfile.mkdtemp(prefix="gomoku-bot-")
        with open(os.path.join(self.folder, "main.py"), "w") as f:
            f.write(textwrap.dedent(source))
        for name, text in (extra or {}).items():
            with open(os.path.join(self.folder, name), "w") as f:
                f.write(textwrap.dedent(text))
        shutil.copy(ADAPTER, self.folder)

    def talk(self, *requests, raw=None):
        """Sends the requests; returns (answers, stderr)."""
        lines = raw if raw is not None else "".join(json.dumps(r) + "\n" for r in requests)
        done = subprocess.run(
            [sys.executable, "adapter.py"],
            cwd=self.folder,
            input=lines,
            capture_output=True,
            text=True,
            timeout=20,
        )
        self.returncode = done.returncode
        answers = [json.loads(line) for line in done.stdout.splitlines()]
        return answers, done.stderr

    def close(self):
        shutil.rmtree(self.folder, ignore_errors=True)


EXAMPLES = os.path.join(os.path.dirname(ADAPTER), "..", "..", "..", "examples", "gomoku")


def five_at(board, row, col):
    """engine.py's _check_win: exactly five through (row, col) in some direction."""
    n, stone = len(board), board[row][col]
    for dr, dc in ((1, 0), (0, 1), (1, 1), (1, -1)):
        count = 1
        for sign in (1, -1):
            r, c = row + sign * dr, col + sign * dc
            while 0 <= r < n and 0 <= c < n and board[r][c] == stone:
                count += 1
                r, c = r + sign * dr, c + sign * dc
        if count == 5:
            return True
    return False


class AdapterTest(unittest.TestCase):
    def bot(self, source, extra=None):
        bot = Bot(source, extra)
        self.addCleanup(bot.close)
        return bot

    def test_good_bot_moves(self):
        bot = self.bot(
            """
            def get_move(board, color):
                assert color == "black" and len(board) == 15 and board[7][7] == 0
                return (7, 7)
            """
        )
        answers, _ = bot.talk(START, MOVE, MOVE, END)
        self.assertEqual(answers, [{}, {"move": [7, 7]}, {"move": [7, 7]}, {}])
        self.assertEqual(bot.returncode, 0)

    def test_arguments_are_positional(self):
        # engine.py calls move_fn(board, color): parameter names are the bot's.
        bot = self.bot(
            """
            def get_move(state, me):
                return [len(state), 1 if me == "white" else 2]
            """
        )
        answers, _ = bot.talk(dict(MOVE, color="white"))
        self.assertEqual(answers, [{"move": [15, 1]}])

    def test_module_state_persists_between_moves(self):
        bot = self.bot(
            """
            calls = []
            def get_move(board, color):
                calls.append(1)
                return (0, len(calls))
            """
        )
        answers, _ = bot.talk(MOVE, MOVE, MOVE)
        self.assertEqual([a["move"] for a in answers], [[0, 1], [0, 2], [0, 3]])

    def test_bot_can_import_its_own_helpers(self):
        bot = self.bot(
            """
            from helper import pick
            def get_move(board, color):
                return pick()
            """,
            {"helper.py": "def pick():\n    return (3, 4)\n"},
        )
        answers, _ = bot.talk(MOVE)
        self.assertEqual(answers, [{"move": [3, 4]}])

    def test_printing_bot_keeps_protocol_clean(self):
        bot = self.bot(
            """
            import os, sys, subprocess
            print("hello at import")
            def get_move(board, color):
                print("thinking...")
                print("to __stdout__", file=sys.__stdout__, flush=True)
                os.write(1, b"raw fd 1\\n")
                subprocess.run(["echo", "child process"])
                return (1, 2)
            """
        )
        answers, stderr = bot.talk(MOVE, MOVE)
        self.assertEqual(answers, [{"move": [1, 2]}, {"move": [1, 2]}])
        for text in ("hello at import", "thinking...", "to __stdout__", "raw fd 1", "child process"):
            self.assertIn(text, stderr)

    def test_bot_reading_stdin_cannot_eat_requests(self):
        bot = self.bot(
            """
            import sys
            def get_move(board, color):
                return (0, len(sys.stdin.read()))
            """
        )
        answers, _ = bot.talk(MOVE, MOVE)
        self.assertEqual(answers, [{"move": [0, 0]}, {"move": [0, 0]}])

    def test_syntax_error_answers_import_error_every_time(self):
        bot = self.bot(
            """
            def get_move(board, color)
                return (0, 0)
            """
        )
        answers, _ = bot.talk(START, MOVE, MOVE, END)
        self.assertEqual(len(answers), 4)
        for a in answers[:3]:
            self.assertEqual(a["error"]["kind"], "import")
            self.assertIn("SyntaxError", a["error"]["message"])
        self.assertEqual(answers[3], {})

    def test_import_error(self):
        bot = self.bot("import numpy_that_does_not_exist\n")
        answers, _ = bot.talk(MOVE)
        self.assertEqual(answers[0]["error"]["kind"], "import")
        self.assertIn("ModuleNotFoundError", answers[0]["error"]["message"])

    def test_missing_function(self):
        bot = self.bot("def get_moves(board, color):\n    return (0, 0)\n")
        answers, _ = bot.talk(START, MOVE)
        self.assertEqual([a["error"]["kind"] for a in answers], ["missing_function"] * 2)

    def test_exception_names_type_message_and_line(self):
        bot = self.bot(
            """
            def get_move(board, color):
                return helper(board)

            def helper(board):
                return board[99][0]
            """
        )
        answers, _ = bot.talk(MOVE, MOVE)
        self.assertEqual(len(answers), 2)
        err = answers[0]["error"]
        self.assertEqual(err["kind"], "exception")
        self.assertEqual(
            err["message"], "IndexError: list index out of range (at main.py:6 in helper)"
        )

    def test_wrong_returns(self):
        cases = {
            "None": None,
            "(1, 2, 3)": "bad_return",
            "'ab'": "bad_return",
            "{'row': 1}": "bad_return",
            "('a', 1)": "bad_return",
            "(float('inf'), 0)": "bad_return",
        }
        for expr in cases:
            with self.subTest(expr=expr):
                bot = self.bot(f"def get_move(board, color):\n    return {expr}\n")
                answers, _ = bot.talk(MOVE)
                self.assertEqual(answers[0]["error"]["kind"], "bad_return")

    def test_returns_int_accepts_like_engine(self):
        # engine.py does int(move[0]), int(move[1]): floats truncate, digit
        # strings parse, bools are 0/1; negative and huge numbers pass
        # through for the rules to refuse as off the board.
        cases = {
            "(3.9, '4')": [3, 4],
            "[True, False]": [1, 0],
            "(-1, 7)": [-1, 7],
            "(10**30, 0)": [10**30, 0],
        }
        for expr, cell in cases.items():
            with self.subTest(expr=expr):
                bot = self.bot(f"def get_move(board, color):\n    return {expr}\n")
                answers, _ = bot.talk(MOVE)
                self.assertEqual(answers, [{"move": cell}])

    def test_unreadable_request_and_unknown_types(self):
        bot = self.bot("def get_move(board, color):\n    return (0, 0)\n")
        answers, _ = bot.talk(raw='not json\n{"type": "ping"}\n\n[1]\n')
        self.assertEqual(answers[0]["error"]["kind"], "malformed")
        self.assertEqual(answers[1], {})
        self.assertEqual(answers[2]["error"]["kind"], "malformed")
        self.assertEqual(len(answers), 3)

    def test_sys_exit_ends_the_process(self):
        bot = self.bot("import sys\ndef get_move(board, color):\n    sys.exit(3)\n")
        answers, _ = bot.talk(MOVE, MOVE)
        self.assertEqual(answers, [])
        self.assertEqual(bot.returncode, 3)


    def test_starter_bots_play_a_game_through_the_adapter(self):
        # Both starter bots behind live adapters, refereed move by move.
        procs = {}
        for color, name in (("black", "greedy"), ("white", "random")):
            folder = tempfile.mkdtemp(prefix=f"gomoku-{name}-")
            self.addCleanup(shutil.rmtree, folder, True)
            shutil.copy(os.path.join(EXAMPLES, name, "main.py"), folder)
            shutil.copy(ADAPTER, folder)
            proc = subprocess.Popen(
                [sys.executable, "adapter.py"],
                cwd=folder,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
            )
            self.addCleanup(proc.wait)
            self.addCleanup(proc.stdin.close)
            procs[color] = proc

        def ask(color, request):
            proc = procs[color]
            proc.stdin.write(json.dumps(request) + "\n")
            proc.stdin.flush()
            return json.loads(proc.stdout.readline())

        board = [[0] * 15 for _ in range(15)]
        for color in procs:
            self.assertEqual(ask(color, {"type": "start", "color": color, "board_size": 15}), {})
        winner, color = None, "black"
        for _ in range(225):
            reply = ask(color, {"type": "move", "board": board, "color": color})
            row, col = reply["move"]
            self.assertTrue(0 <= row < 15 and 0 <= col < 15 and board[row][col] == 0, reply)
            board[row][col] = 1 if color == "black" else 2
            if five_at(board, row, col):
                winner = color
                break
            color = "white" if color == "black" else "black"
        for c in procs:
            self.assertEqual(ask(c, {"type": "end"}), {})
        self.assertEqual(winner, "black", "greedy (black) should beat random")


if __name__ == "__main__":
    unittest.main()
