"""Writes engine_py_games.json: seeded games played by CodeClash-ai/Gomoku's own
rules (engine.py's GomokuGame, commit 923c141), for gomoku_rules.rs to replay.

    python3 make_engine_games.py path/to/engine.py > engine_py_games.json

Moves come from a line-loving random policy (so fives, overlines and
near-misses happen), on 15x15, 9x9 and 6x6 boards (the small ones draw
often); some games end with an occupied or off-board move, which engine.py's
run_game scores as a loss for the mover.
"""

import importlib.util
import json
import random
import sys


def load(path):
    spec = importlib.util.spec_from_file_location("engine", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def pick(rng, game):
    n = game.board_size
    empty = [(x, y) for x in range(n) for y in range(n) if game.board[x][y] == 0]
    stone = 1 if game.current_player == "black" else 2
    own = [(x, y) for x in range(n) for y in range(n) if game.board[x][y] == stone]
    if own and rng.random() < 0.8:
        x, y = rng.choice(own)
        dx, dy = rng.choice([(1, 0), (0, 1), (1, 1), (1, -1), (-1, 0), (0, -1), (-1, -1), (-1, 1)])
        for k in range(1, n):
            cell = (x + k * dx, y + k * dy)
            if not (0 <= cell[0] < n and 0 <= cell[1] < n) or game.board[cell[0]][cell[1]] != stone:
                break
        if 0 <= cell[0] < n and 0 <= cell[1] < n and game.board[cell[0]][cell[1]] == 0:
            return cell
    return rng.choice(empty)


def overline(game):
    n = game.board_size
    for x in range(n):
        for y in range(n):
            s = game.board[x][y]
            if s == 0:
                continue
            for dx, dy in [(1, 0), (0, 1), (1, 1), (1, -1)]:
                k = 0
                while 0 <= x + k * dx < n and 0 <= y + k * dy < n and game.board[x + k * dx][y + k * dy] == s:
                    k += 1
                if k >= 6:
                    return True
    return False


def main():
    engine = load(sys.argv[1])
    games = []
    for seed in range(90):
        rng = random.Random(seed)
        size = [15, 9, 6][seed % 3]
        game = engine.GomokuGame(board_size=size)
        fail_at = rng.randrange(4, 40) if seed % 7 == 3 else None
        moves, outcome = [], None
        while game.winner is None and len(moves) < size * size:
            if fail_at is not None and len(moves) == fail_at:
                taken = [(x, y) for x, row in enumerate(game.board) for y, v in enumerate(row) if v]
                cell = rng.choice([rng.choice(taken), (size, 0), (-1, 2), (3, size + 4)])
            else:
                cell = pick(rng, game)
            moves.append(list(cell))
            mover = game.current_player
            if not game.make_move(*cell):
                outcome = {"invalid": mover}
                break
        if outcome is None:
            outcome = {"winner": game.winner} if game.winner else {"draw": True}
        outcome["overline_on_board"] = overline(game)
        games.append({"seed": seed, "size": size, "moves": moves, "outcome": outcome})
    json.dump({"source": "CodeClash-ai/Gomoku engine.py @ 923c141", "games": games}, sys.stdout, indent=None)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
