#!/bin/sh
# Regenerates the assembler fixtures: for every asm/NAME.red, runs pMARS
# 0.9.2 (-DEXT94) with `-r 0` (assemble and list, no battle) plus the flags
# in asm/NAME.args if present, and stores its stdout (the listing) in
# asm/NAME.listing and its stderr (errors and warnings) in asm/NAME.stderr.
# Usage: tests/data/corewar/regen-asm.sh /path/to/pmars
set -eu
pmars=${1:?usage: regen-asm.sh /path/to/pmars}
case $pmars in /*) ;; *) pmars=$(pwd)/$pmars ;; esac
cd "$(dirname "$0")/asm"
for red in *.red; do
    base=${red%.red}
    args=""
    [ -f "$base.args" ] && args=$(cat "$base.args")
    # shellcheck disable=SC2086
    "$pmars" -r 0 $args "$red" >"$base.listing" 2>"$base.stderr" || true
done
