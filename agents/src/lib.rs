//! The player side of the arena: running bots.
//!
//! [`runner`] starts one sandboxed process per bot per game and talks to it.

pub mod runner;
