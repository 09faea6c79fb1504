#!/bin/bash
# Builds the official Halite I environment (tools/halite-env, vendored, MIT) and
# our fixture dumper (tools/halite-dump.cpp, which links the environment's hlt.hpp)
# into $HALITE_DIR (default /tmp/halite-env). Prints the `halite` binary's path;
# `halite-dump` sits beside it. Reuses an earlier build when the sources did not change.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
dir=${HALITE_DIR:-/tmp/halite-env}
stamp=$(cat "$here"/halite-env/main.cpp "$here"/halite-env/core/*.?pp "$here"/halite-env/networking/* "$here"/halite-dump.cpp | sha256sum | cut -c1-16)
if [[ -x $dir/halite && -x $dir/halite-dump && "$(cat "$dir/.stamp" 2>/dev/null)" == "$stamp" ]]; then
  echo "$dir/halite"; exit 0
fi
command -v g++ >/dev/null || { echo "build-halite.sh: g++ is needed (apt-get install g++ make)" >&2; exit 1; }
mkdir -p "$dir/src"
cp -r "$here"/halite-env/. "$dir/src/"
make -s -C "$dir/src" CXXFLAGS="-std=c++11 -pthread -O2 -I ./" >&2
cp "$dir/src/halite" "$dir/halite"
g++ -std=c++11 -O2 -I "$dir/src" -o "$dir/halite-dump" "$here/halite-dump.cpp"
echo "$stamp" > "$dir/.stamp"
echo "$dir/halite"
