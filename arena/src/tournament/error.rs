//! Why a tournament run fails. A stop that was asked for (a cancel, the
//! server shutting down) is not a failure: [`super::run_stored`] ends such
//! a run as [`super::Ended::Stopped`].

use super::{Stopped, standings::StandingsError};
use crate::environments::PrepareError;
use crate::games::GameError;
use crate::ratings::confidence::SprtError;
use crate::store::StoreError;

/// Why a tournament run (or a practice) failed.
#[derive(Debug, thiserror::Error)]
pub enum TournamentError {
    /// Reading or writing the database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The game could not seat or play its players.
    #[error(transparent)]
    Game(#[from] GameError),
    /// The table or ratings could not be computed from what is stored.
    #[error(transparent)]
    Standings(#[from] StandingsError),
    /// A checkpoint found that the run must stop.
    #[error(transparent)]
    Stopped(#[from] Stopped),
    /// A codebase's bot cannot be made on this host (a missing tool: the
    /// message says what to install). A codebase's own fault is a
    /// rejection, stored, not this.
    #[error("{what}: {error}")]
    Prepare { what: String, error: PrepareError },
    /// A player's agent cannot be made from its config.
    #[error("players.{player}: {message}")]
    Agent { player: String, message: String },
    /// A row the run relies on is not in the database.
    #[error(
        "{0} is not stored: the database was changed by something else; restore it or use another --data-dir"
    )]
    NotStored(String),
    /// A round that cannot be played as planned.
    #[error("round {round}: {problem}")]
    Plan { round: u32, problem: String },
    /// A worker could not play a simulation (its game failed there).
    #[error("round {round}: a worker could not play simulation {sim}: {error}")]
    WorkerSim { round: u32, sim: u32, error: String },
    /// `[sprt]` settings that make no test.
    #[error(transparent)]
    Sprt(#[from] SprtError),
    /// A simulation's result that cannot be written as JSON.
    #[error("a simulation's result cannot be written as JSON: {0}")]
    Json(#[from] serde_json::Error),
    /// The workers playing the round's simulations failed.
    #[error(transparent)]
    Workers(#[from] crate::workers::WorkerError),
}

/// The runner's results.
pub type Result<T, E = TournamentError> = std::result::Result<T, E>;
