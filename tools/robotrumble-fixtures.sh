#!/usr/bin/env bash
# Records RobotRumble games with the reference engine (upstream's
# `rumblebot`, built by tools/build-rumblebot.sh) as the fixtures of the
# parity tests, tests/data/robotrumble/*.json.
#
# Each game is `rumblebot run term --raw --seed SEED BLUE RED` with both
# robots run as `command:python3 rumblelib.py robot.py` (upstream's own
# Python API under CPython; see build-rumblebot.sh for why not its wasm
# runner). The raw output is kept as recorded except that the walls (the
# same 132 objects every turn) are left out of each turn's `objs`, and a
# `fixture` key says how the game was recorded.
#
# Usage: RUMBLEBOT=/work/rumblebot/rumblebot tools/robotrumble-fixtures.sh
set -euo pipefail
cd "$(dirname "$0")/.."
rumblebot="${RUMBLEBOT:-/work/rumblebot/rumblebot}"
rumblelib="${RUMBLELIB:-$(dirname "$rumblebot")/rumblelib.py}"
out=tests/data/robotrumble

record() { # NAME SEED BLUE_DIR RED_DIR
    local name=$1 seed=$2 blue=$3 red=$4
    "$rumblebot" run term --raw --seed "$seed" \
        "command:python3 $rumblelib $blue/robot.py" \
        "command:python3 $rumblelib $red/robot.py" 2>/dev/null |
        python3 -c '
import json, sys
name, seed, blue, red = sys.argv[1:5]
game = json.load(sys.stdin)
for turn in game["turns"]:
    objs = turn["state"]["objs"]
    turn["state"]["objs"] = {k: v for k, v in objs.items() if v["obj_type"] == "Unit"}
    for key in ("debug_inspect_tables", "debug_locate_queries"):
        turn.pop(key, None)
game["fixture"] = {
    "recorded_with": f"rumblebot run term --raw --seed {seed} (walls left out of objs)",
    "blue": blue, "red": red, "seed": seed,
}
json.dump(game, sys.stdout, separators=(",", ":"))
' "$name" "$seed" "$(basename "$blue")" "$(basename "$red")" > "$out/$name.json"
    echo "$out/$name.json"
}

record chaser-centre-s1 s1 examples/robotrumble/chaser examples/robotrumble/centre
record centre-chaser-s2 s2 examples/robotrumble/centre examples/robotrumble/chaser
record jostle-chaser-s3 s3 tests/data/robotrumble/bots/jostle examples/robotrumble/chaser
record jostle-jostle-s4 s4 tests/data/robotrumble/bots/jostle tests/data/robotrumble/bots/jostle
