//! The arena's library: what the `arena` command, the tournament runner
//! and the server share.

pub mod config;
pub mod doctor;
pub mod environments;
pub mod fault;
pub mod games;
pub mod leaderboard;
pub mod matches;
pub mod ratings;
pub mod seeds;
pub mod server;
pub mod store;
pub mod tournament;
pub mod workers;
