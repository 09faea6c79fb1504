"""Regenerates expected.json from tournaments.json with CodeClash's own
leaderboard code (codeclash/analysis/metrics/elo.py: ScoreMatrixBuilder with
the score type its command line uses by default,
per_tournament_boolean_drop_draws, and
BradleyTerryFitter with regularization 0.01), imported from a checkout.

    python3 generate.py --make-inputs      # (re)writes tournaments.json
    CODECLASH=/path/to/CodeClash python3 generate.py > expected.json

Needs numpy, scipy, matplotlib, tqdm and rich from PyPI.
"""
import json
import os
import random
import sys
import tempfile
from pathlib import Path


def make_inputs():
    rng = random.Random(21)
    strength = {"ada": 1.2, "bee": 0.6, "cog": 0.0, "dax": -0.5, "eel": -1.0, "fin": 0.3}
    names = sorted(strength)
    out = []
    for game in ["BattleSnake", "CoreWar"]:
        for k in range(36):
            a, b = rng.sample(names, 2)
            rounds = rng.choice([4, 8, 15, 15, 15, 20])
            winners = []
            for _ in range(rounds + 1):
                x = rng.random()
                p = 1 / (1 + 2.718281828 ** (strength[b] - strength[a]))
                if x < 0.15:
                    winners.append(None)
                else:
                    winners.append(a if rng.random() < p else b)
            out.append({"game": game, "players": [a, b], "rounds": winners})
        # Hand-made edge cases: tied on rounds, broken by the last decisive
        # round; tied and never decided; round 0 only decisive; rounds past
        # 15 decide nothing; three players are skipped.
        out.append({"game": game, "players": ["ada", "bee"], "rounds": [None, "ada", "bee", None]})
        out.append({"game": game, "players": ["cog", "dax"], "rounds": ["cog", None, None]})
        out.append({"game": game, "players": ["eel", "fin"], "rounds": ["eel", "fin", "eel", None]})
        out.append({"game": game, "players": ["dax", "eel"],
                    "rounds": [None] + ["dax"] * 7 + ["eel"] * 8 + ["eel"] * 5})
        out.append({"game": game, "players": ["ada", "cog", "eel"], "rounds": ["eel", "eel", "eel"]})
    out.append({"game": "CoreWar", "players": ["gus", "hal"], "rounds": [None, None, None]})
    return out


def expected(tournaments):
    sys.path.insert(0, os.environ["CODECLASH"])
    from codeclash.analysis.metrics.elo import BradleyTerryFitter, ScoreMatrixBuilder

    with tempfile.TemporaryDirectory() as tmp:
        for i, t in enumerate(tournaments):
            players = [{"name": p, "config": {"model": {"model_name": p}}} for p in t["players"]]
            stats = {str(r): {"winner": w if w is not None else "Tie"} for r, w in enumerate(t["rounds"])}
            meta = {"config": {"players": players, "game": {"name": t["game"]}}, "round_stats": stats}
            d = Path(tmp) / f"t{i:03d}"
            d.mkdir()
            (d / "metadata.json").write_text(json.dumps(meta))
        builder = ScoreMatrixBuilder(score_type="per_tournament_boolean_drop_draws")
        builder.build(Path(tmp))
    games = {}
    for game in sorted(builder.win_matrix):
        if game == "ALL":
            continue
        matrix = builder.win_matrix[game]
        fit = BradleyTerryFitter(matrix, regularization=0.01).fit()
        games[game] = {
            "wins": [[p1, p2, w1, w2] for (p1, p2), (w1, w2) in sorted(matrix.items())],
            "players": fit["players"],
            "strengths": [float(s) for s in fit["strengths"]],
            "elo": [float(BradleyTerryFitter.bt_to_elo(s)) for s in fit["strengths"]],
            "elo_std": [float(s) for s in fit["elo_std"]],
        }
    return games


here = Path(__file__).resolve().parent
if "--make-inputs" in sys.argv:
    (here / "tournaments.json").write_text(json.dumps(make_inputs(), indent=1) + "\n")
else:
    print(json.dumps(expected(json.loads((here / "tournaments.json").read_text())), indent=1))
