#!/usr/bin/env bash
# Regenerates battles.txt: runs the reference pMARS 0.9.2 (built with
# -DEXT94 -DPERMUTATE -DRWLIMIT) on every battle case below and records the
# exact argument list, pMARS's exact stdout and its exit code.
#
#   tests/data/corewar/regen-battles.sh /path/to/pmars
#
# Runs from this directory, so warrior paths in the fixtures are relative to
# tests/data/corewar. stderr is not recorded (pMARS writes its usage screen,
# assembler warnings and errors there). stdin is /dev/null unless a case
# names a file to feed on stdin.
#
# Format of battles.txt, one record per case:
#
#   %%% case NAME
#   args ARG ARG ...          (single spaces; no argument contains whitespace)
#   stdin FILE                (optional line: FILE is fed to pMARS's stdin)
#   exit CODE
#   stdout NBYTES
#   <exactly NBYTES bytes of stdout>
#   <one newline>
#
# Never record a case without -F N (N > 0) or -f: pMARS then seeds its
# placement RNG from time(0) and the output is not reproducible.

set -euo pipefail

if [ $# -ne 1 ]; then
  echo "usage: $0 PMARS_BIN" >&2
  exit 2
fi
PMARS=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
[ -x "$PMARS" ] || { echo "not executable: $PMARS" >&2; exit 2; }
cd "$(dirname "$0")"

OUT=battles.txt.new
TMP=$(mktemp)
trap 'rm -f "$TMP" "$OUT"' EXIT
: > "$OUT"
declare -A SEEN=()
NCASES=0

# emit NAME STDIN_FILE ARGS...
emit() {
  local name=$1 stdin=$2
  shift 2
  local a
  for a in "$@"; do
    case $a in
      *[[:space:]]* | '') echo "case $name: empty argument or argument with whitespace: '$a'" >&2; exit 1 ;;
    esac
  done
  if [ -n "${SEEN[$name]:-}" ]; then
    echo "duplicate case name: $name" >&2
    exit 1
  fi
  SEEN[$name]=1
  local rc=0
  if [ -n "$stdin" ]; then
    "$PMARS" "$@" < "$stdin" > "$TMP" 2> /dev/null || rc=$?
  else
    "$PMARS" "$@" < /dev/null > "$TMP" 2> /dev/null || rc=$?
  fi
  {
    printf '%%%%%% case %s\n' "$name"
    printf 'args %s\n' "$*"
    [ -n "$stdin" ] && printf 'stdin %s\n' "$stdin"
    printf 'exit %d\n' "$rc"
    printf 'stdout %d\n' "$(wc -c < "$TMP")"
    cat "$TMP"
    printf '\n'
  } >> "$OUT"
  NCASES=$((NCASES + 1))
}

# run NAME ARGS...
run() {
  local name=$1
  shift
  emit "$name" "" "$@"
}

# run_stdin NAME FILE ARGS...
run_stdin() {
  local name=$1 file=$2
  shift 2
  emit "$name" "$file" "$@"
}

W=warriors
R=random

# Warriors that assemble and run under default settings.
HAND=(
  imp imp-ring imp-spiral dwarf dwarf-2365 stone-3044 stone-spl stone-incr
  paper-silk paper-loop mice-like scan-cmp scan-seq scan-sne scan-jmz scan-jmn
  vampire pit-trapper quickscan pspace-switch pspace-pin pspace-counter
  pspace-pin-b modes-all opcodes-arith divzero nop-slt djn-variants selfmod
  spl-flood spl-tree org-start end-start equ-for equ-math suicide dclear
  twoprocs modifiers-mov bigfields long90 assert8000 labels bomb-dodger
  ring-spl clear-jmn stone-mul stepper predec
  dwarf88 imp88 scan88 gemini88 splbomb88 fail88
)
NH=${#HAND[@]}

# Option sets for two-warrior battles; every hand warrior meets two
# opponents under two of these each.
OPTS2=(
  "-b -r 10 -f"
  "-b -k -r 10 -F 1000"
  "-bk -r 5 -f"
  "-r 3 -F 4000"
  "-b -o -r 20 -f"
  "-b -r 1 -F 150"
  "-k -r 4 -F 2345"
  "-b -r 7 -F 7900"
  "-b -k -r 25 -f"
  "-o -r 2 -f"
  "-b -r 50 -c 2000 -F 777"
  "-b -k -r 12 -F 100"
)
NO=${#OPTS2[@]}

# --- 1. two-warrior battles over the hand-written corpus -------------------
k=0
for ((i = 0; i < NH; i++)); do
  for d in 1 7; do
    j=$(((i + d) % NH))
    for rep in 0 1; do
      o=${OPTS2[$(((k * 5 + rep * 7) % NO))]}
      # shellcheck disable=SC2086
      run "duel-${HAND[$i]}-vs-${HAND[$j]}-$rep" $o "$W/${HAND[$i]}.red" "$W/${HAND[$j]}.red"
      k=$((k + 1))
    done
  done
done

# --- 2. random warriors ----------------------------------------------------
for n in $(seq 1 40); do
  f=$(printf '%s/random-%03d.red' $R "$n")
  g=$(printf '%s/random-%03d.red' $R $(((n % 40) + 1)))
  h=$W/${HAND[$((n % NH))]}.red
  run "random-$n-vs-next" -b -r 10 -f "$f" "$g"
  run "random-$n-vs-hand" -b -k -r 6 -F $((200 + n * 173)) "$f" "$h"
  if ((n % 4 == 0)); then
    run "random-$n-listing" -r 1 -F 3000 "$f" "$g"
  fi
done
for m in 1 2 3 4 5 6; do
  run "matrix-$m-listing" -r 2 -F 2000 "$R/matrix-$m.red" "$W/dwarf.red"
  run "matrix-$m-brief" -b -r 8 -f "$R/matrix-$m.red" "$R/matrix-$(((m % 6) + 1)).red"
done

# --- 3. melees of 3 to 6 (and a few more) warriors -------------------------
for n in $(seq 0 39); do
  size=$((3 + n % 4))
  ws=()
  for ((t = 0; t < size; t++)); do
    ws+=("$W/${HAND[$(((n * 5 + t * 11) % (NH - 6)))]}.red")
  done
  case $((n % 5)) in
    0) run "melee$size-$n-b" -b -r 10 -f "${ws[@]}" ;;
    1) run "melee$size-$n-k" -k -b -r 8 -F 1500 "${ws[@]}" ;;
    2) run "melee$size-$n-o" -b -o -r 6 -F $((1000 + n * 37)) "${ws[@]}" ;;
    3) run "melee$size-$n-listing" -r 3 -f "${ws[@]}" ;;
    4) run "melee$size-$n-bko" -bko -r 5 -f "${ws[@]}" ;;
  esac
done
run melee8-b -b -r 4 -f $W/dwarf.red $W/imp.red $W/paper-silk.red $W/scan-cmp.red \
  $W/vampire.red $W/stone-spl.red $W/dclear.red $W/spl-tree.red
run melee10-k -k -r 3 -F 700 $W/dwarf.red $W/imp.red $W/paper-silk.red $W/scan-cmp.red \
  $W/vampire.red $W/stone-spl.red $W/dclear.red $W/spl-tree.red $W/mice-like.red $W/quickscan.red
run melee12-random -b -r 3 -f $R/random-001.red $R/random-002.red $R/random-003.red \
  $R/random-004.red $R/random-005.red $R/random-006.red $R/random-007.red $R/random-008.red \
  $R/random-009.red $R/random-010.red $R/random-011.red $R/random-012.red
run melee-same-warrior -b -r 5 -f $W/dwarf.red $W/dwarf.red $W/dwarf.red
run melee-random-4 -bk -r 10 -F 3210 $R/random-013.red $R/random-014.red $R/random-015.red $R/random-016.red
run melee-random-5-o -b -o -r 10 -f $R/random-017.red $R/random-018.red $R/random-019.red \
  $R/random-020.red $R/random-021.red

# --- 4. rounds --------------------------------------------------------------
run rounds-0-listing -r 0 -F 500 $W/dwarf.red $W/imp.red
run rounds-0-brief -b -r 0 -F 500 $W/dwarf.red $W/imp.red
run rounds-0-k -k -r 0 -f $W/dwarf.red $W/imp.red
run rounds-1-default-r -b -F 500 $W/dwarf.red $W/paper-silk.red
run rounds-100-dwarf-silk -b -r 100 -f $W/dwarf.red $W/paper-silk.red
run rounds-100-k -k -b -r 100 -F 2222 $W/scan-cmp.red $W/stone-spl.red
run rounds-500-c -b -r 500 -c 500 -f $W/dwarf.red $W/scan-seq.red
run rounds-500-quick -b -r 500 -F 1234 $W/suicide.red $W/dwarf.red
run rounds-300-melee -b -r 300 -c 300 -f $W/dwarf.red $W/imp.red $W/stone-3044.red
run rounds-1000-suicides -k -r 1000 -f $W/suicide.red $W/suicide.red

# --- 5. -F positions --------------------------------------------------------
for pos in 100 101 1000 3999 4000 7900 7901 7999 8000 9000 16123 99999; do
  run "fixed-$pos" -b -r 3 -F $pos $W/dwarf.red $W/scan-cmp.red
done
run fixed-melee4 -b -r 5 -F 4321 $W/dwarf.red $W/imp.red $W/scan-seq.red $W/vampire.red
run fixed-d-300 -b -r 5 -d 300 -F 300 $W/stone-spl.red $W/paper-loop.red
run fixed-0-with-f -b -r 5 -F 0 -f $W/dwarf.red $W/imp-ring.red
run fixed-less-than-d -b -r 5 -F 50 $W/dwarf.red $W/imp.red
run fixed-less-than-d2 -b -r 5 -d 200 -F 150 $W/dwarf.red $W/imp.red

# --- 6. -f (seed from checksum) ---------------------------------------------
for pair in "dwarf imp" "imp dwarf" "paper-silk scan-jmz" "vampire stone-3044" "dwarf dwarf"; do
  set -- $pair
  run "checksum-$1-$2" -b -r 20 -f "$W/$1.red" "$W/$2.red"
done
run checksum-f-twice -b -f -f -r 3 -F 300 $W/dwarf.red $W/imp.red

# --- 7. core sizes ----------------------------------------------------------
for s in 800 1000 8000 8192 55440; do
  run "core-$s-duel" -b -r 10 -s $s -f $W/dwarf.red $W/scan-jmz.red
  run "core-$s-listing" -r 1 -s $s -F 400 $W/bigfields.red $W/dwarf-2365.red
  run "core-$s-melee" -b -k -r 5 -s $s -F 555 $W/dwarf.red $W/stone-spl.red $W/paper-loop.red
done
run core-800-assert -b -r 1 -s 800 -f $W/assert8000.red $W/dwarf.red
run core-55440-k -k -r 4 -s 55440 -F 12345 $W/stone-spl.red $W/scan-seq.red
run core-800-imp-ring-assert -b -r 1 -s 800 -F 400 $W/dwarf.red $W/imp-ring.red
run core-200-small -b -r 10 -s 200 -l 20 -d 50 -F 60 $W/dwarf.red $W/imp.red
run core-too-small -b -r 1 -s 150 -f $W/dwarf.red $W/imp.red
run core-zero -b -r 1 -s 0 -f $W/dwarf.red $W/imp.red

# --- 8. cycles ----------------------------------------------------------------
for c in 1 2 10 100 1000; do
  run "cycles-$c" -b -r 5 -c $c -F 2000 $W/dwarf.red $W/imp.red
  run "cycles-$c-k-melee" -k -r 3 -c $c -f $W/dwarf.red $W/scan-cmp.red $W/paper-silk.red
done
run cycles-0 -b -r 5 -c 0 -f $W/dwarf.red $W/imp.red

# --- 9. process limits ------------------------------------------------------
for p in 1 2 8 64 500; do
  run "procs-$p-flood" -b -r 5 -p $p -f $W/spl-flood.red $W/dwarf.red
  run "procs-$p-tree" -k -r 5 -p $p -F 1000 $W/spl-tree.red $W/paper-silk.red
  run "procs-$p-ring" -b -r 3 -p $p -c 5000 -F 3000 $W/imp-ring.red $W/imp-spiral.red
done
run procs-8-melee -b -r 5 -p 8 -f $W/spl-flood.red $W/paper-silk.red $W/stone-spl.red $W/spl-tree.red
run procs-64-silk -r 2 -p 64 -F 2500 $W/paper-silk.red $W/ring-spl.red
run procs-0 -b -r 5 -p 0 -f $W/dwarf.red $W/imp.red

# --- 10. length and distance ------------------------------------------------
run length-50-fails -b -r 1 -l 50 -f $W/long90.red $W/dwarf.red
run length-90-listing -r 1 -l 90 -F 500 $W/long90.red $W/dwarf.red
run length-200 -b -r 5 -l 200 -f $W/long90.red $W/dwarf.red
run length-10 -b -r 5 -l 10 -f $W/dwarf.red $W/imp.red
run length-10-d-10 -b -r 5 -l 10 -d 10 -F 10 $W/dwarf.red $W/imp.red
run length-1000 -b -r 2 -l 1000 -f $W/long90.red $W/dwarf.red
run length-1001 -b -r 2 -l 1001 -f $W/long90.red $W/dwarf.red
run distance-500 -b -r 5 -d 500 -f $W/dwarf.red $W/scan-seq.red
run distance-3000-melee -b -r 5 -d 2000 -F 2500 $W/dwarf.red $W/imp.red $W/scan-seq.red
run distance-4000 -b -r 5 -d 4000 -F 4000 $W/dwarf.red $W/imp.red
run distance-less-than-l -b -r 5 -l 100 -d 50 -f $W/dwarf.red $W/imp.red
run distance-too-big -b -r 5 -d 3000 -f $W/dwarf.red $W/imp.red $W/scan-seq.red
run length-d-listing -r 1 -l 20 -d 40 -F 40 $W/dwarf.red $W/imp-ring.red

# --- 11. P-space --------------------------------------------------------------
for S in 1 2 16 100 500 8000; do
  run "pspace-$S-switch" -b -r 20 -S $S -f $W/pspace-switch.red $W/dwarf.red
  run "pspace-$S-counter" -k -r 15 -S $S -F 3456 $W/pspace-counter.red $W/scan-jmz.red
done
run pspace-default -b -r 30 -f $W/pspace-switch.red $W/pspace-counter.red
run pspace-pin-shared -b -r 20 -f $W/pspace-pin.red $W/pspace-pin-b.red
run pspace-pin-melee -k -r 20 -F 2000 $W/pspace-pin.red $W/pspace-pin-b.red $W/pspace-counter.red
run pspace-pin-self -b -r 10 -f $W/pspace-pin.red $W/pspace-pin.red
run pspace-core-1000 -b -r 20 -s 1000 -f $W/pspace-counter.red $W/dwarf.red
run pspace-core-55440 -b -r 20 -s 55440 -F 9999 $W/pspace-switch.red $W/pspace-counter.red
run pspace-listing -r 2 -S 50 -F 800 $W/pspace-pin.red $W/pspace-counter.red
run pspace-too-big -b -r 1 -S 9000 -f $W/dwarf.red $W/imp.red
run pspace-random -b -r 10 -S 7 -f $R/random-021.red $R/random-022.red

# --- 12. ICWS'88 mode (-8) ----------------------------------------------------
run icws88-dwarf-imp -8 -b -r 10 -f $W/dwarf88.red $W/imp88.red
run icws88-listing -8 -r 2 -F 3000 $W/scan88.red $W/gemini88.red
run icws88-k -8 -k -r 10 -F 1234 $W/splbomb88.red $W/gemini88.red
run icws88-melee -8 -b -r 5 -f $W/dwarf88.red $W/imp88.red $W/scan88.red $W/splbomb88.red
run icws88-fails -8 -b -r 1 -f $W/dwarf88.red $W/fail88.red
run icws88-fails-first -8 -r 1 -f $W/fail88.red $W/dwarf88.red
run icws88-fails-94 -8 -b -r 1 -f $W/dwarf.red $W/imp88.red
run icws88-not-set -b -r 5 -f $W/fail88.red $W/dwarf88.red
run icws88-combined -8bk -r 3 -F 500 $W/dwarf88.red $W/scan88.red

# --- 13. permutate (-P) -------------------------------------------------------
run permutate-F -b -P -r 20 -F 300 $W/dwarf.red $W/scan-cmp.red
run permutate-F-big -b -P -r 20 -F 9000 $W/dwarf.red $W/scan-cmp.red
run permutate-f -b -P -r 20 -f $W/dwarf.red $W/scan-cmp.red
run permutate-f-k -k -P -r 30 -f $W/paper-silk.red $W/stone-3044.red
run permutate-F-k -k -P -r 30 -F 4567 $W/paper-silk.red $W/stone-3044.red
run permutate-all-rounds -b -P -s 200 -l 50 -d 50 -c 500 -f $W/dwarf.red $W/imp.red
run permutate-all-rounds-F -k -P -s 240 -l 40 -d 60 -c 400 -F 100 $W/scan-seq.red $W/stone-spl.red
run permutate-melee-error -b -P -r 5 -f $W/dwarf.red $W/imp.red $W/scan-cmp.red
run permutate-one-error -b -P -r 5 -f $W/dwarf.red
run permutate-listing -P -r 2 -F 200 $W/dwarf.red $W/imp.red
run permutate-combined -bP -r 10 -F 250 $W/vampire.red $W/dwarf-2365.red

# --- 14. score formulas (-=) --------------------------------------------------
for f in 'W' 'S' '(W*W-1)/S' 'W*W/S' '10' 'S*S' 'W-S+1' '(W+1)%S' 'W>S' '100/S' '0'; do
  tag=$(printf '%s' "$f" | tr -c 'A-Za-z0-9' '_')
  run "score-$tag-duel" -b -r 10 -= "$f" -f $W/dwarf.red $W/imp.red
  run "score-$tag-melee" -b -r 6 -= "$f" -F 1000 $W/dwarf.red $W/imp.red $W/suicide.red $W/scan-cmp.red
done
run score-k-melee -k -r 6 -= 'W*10/S' -F 1000 $W/dwarf.red $W/imp.red $W/suicide.red
run score-o-melee -b -o -r 6 -= 'S' -F 1000 $W/suicide.red $W/imp.red $W/dwarf.red
run score-bad -b -r 1 -= 'W*' -f $W/dwarf.red $W/imp.red
run score-bad-paren -b -r 1 -= '(W' -f $W/dwarf.red $W/imp.red
run score-div-zero -b -r 3 -= 'W/0' -f $W/dwarf.red $W/imp.red

# --- 15. options file (-@) ----------------------------------------------------
run options-file-basic -@ opts/basic.txt
run options-file-melee -@ opts/melee.txt
run options-file-comments -@ opts/comments.txt
run options-file-dollar -@ opts/dollar.txt $W/imp.red
run options-file-mixed -b -@ opts/switches-only.txt $W/dwarf.red $W/scan-seq.red
run options-file-nested -@ opts/nested.txt
run options-file-missing -@ opts/does-not-exist.txt
run options-file-no-name -b -r 1 -f $W/dwarf.red $W/imp.red -@
run options-file-attached -@opts/basic.txt
run options-file-error-inside -@ opts/bad-option.txt
run_stdin options-stdin opts/basic.txt -@ -

# --- 16. warriors from stdin --------------------------------------------------
run_stdin stdin-warrior $W/imp.red -b -r 5 -F 1000 - $W/dwarf.red
run_stdin stdin-warrior-listing $W/dwarf.red -r 2 -F 1000 $W/imp.red -

# --- 17. Query option (-Q) exit codes -----------------------------------------
for q in 1 2 3 101 102 103 999 1000 1001 1002 1003 2000 5; do
  run "query-$q" -b -r 10 -Q $q -F 1000 $W/dwarf.red $W/imp.red
done
run query-1-o -b -o -r 10 -Q 1 -F 1000 $W/imp.red $W/dwarf.red
run query-101-o -b -o -r 10 -Q 101 -F 1000 $W/imp.red $W/dwarf.red
run query-102-melee-o -b -o -r 10 -Q 102 -f $W/imp.red $W/suicide.red $W/dwarf.red
run query-1-wraps -b -r 300 -Q 1 -F 1000 $W/dwarf.red $W/suicide.red
run query-2000-pin -b -r 2 -Q 2000 -f $W/pspace-pin.red $W/pspace-pin-b.red $W/dwarf.red
run query-with-bad-option -Q 1000 -x -f $W/dwarf.red $W/imp.red
run query-assembly-error -b -Q 1000 -f $W/bad-syntax.red $W/imp.red

# --- 18. verbose assembly (-V) ------------------------------------------------
run verbose-dwarf -V -b -r 1 -F 1000 $W/dwarf.red $W/imp.red
run verbose-equ -V -r 1 -F 1000 $W/equ-for.red $W/equ-math.red

# --- 19. assembler errors and other bad input ---------------------------------
run bad-warrior-first -b -r 1 -f $W/bad-syntax.red $W/dwarf.red
run bad-warrior-second -b -r 1 -f $W/dwarf.red $W/bad-syntax.red
run bad-warrior-listing -r 1 -F 500 $W/dwarf.red $W/bad-opcode.red
run bad-warrior-melee-k -k -r 1 -F 500 $W/dwarf.red $W/imp.red $W/bad-opcode.red $W/scan-cmp.red
run missing-file -b -r 1 -f $W/dwarf.red $W/no-such-warrior.red
run missing-file-first -r 1 -f $W/no-such-warrior.red $W/dwarf.red
run one-warrior -b -r 10 -f $W/dwarf.red
run one-warrior-listing -r 3 -F 500 $W/paper-silk.red
run one-warrior-k -k -r 3 -F 500 $W/imp.red
run no-warriors -b -r 1 -f
run no-arguments-at-all -r 1

# --- 20. command-line parsing -------------------------------------------------
run opt-unknown -x -b -f $W/dwarf.red $W/imp.red
run opt-unknown-grouped -bx -f $W/dwarf.red $W/imp.red
run opt-f-and-F -b -r 1 -f -F 1000 $W/dwarf.red $W/imp.red
run opt-F-and-f -b -r 1 -F 1000 -f $W/dwarf.red $W/imp.red
run opt-missing-arg -b -f $W/dwarf.red $W/imp.red -r
run opt-non-numeric -b -r abc -f $W/dwarf.red $W/imp.red
run opt-negative -b -r -5 -f $W/dwarf.red $W/imp.red
run opt-trailing-garbage -b -r 5x -f $W/dwarf.red $W/imp.red
run opt-plus-sign -b -r +5 -f $W/dwarf.red $W/imp.red
run opt-leading-zero -b -r 005 -f $W/dwarf.red $W/imp.red
run opt-value-in-group -rb 5 -f $W/dwarf.red $W/imp.red
run opt-value-last-in-group -br 5 -f $W/dwarf.red $W/imp.red
run opt-kb-group -kbf -r 4 $W/dwarf.red $W/imp.red
run opt-toggle-b-twice -b -b -r 1 -F 1000 $W/dwarf.red $W/imp.red
run opt-toggle-bb -bb -r 1 -F 1000 $W/dwarf.red $W/imp.red
run opt-toggle-k-twice -kk -b -r 2 -F 1000 $W/dwarf.red $W/imp.red
run opt-options-after-files -F 1000 $W/dwarf.red -b $W/imp.red -r 3
run opt-range-s -b -r 1 -s 0 -F 1000 $W/dwarf.red $W/imp.red
run opt-range-p -b -r 1 -p 0 -F 1000 $W/dwarf.red $W/imp.red
run opt-range-c -b -r 1 -c 0 -F 1000 $W/dwarf.red $W/imp.red
run opt-range-S -b -r 1 -S 0 -F 1000 $W/dwarf.red $W/imp.red
run opt-range-l -b -r 1 -l 0 -F 1000 $W/dwarf.red $W/imp.red
run opt-range-d -b -r 1 -d 0 -F 1000 $W/dwarf.red $W/imp.red
run opt-lone-dash-r -b -f - -r 1 $W/dwarf.red
run opt-dollar-ends -b -r 1 -F 1000 $W/dwarf.red $W/imp.red '$' -x
run opt-dollar-before-files -b -r 1 -F 1000 '$' $W/dwarf.red $W/imp.red
run opt-too-many-warriors -b -r 1 -f \
  $W/imp.red $W/imp.red $W/imp.red $W/imp.red $W/imp.red $W/imp.red $W/imp.red $W/imp.red \
  $W/imp.red $W/imp.red $W/imp.red $W/imp.red $W/imp.red $W/imp.red $W/imp.red $W/imp.red \
  $W/imp.red $W/imp.red $W/imp.red $W/imp.red $W/imp.red $W/imp.red $W/imp.red $W/imp.red \
  $W/imp.red $W/imp.red $W/imp.red $W/imp.red $W/imp.red $W/imp.red $W/imp.red $W/imp.red \
  $W/imp.red $W/imp.red $W/imp.red $W/imp.red $W/imp.red
run opt-36-imps -b -r 1 -f \
  $W/imp.red $W/imp.red $W/imp.red $W/imp.red $W/imp.red $W/imp.red $W/imp.red $W/imp.red \
  $W/imp.red $W/imp.red $W/imp.red $W/imp.red $W/imp.red $W/imp.red $W/imp.red $W/imp.red \
  $W/imp.red $W/imp.red $W/imp.red $W/imp.red $W/imp.red $W/imp.red $W/imp.red $W/imp.red \
  $W/imp.red $W/imp.red $W/imp.red $W/imp.red $W/imp.red $W/imp.red $W/imp.red $W/imp.red \
  $W/imp.red $W/imp.red $W/imp.red $W/imp.red
run opt-36-warriors -b -r 2 -l 20 -d 20 -f \
  $W/imp.red $W/dwarf.red $W/imp.red $W/dwarf.red $W/imp.red $W/dwarf.red $W/imp.red $W/dwarf.red \
  $W/imp.red $W/dwarf.red $W/imp.red $W/dwarf.red $W/imp.red $W/dwarf.red $W/imp.red $W/dwarf.red \
  $W/imp.red $W/dwarf.red $W/imp.red $W/dwarf.red $W/imp.red $W/dwarf.red $W/imp.red $W/dwarf.red \
  $W/imp.red $W/dwarf.red $W/imp.red $W/dwarf.red $W/imp.red $W/dwarf.red $W/imp.red $W/dwarf.red \
  $W/imp.red $W/dwarf.red $W/imp.red $W/suicide.red

# --- 21. pMARS's win and death counts are C shorts: past 32767 rounds they wrap
run counts-wrap-duel -b -r 70000 -s 200 -l 20 -d 20 -F 50 $W/suicide.red $W/suicide.red
run counts-wrap-duel-k -k -r 70000 -s 200 -l 20 -d 20 -F 50 $W/suicide.red $W/suicide.red
run counts-wrap-duel-o -b -o -r 40000 -s 200 -l 20 -d 20 -F 50 $W/imp.red $W/suicide.red
run counts-wrap-melee -b -r 70000 -s 300 -l 20 -d 20 -f $W/suicide.red $W/imp.red $W/suicide.red
run counts-wrap-melee-k -k -r 70000 -s 300 -l 20 -d 20 -f $W/suicide.red $W/imp.red $W/suicide.red
run counts-wrap-melee-o -b -o -r 40000 -s 300 -l 20 -d 20 -f $W/suicide.red $W/suicide.red $W/imp.red
run counts-wrap-formula -b -r 70000 -s 200 -l 20 -d 20 -F 50 -= 100000*S-3 $W/suicide.red $W/suicide.red
run counts-wrap-query -b -r 40000 -Q 1 -s 200 -l 20 -d 20 -F 50 $W/imp.red $W/suicide.red

# --- 22. melees whose count steps past 0: a warrior dies on the last cycle, and
# pMARS's loop runs on until deaths leave one warrior (here within 300000 executions)
run overtime-melee-k -r 17 -s 8000 -c 1 -k -f random/random-004.red random/matrix-1.red random/matrix-4.red
run overtime-melee-4-formula -r 17 -s 8000 -c 1 -k -f -= W-S random/random-004.red random/matrix-1.red random/matrix-4.red $W/paper-silk.red
run overtime-melee-o-k -r 50 -s 8000 -c 1 -l 50 -d 50 -o -k -f random/random-021.red $W/equ-math.red $W/labels.red
run overtime-melee-b -r 50 -s 8000 -c 1 -l 50 -d 50 -b -f random/random-021.red $W/equ-math.red $W/labels.red

mv "$OUT" battles.txt
trap 'rm -f "$TMP"' EXIT
echo "wrote $NCASES cases to $(pwd)/battles.txt ($(wc -c < battles.txt) bytes)" >&2
