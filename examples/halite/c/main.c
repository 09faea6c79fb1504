/* A Halite I starter bot in C, speaking the environment's stdin/stdout protocol
 * (init: tag, "W H", productions, map; answer a name; then each frame: a map line,
 * answer a moves line "x y d x y d ..."; d: 0 still, 1 north, 2 east, 3 south, 4 west).
 *
 * Strategy: a cell stays until its strength reaches five times its production;
 * then it moves onto the weakest neighbour it could take, or a pseudo-random
 * direction (seeded by its tag: the same map gives the same moves, which makes
 * games reproducible).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int width, height, tag;
static int *owner, *strength, *production;

static char *read_line(void) {
    static char *buf = NULL;
    static size_t cap = 0;
    ssize_t n = getline(&buf, &cap, stdin);
    if (n < 0) exit(0);
    return buf;
}

static void read_map(const char *line) {
    const char *p = line;
    char *end;
    int cells = width * height, i = 0;
    while (i < cells) {
        long count = strtol(p, &end, 10); p = end;
        long who = strtol(p, &end, 10); p = end;
        for (long k = 0; k < count && i < cells; k++) owner[i++] = (int)who;
    }
    for (i = 0; i < cells; i++) { strength[i] = (int)strtol(p, &end, 10); p = end; }
}

static unsigned int rng_state;
static unsigned int next_random(void) {
    rng_state ^= rng_state << 13; rng_state ^= rng_state >> 17; rng_state ^= rng_state << 5;
    return rng_state;
}

static int neighbour(int x, int y, int d) {
    if (d == 1) y = (y + height - 1) % height;
    if (d == 2) x = (x + 1) % width;
    if (d == 3) y = (y + 1) % height;
    if (d == 4) x = (x + width - 1) % width;
    return y * width + x;
}

int main(void) {
    setvbuf(stdout, NULL, _IOFBF, 1 << 16);
    tag = atoi(read_line());
    sscanf(read_line(), "%d %d", &width, &height);
    int cells = width * height;
    owner = calloc(cells, sizeof(int));
    strength = calloc(cells, sizeof(int));
    production = calloc(cells, sizeof(int));
    char *p = read_line(), *end;
    for (int i = 0; i < cells; i++) { production[i] = (int)strtol(p, &end, 10); p = end; }
    read_map(read_line());
    rng_state = 2463534242u + (unsigned int)tag * 7919u;
    printf("CStarter\n");
    fflush(stdout);
    for (;;) {
        read_map(read_line());
        for (int y = 0; y < height; y++) for (int x = 0; x < width; x++) {
            int i = y * width + x;
            if (owner[i] != tag) continue;
            int d = 0;
            if (strength[i] >= 5 * production[i] && strength[i] > 0) {
                int best = -1, best_strength = 256;
                for (int k = 1; k <= 4; k++) {
                    int j = neighbour(x, y, k);
                    if (owner[j] != tag && strength[j] < strength[i] && strength[j] < best_strength) {
                        best = k; best_strength = strength[j];
                    }
                }
                d = best > 0 ? best : (int)(next_random() % 5);
            }
            printf("%d %d %d ", x, y, d);
        }
        printf("\n");
        fflush(stdout);
    }
}
