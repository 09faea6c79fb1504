//! What a tournament tells, and asks, whoever runs it. `arena run` needs
//! nothing ([`NoHooks`]); `arena serve` builds remote agents' editors, pauses
//! and cancels at checkpoints, acknowledges submissions, and shows games
//! live ([`Hooks`] in `server::hub`).

use arena_agents::builtin::Editor;
use arena_agents::wire::{MatchResult, RoundResults, Standings};
use arena_replays::ReplayHeader;
use serde_json::Value;

/// Why a run stopped before its end at a checkpoint.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Stopped {
    /// An admin cancelled the tournament.
    #[error("the tournament was cancelled")]
    Cancelled,
    /// The server is shutting down; the run resumes on the next start.
    #[error("the server is shutting down")]
    ShuttingDown,
}

/// Where a live game's frames go as they are played.
pub trait LiveSink: Send {
    /// The next frame (turns count from 0, one frame per turn).
    fn frame(&mut self, turn: u64, frame: &Value);
    /// The game is over and stored as `match_id`.
    fn finished(self: Box<Self>, match_id: i64, result: &MatchResult);
}

/// The run's callbacks. Every method has a do-nothing default.
pub trait Hooks: Sync {
    /// The editor of a player whose agent is `remote`.
    fn remote_editor(
        &self,
        tournament: i64,
        player_id: i64,
        name: &str,
    ) -> super::Result<Box<dyn Editor>> {
        let _ = (tournament, player_id);
        Err(super::TournamentError::Agent {
            player: name.to_owned(),
            message: "agent = \"remote\" joins over the websocket; create the tournament on `arena serve` instead of `arena run`".into(),
        })
    }

    /// Called between steps (before each phase, between stored
    /// simulations); blocks while the tournament is paused.
    fn checkpoint(&self, tournament: i64) -> Result<(), Stopped> {
        let _ = tournament;
        Ok(())
    }

    /// Whether the run must stop now, without waiting (checked before each
    /// edit is stored, so a cancelled edit phase stores nothing more).
    fn stop_requested(&self, tournament: i64) -> Result<(), Stopped> {
        let _ = tournament;
        Ok(())
    }

    /// A player's submission for a round was validated and stored.
    fn submission_stored(
        &self,
        tournament: i64,
        player_id: i64,
        round: u32,
        valid: bool,
        hash: &str,
        reason: &str,
    ) {
        let _ = (tournament, player_id, round, valid, hash, reason);
    }

    /// A round's results (every player's row; each agent may see only its
    /// own notes: [`RoundResults::view_for`]).
    fn round_finished(&self, tournament: i64, round: u32, results: &RoundResults) {
        let _ = (tournament, round, results);
    }

    /// The final standings.
    fn tournament_finished(&self, tournament: i64, standings: &Standings) {
        let _ = (tournament, standings);
    }

    /// A game is about to be played: where its frames go, if anywhere.
    fn live_game(
        &self,
        tournament: i64,
        round: u32,
        sim: u32,
        header: &ReplayHeader,
    ) -> Option<Box<dyn LiveSink>> {
        let _ = (tournament, round, sim, header);
        None
    }
}

/// `arena run`'s hooks: none.
pub struct NoHooks;

impl Hooks for NoHooks {}
