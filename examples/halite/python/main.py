"""A Halite I starter bot in Python, speaking the environment's stdin/stdout
protocol unchanged (init: tag, "W H", productions, map; answer a name; then
each frame a map line, answer "x y d x y d ..."; d: 0 still, 1 north, 2 east,
3 south, 4 west).

A cell stays until its strength reaches five times its production, then moves
onto the weakest neighbour it can take, or a pseudo-random direction (seeded by
its tag, so that the same map gives the same moves).
"""
import random
import sys


def read_line():
    line = sys.stdin.readline()
    if not line:
        sys.exit(0)
    return line


def read_map(line, width, height):
    fields = list(map(int, line.split()))
    cells = width * height
    owners = []
    i = 0
    while len(owners) < cells:
        count, who = fields[i], fields[i + 1]
        owners.extend([who] * count)
        i += 2
    return owners[:cells], fields[i:i + cells]


def main():
    tag = int(read_line())
    width, height = map(int, read_line().split())
    production = list(map(int, read_line().split()))
    read_map(read_line(), width, height)
    rng = random.Random(tag)
    sys.stdout.write("PythonStarter\n")
    sys.stdout.flush()
    while True:
        owners, strength = read_map(read_line(), width, height)
        moves = []
        for y in range(height):
            for x in range(width):
                i = y * width + x
                if owners[i] != tag:
                    continue
                d = 0
                if strength[i] >= 5 * production[i] and strength[i] > 0:
                    best, best_strength = 0, 256
                    for k, (nx, ny) in enumerate(
                        [(x, y - 1), (x + 1, y), (x, y + 1), (x - 1, y)], start=1
                    ):
                        j = (ny % height) * width + (nx % width)
                        if owners[j] != tag and strength[j] < strength[i] and strength[j] < best_strength:
                            best, best_strength = k, strength[j]
                    d = best if best else rng.randrange(5)
                moves.append("%d %d %d" % (x, y, d))
        sys.stdout.write(" ".join(moves) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
