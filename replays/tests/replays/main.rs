//! The replay crate end to end, on real SQLite files (WAL) in temporary
//! directories. One test binary, so the workspace links it once.

mod battlesnake;
mod common;
mod corewar;
mod storage;
