#!/usr/bin/env python3
"""Seeded generator of random, syntactically valid Redcode-94 warriors.

Used to make the committed random-NNN.red fixtures and, by the live_oracle
test, fresh warriors to compare `arena pmars` with a real pMARS.

    gen_random.py --seed 7 --count 40 --out DIR [--first 1] [--prefix random-]
    gen_random.py --seed 7            # one warrior on stdout
    gen_random.py --seed 7 --matrix 6 --out DIR   # matrix-1..6.red

The output depends only on the seed (Python's random.Random is stable across
versions for randrange/choice on integers). Standard library only.
"""

import argparse
import os
import random
import sys

OPCODES = [
    "DAT", "MOV", "ADD", "SUB", "MUL", "DIV", "MOD", "JMP", "JMZ", "JMN",
    "DJN", "CMP", "SEQ", "SNE", "SLT", "SPL", "NOP", "LDP", "STP",
]
MODIFIERS = ["A", "B", "AB", "BA", "F", "X", "I"]
MODES = ["#", "$", "@", "<", ">", "*", "{", "}"]


def field(rng, length, labels):
    """A random operand value: small, near the code, a label, or anywhere."""
    kind = rng.randrange(10)
    if kind < 3:
        return str(rng.randrange(-5, 6))
    if kind < 5:
        return str(rng.randrange(-length, length + 1))
    if kind < 7 and labels:
        lab = rng.choice(labels)
        off = rng.randrange(-2, 3)
        if off == 0:
            return lab
        return "%s%+d" % (lab, off)
    if kind < 9:
        return str(rng.randrange(-8000, 8000))
    # an expression
    return "(%d*%d%+d)" % (rng.randrange(1, 40), rng.randrange(1, 40),
                           rng.randrange(-50, 50))


def instruction(rng, length, labels):
    op = rng.choice(OPCODES)
    text = op
    if rng.randrange(8):  # mostly explicit modifiers, sometimes defaults
        text += "." + rng.choice(MODIFIERS)
    a = rng.choice(MODES) + field(rng, length, labels)
    b = rng.choice(MODES) + field(rng, length, labels)
    one_operand = op in ("DAT", "JMP", "SPL", "NOP") and rng.randrange(6) == 0
    if one_operand:
        return "%-8s%s" % (text, a)
    return "%-8s%s, %s" % (text, a, b)


def warrior(seed, name):
    rng = random.Random(seed)
    length = rng.randrange(1, 25)
    labels = ["l%d" % i for i in range(length)]
    used = set(rng.sample(range(length), rng.randrange(0, min(length, 4) + 1)))
    lines = [
        ";redcode-94",
        ";name %s" % name,
        ";author arena tests",
        ";strategy random warrior, generator seed %d" % seed,
    ]
    if rng.randrange(4) == 0:
        lines.append(";assert CORESIZE >= %d" % rng.choice([1, 800, 8000]))
    visible = [labels[i] for i in sorted(used)]
    start = rng.randrange(length)
    # Bias towards living a little: sometimes start with a SPL or end with a
    # JMP back to the beginning.
    body = [instruction(rng, length, visible) for _ in range(length)]
    if length > 2 and rng.randrange(3) == 0:
        body[0] = "SPL.B   $%d, $0" % rng.randrange(1, length)
    if length > 2 and rng.randrange(3) == 0:
        body[-1] = "JMP.B   $%d, <%d" % (-(length - 1), rng.randrange(-20, 20))
    for i, ins in enumerate(body):
        label = labels[i] if i in used else ""
        lines.append("%-8s%s" % (label, ins))
    style = rng.randrange(3)
    if style == 0:
        lines.append("        END     %d" % start)
    elif style == 1:
        lines.insert(5, "        ORG     %d" % start)
        lines.append("        END")
    else:
        lines.append("        END")
    return "\n".join(lines) + "\n"


def matrix(seed, part, parts, name):
    """Systematic coverage: instruction k of the whole series uses opcode
    k%19, modifier (k//19)%7, A-mode k%8 and B-mode (k//8)%8, so the series
    holds every opcode x modifier pair and every A-mode x B-mode pair."""
    rng = random.Random(seed * 1000 + part)
    total = len(OPCODES) * len(MODIFIERS) * 4
    per = (total + parts - 1) // parts
    lines = [
        ";redcode-94",
        ";name %s" % name,
        ";author arena tests",
        ";strategy opcode/modifier/mode matrix part %d of %d, seed %d" % (part, parts, seed),
    ]
    body = []
    for k in range(part * per - per, min(part * per, total)):
        op = OPCODES[k % len(OPCODES)]
        mod = MODIFIERS[(k // len(OPCODES)) % len(MODIFIERS)]
        a = MODES[k % 8] + field(rng, per, [])
        b = MODES[(k // 8) % 8] + field(rng, per, [])
        body.append("        %-8s%s, %s" % (op + "." + mod, a, b))
    lines += body
    lines.append("        END     %d" % rng.randrange(len(body)))
    return "\n".join(lines) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--count", type=int, default=0,
                    help="write this many files into --out (seed, seed+1, ...)")
    ap.add_argument("--out", default=None)
    ap.add_argument("--first", type=int, default=1, help="number of the first file")
    ap.add_argument("--prefix", default="random-")
    ap.add_argument("--matrix", type=int, default=0,
                    help="write this many matrix-N.red files into --out instead")
    args = ap.parse_args()
    if args.matrix:
        os.makedirs(args.out, exist_ok=True)
        for part in range(1, args.matrix + 1):
            name = "matrix-%d" % part
            with open(os.path.join(args.out, name + ".red"), "w") as f:
                f.write(matrix(args.seed, part, args.matrix, name))
        return
    if args.count == 0:
        sys.stdout.write(warrior(args.seed, "random seed %d" % args.seed))
        return
    if not args.out:
        ap.error("--count needs --out")
    os.makedirs(args.out, exist_ok=True)
    for k in range(args.count):
        num = args.first + k
        name = "%s%03d" % (args.prefix, num)
        with open(os.path.join(args.out, name + ".red"), "w") as f:
            f.write(warrior(args.seed + k, name))


if __name__ == "__main__":
    main()
