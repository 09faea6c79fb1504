//! End-to-end tests over the real `arena` binary, and conformance suites
//! against reference tools. One test binary, so it links once.

mod arena_match;
mod arena_run;
mod crash;
mod environments;
mod fuzz;
mod gomoku;
mod halite;
mod library_errors;
mod private;
mod protocol;
mod protocol_session;
mod robotrumble;
mod robotrumble_parity;
mod serve_crash;
mod util;
mod workers;

mod corewar_pmars;
mod ratings;
mod schema;
mod serve_tournament;
mod server;
mod viewer;
