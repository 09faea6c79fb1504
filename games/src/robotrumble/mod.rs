//! RobotRumble (robotrumble.org) as its reference engine, robot-rumble/logic,
//! plays it in the normal mode: a 19x19 grid inside a circle of walls, two
//! teams (Blue and Red) of soldiers with 5 health, four pairs spawned in
//! mirrored spawn points before turn 1 and every 10 turns (clearing units on
//! spawn points first), moves and attacks resolved each turn, 100 turns,
//! the team with more units at the end wins. Implemented from the
//! reference's documented and observed behaviour (its code is GPL-3.0 and
//! is not copied); parity is checked against its recorded games
//! (`tests/data/robotrumble/`, `docs/robotrumble.md`).
//!
//! - [`map`]: the grid, walls, spawn points, directions.
//! - [`game`]: the ECS game ([`RobotRumble`]) and its systems.
//! - [`api`]: what a team's program is sent and answers.
//! - [`bot`]: [`crate::engine::BotGame`] for it.
//!
//! Bots are CodeClash `robot.py` files defining `robot(state, unit)`;
//! `adapter.py` (next to this file) runs one behind JSON lines.

pub mod api;
pub mod bot;
pub mod game;
pub mod map;

#[cfg(test)]
mod tests;

pub use api::{RumbleAnswer, RumbleMessage, RumbleRequest, Team};
pub use bot::team_action;
pub use game::{
    Ending, ObjId, Order, RobotRumble, RumbleFrame, RumbleSetup, SpawnPlan, SpawnRules, TeamAction,
    TeamFailure, UnitAnswerKind, UnitResult, UnitView,
};
pub use map::{Coords, Direction};

/// The adapter's source, for the arena to copy next to a bot's `robot.py`.
pub const ADAPTER_PY: &str = include_str!("adapter.py");

/// The JavaScript adapter's source, for a bot's `robot.js` (run with Node).
pub const ADAPTER_JS: &str = include_str!("adapter.js");
