#!/bin/bash
# Records the official Halite I environment's command line for the cases of
# tests/data/halite/cli.txt (tests/halite_cli.rs checks `arena halite` against
# them): for each case, cli/NAME.out (its stdout, the unix-time id of the
# replay and log names normalised to ID and the bots' folder to BOTS) and
# cli/NAME.meta (exit status, the .hlt's sha256 or none, the log files).
# Each case runs in a fresh folder (with Replays/ when the case says yes, and
# an empty sub/). Takes about two minutes (two cases wait out the 30 s init limit).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
data=$here/../tests/data/halite
bin=$("$here/build-halite.sh")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
bots=$work/bots
mkdir -p "$bots" "$data/cli"
gcc -O2 -o "$bots/fuzzbot" "$data/bots/fuzzbot.c"
gcc -O2 -o "$bots/cbot" "$here/../examples/halite/c/main.c" -lm
cp "$here/../examples/halite/python/main.py" "$bots/pybot.py"
export CBOT=$bots/cbot FUZZ=$bots/fuzzbot PYBOT="python3 $bots/pybot.py" HALITE_BIN=$bin
rm -f "$data"/cli/*
grep -v '^#' "$data/cli.txt" | while IFS='|' read -r name replays args; do
  name=$(echo $name); replays=$(echo $replays)
  run=$work/run-$name
  mkdir -p "$run/sub"
  [[ $replays == yes ]] && mkdir "$run/Replays"
  set +e
  (cd "$run" && eval "\"\$HALITE_BIN\" $args" > "$work/stdout" 2>/dev/null)
  code=$?
  set -e
  norm() { sed -e "s#$bots/#BOTS/#g" -e 's#[0-9]\{9,10\}-\([0-9]*\)\.hlt#ID-\1.hlt#g' -e 's#\([0-9]\)-[0-9]\{9,10\}\.log#\1-ID.log#g'; }
  norm < "$work/stdout" > "$data/cli/$name.out"
  hlt=$(find "$run" -name '*.hlt')
  {
    echo "exit $code"
    if [[ -n $hlt ]]; then echo "hlt $(sha256sum "$hlt" | cut -c1-64)"; else echo "hlt none"; fi
    echo "logs $(cd "$run" && ls *.log 2>/dev/null | norm | tr '\n' ' ')"
  } > "$data/cli/$name.meta"
  echo "$name" >&2
done
