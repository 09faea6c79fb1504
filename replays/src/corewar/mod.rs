//! Core War replays: the header that lets a battle be played again, the
//! per-round frames, verification by re-simulation, and the core at any
//! moment for viewers.
//!
//! A Core War match is a pure function of pMARS's settings, its seed and
//! the assembled warriors, so a replay stores those in the header and one
//! small frame per round; the core itself is re-simulated on demand (a
//! round is milliseconds) and checked against the frames as it is read.
//!
//! The arena's part:
//! ```text
//! let header = corewar_header(&battle, rules_version, match_seed, players)?;
//! let record = record_corewar(&battle, jobs);   // frames + outcome, one play
//! header.result = Some(match_result);
//! store::write(&tx, match_id, &header, &record.frames, DEFAULT_CHUNK_FRAMES)?;
//! ```

mod record;
mod setup;
mod trace;
mod view;

use serde_json::Value;
use thiserror::Error;

use crate::error::ReplayError;

pub use record::{
    CorewarRecord, RoundFrame, corewar_frames, record_corewar, verify_corewar, verify_corewar_with,
};
pub use setup::{
    CorewarSettings, GAME, MarsSettings, PmarsSeed, WarriorRecord, battle_from_header,
    corewar_header, parse_instruction,
};
pub use trace::{CoreTrace, core_trace};
pub use view::{CoreView, RoundTimeline, core_at, round_timeline};

/// Why a Core War replay is not what its battle does.
#[derive(Debug, Error)]
pub enum Mismatch {
    /// The replay could not be read.
    #[error(transparent)]
    Replay(#[from] ReplayError),
    /// The header is not a Core War header.
    #[error("not a Core War replay: its game is {0:?}")]
    NotCorewar(String),
    /// The header's settings do not describe a battle.
    #[error("the header's Core War settings are invalid: {0}")]
    Settings(String),
    /// The replay has a frame count other than the battle's rounds.
    #[error("the replay has {stored} frames, but the battle has {simulated} rounds")]
    FrameCount { stored: u64, simulated: u64 },
    /// A viewer asked for a round the battle does not have.
    #[error("round {round} does not exist (the battle has {rounds} rounds)")]
    NoSuchRound { round: u64, rounds: u64 },
    /// A stored round differs from the re-simulated one.
    #[error("round {round} differs: stored {stored}, re-simulated {simulated}")]
    Round {
        round: u64,
        stored: Value,
        simulated: Value,
    },
    /// The header's result has other scores than the battle.
    #[error("the result's scores {stored:?} differ from the re-simulated {simulated:?}")]
    Scores {
        stored: Vec<f64>,
        simulated: Vec<f64>,
    },
}
