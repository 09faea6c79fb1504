//! The rules of every arena game, each a deterministic simulation on `bevy_ecs`.
//!
//! No I/O and no async here: a game is a pure function of its seed, its
//! settings and the players' actions.

pub mod battlesnake;
pub mod corewar;
pub mod engine;
pub mod gomoku;
pub mod halite;
pub mod robotrumble;
