// Prints values from the official Halite I environment's own code (core/hlt.hpp)
// and from libstdc++'s random engines, for the arena's conformance fixtures.
// Ours (MIT OR Apache-2.0); built by tools/build-halite.sh beside the environment.
//
//   halite-dump mt SEED N             N raw std::mt19937 outputs
//   halite-dump real SEED N           N uniform_real_distribution<double>(0,1) draws, as IEEE bits (hex)
//   halite-dump realab SEED A B N     N uniform_real_distribution<double>(A,B) draws, as IEEE bits (hex)
//   halite-dump int SEED A B N        N uniform_int_distribution<int>(A,B) draws
//   halite-dump map W H P SEED        the map hlt::Map(W, H, P, SEED) makes: size line, then
//                                     production, owner and strength rows
//   halite-dump mapsum W H P SEED...  one line per seed: W H P SEED width height fnv1a64
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <cstdint>
#include <random>
#include <sstream>
#include <iostream>
#include "core/hlt.hpp"

bool quiet_output = true;

static uint64_t fnv(const hlt::Map & m) {
    uint64_t h = 1469598103934665603ULL;
    auto eat = [&](unsigned char b) { h ^= b; h *= 1099511628211ULL; };
    for (auto & row : m.contents) for (auto & s : row) { eat(s.owner); eat(s.strength); eat(s.production); }
    return h;
}

int main(int argc, char ** argv) {
    if (argc < 2) { fprintf(stderr, "usage: see the source\n"); return 2; }
    std::string mode = argv[1];
    if (mode == "mt" && argc == 4) {
        std::mt19937 g(strtoul(argv[2], 0, 10));
        for (long i = 0, n = atol(argv[3]); i < n; i++) printf("%lu\n", (unsigned long)g());
    } else if ((mode == "real" && argc == 4) || (mode == "realab" && argc == 6)) {
        std::mt19937 g(strtoul(argv[2], 0, 10));
        double a = 0.0, b = 1.0;
        long n = atol(argv[3]);
        if (mode == "realab") { a = strtod(argv[3], 0); b = strtod(argv[4], 0); n = atol(argv[5]); }
        std::uniform_real_distribution<double> d(a, b);
        for (long i = 0; i < n; i++) {
            double x = d(g);
            uint64_t bits; memcpy(&bits, &x, 8);
            printf("%016llx\n", (unsigned long long)bits);
        }
    } else if (mode == "int" && argc == 6) {
        std::mt19937 g(strtoul(argv[2], 0, 10));
        std::uniform_int_distribution<int> d(atoi(argv[3]), atoi(argv[4]));
        for (long i = 0, n = atol(argv[5]); i < n; i++) printf("%d\n", d(g));
    } else if (mode == "map" && argc == 6) {
        // hlt::Map's constructor prints "W H" itself.
        hlt::Map m(atoi(argv[2]), atoi(argv[3]), atoi(argv[4]), strtoul(argv[5], 0, 10));
        for (auto & row : m.contents) { for (auto & s : row) printf("%d ", s.production); printf("\n"); }
        for (auto & row : m.contents) { for (auto & s : row) printf("%d ", s.owner); printf("\n"); }
        for (auto & row : m.contents) { for (auto & s : row) printf("%d ", s.strength); printf("\n"); }
    } else if (mode == "mapsum" && argc >= 6) {
        std::streambuf * old = std::cout.rdbuf();
        std::ostringstream sink;
        for (int i = 5; i < argc; i++) {
            std::cout.rdbuf(sink.rdbuf());
            hlt::Map m(atoi(argv[2]), atoi(argv[3]), atoi(argv[4]), strtoul(argv[i], 0, 10));
            std::cout.rdbuf(old);
            printf("%s %s %s %s %d %d %016llx\n", argv[2], argv[3], argv[4], argv[i], m.map_width, m.map_height, (unsigned long long)fnv(m));
        }
    } else { fprintf(stderr, "usage: see the source\n"); return 2; }
    return 0;
}
