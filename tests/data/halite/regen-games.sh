#!/bin/bash
# Records the games of games.txt with the official Halite I environment
# (tools/build-halite.sh) and bots/fuzzbot.c: for each case, games/NAME.hlt.zst
# (the environment's replay, zstd -19) and games/NAME.out (its -q output, the
# replay's path, id and bot paths normalised: "ID", "fuzzbot"). Takes about
# a minute (the two noinit cases wait out the environment's 30 s init limit).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=$("$here/../../../tools/build-halite.sh")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
gcc -O2 -o "$work/fuzzbot" "$here/bots/fuzzbot.c"
mkdir -p "$here/games" "$work/run/Replays"
rm -f "$here"/games/*
grep -v '^#' "$here/games.txt" | while IFS='|' read -r name dims seed bots; do
  name=$(echo $name); dims=$(echo $dims); seed=$(echo $seed)
  cmds=()
  IFS=';' read -ra parts <<< "$bots"
  for b in "${parts[@]}"; do cmds+=("$work/fuzzbot $(echo $b)"); done
  rm -f "$work"/run/Replays/* "$work"/run/*.log
  (cd "$work/run" && "$bin" -q -d "$dims" -s "$seed" "${cmds[@]}" > out.txt)
  hlt=$(ls "$work"/run/Replays/*.hlt)
  id=$(basename "$hlt" | cut -d- -f1)
  sed -e "s#$work/fuzzbot#fuzzbot#g" -e "s#$id#ID#g" "$work/run/out.txt" > "$here/games/$name.out"
  zstd -19 -q -f "$hlt" -o "$here/games/$name.hlt.zst"
  echo "$name" >&2
done
