//! The player side of the arena: codebases, their contracts, and running
//! bots.
//!
//! [`codebase`] reads a codebase whole and names it by content hash;
//! [`contract`] says whether it may play a game and how to start it;
//! [`runner`] starts one sandboxed process per bot per game and talks to it;
//! [`client`] is `arena agent`, which plays a player's edit phases on
//! `arena serve` with a shell command.

pub mod builtin;
pub mod client;
pub mod codebase;
pub mod contract;
pub mod play;
pub mod protocol;
pub mod runner;
mod shell;
pub mod wire;
