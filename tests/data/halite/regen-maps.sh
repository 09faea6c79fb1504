#!/bin/bash
# Regenerates the random-number and map fixtures from the official Halite I
# environment's code (tools/build-halite.sh builds it and our dumper).
#   random.txt    blocks "@ KIND ARGS" then one value a line (see tools/halite-dump.cpp)
#   maps.txt      "W H P SEED width height fnv1a64" over sizes x players x seeds
#   maps-full/    a few whole maps ("W H" line, production, owner, strength rows)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=$("$here/../../../tools/build-halite.sh")
dump=$(dirname "$bin")/halite-dump
{
  for seed in 0 1 5489 42 4294967295 123456789; do
    echo "@ mt $seed"; "$dump" mt $seed 700
    echo "@ real $seed"; "$dump" real $seed 300
  done
  for args in "7 -3.5 2.25" "9 10 1000000"; do
    echo "@ realab $args"; "$dump" realab $args 100
  done
  for args in "7 0 9" "8 0 105" "9 -5 5" "10 0 4294967" "11 0 2147483646" "12 1 1" "13 -2147483648 2147483647"; do
    echo "@ int $args"; "$dump" int $args 200
  done
} > "$here/random.txt"
seeds="1 2 3 7 42 1000 65535 123456789 2718281828 4294967295"
{
  for p in 1 2 3 4 5 6; do
    for wh in "20 20" "25 25" "30 30" "35 35" "40 40" "45 45" "50 50" "21 37" "48 24" "33 20" "16 16" "60 30"; do
      "$dump" mapsum $wh $p $seeds
    done
  done
} > "$here/maps.txt"
mkdir -p "$here/maps-full"
for c in "20 20 2 7" "30 30 3 42" "35 35 4 1000" "50 50 6 2718281828" "21 37 5 3" "40 40 1 65535"; do
  set -- $c
  "$dump" map $c > "$here/maps-full/$1x$2-p$3-s$4.txt"
done
