/* A test bot for the Halite I conformance fixtures: plays pseudo-random but
 * deterministic moves (a function of its arguments and what it is sent), with
 * some noise the environment must read as it does (moves for cells it does
 * not own, direction codes over 4, repeated cells, an off-map triple that ends
 * the line's reading), and scripted failures.
 *   fuzzbot SEED THRESHOLD [EVENT@FRAME ...]
 * EVENT: garbage (a line with a letter), die (exit), sleep (3 s: a timeout),
 *        empty (an empty line), noinit (exit before the name; FRAME ignored).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int width, height, tag, cells;
static int *owner, *strength, *production;
static unsigned long long rng;

static unsigned int rnd(void) {
    rng ^= rng << 13; rng ^= rng >> 7; rng ^= rng << 17;
    return (unsigned int)(rng >> 32);
}

static char *read_line(void) {
    static char *buf = NULL; static size_t cap = 0;
    if (getline(&buf, &cap, stdin) < 0) exit(0);
    return buf;
}

static void read_map(const char *p) {
    char *end; int i = 0;
    while (i < cells) {
        long c = strtol(p, &end, 10); p = end;
        long w = strtol(p, &end, 10); p = end;
        for (long k = 0; k < c && i < cells; k++) owner[i++] = (int)w;
    }
    for (i = 0; i < cells; i++) { strength[i] = (int)strtol(p, &end, 10); p = end; }
}

static const char *event_at(int argc, char **argv, int frame) {
    static char name[32];
    for (int i = 3; i < argc; i++) {
        const char *at = strchr(argv[i], '@');
        if (!at) continue;
        if (atoi(at + 1) == frame || strncmp(argv[i], "noinit", 6) == 0) {
            size_t n = (size_t)(at - argv[i]); if (n > 31) n = 31;
            memcpy(name, argv[i], n); name[n] = 0;
            return name;
        }
    }
    return "";
}

int main(int argc, char **argv) {
    if (argc < 3) return 2;
    unsigned long long seed = strtoull(argv[1], 0, 10);
    int threshold = atoi(argv[2]);
    tag = atoi(read_line());
    sscanf(read_line(), "%d %d", &width, &height);
    cells = width * height;
    owner = calloc(cells, sizeof(int)); strength = calloc(cells, sizeof(int)); production = calloc(cells, sizeof(int));
    char *p = read_line(), *end;
    for (int i = 0; i < cells; i++) { production[i] = (int)strtol(p, &end, 10); p = end; }
    read_map(read_line());
    rng = seed * 0x9E3779B97F4A7C15ULL + (unsigned long long)tag * 7919ULL + 1;
    if (strcmp(event_at(argc, argv, -1), "noinit") == 0) return 0;
    printf("Fuzz%d\n", tag); fflush(stdout);
    for (int frame = 1;; frame++) {
        read_map(read_line());
        const char *ev = event_at(argc, argv, frame);
        if (!strcmp(ev, "die")) return 1;
        if (!strcmp(ev, "sleep")) sleep(3);
        if (!strcmp(ev, "garbage")) { printf("1 1 1 x\n"); fflush(stdout); continue; }
        if (!strcmp(ev, "empty")) { printf("\n"); fflush(stdout); continue; }
        int offmap_at = (rnd() % 40 == 0) ? (int)(rnd() % (cells + 1)) : -1;
        for (int i = 0; i < cells; i++) {
            if (i == offmap_at) printf("%d %d 1 ", width + (int)(rnd() % 3), (int)(rnd() % height));
            if (owner[i] != tag) {
                if (rnd() % 200 == 0) printf("%d %d %d ", i % width, i / width, 1 + rnd() % 4);
                continue;
            }
            int d = 0;
            if (strength[i] >= threshold * production[i]) d = (int)(rnd() % 5);
            if (rnd() % 300 == 0) d = 5 + (int)(rnd() % 300);
            printf("%d %d %d ", i % width, i / width, d);
            if (rnd() % 100 == 0) printf("%d %d %d ", i % width, i / width, (int)(rnd() % 5));
        }
        printf("\n"); fflush(stdout);
    }
}
