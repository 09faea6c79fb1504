//! End-to-end tests over the real `arena` binary, and conformance suites
//! against reference tools. One test binary, so it links once.

mod arena_match;
mod arena_run;
mod crash;
mod fuzz;
mod gomoku;
mod halite;
mod protocol;
mod robotrumble;
mod robotrumble_parity;
mod util;
mod workers;

mod corewar_pmars;
mod ratings;
mod serve_tournament;
mod server;
mod viewer;
