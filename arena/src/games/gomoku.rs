//! Gomoku as a plug-in: CodeClash-ai/Gomoku's rules
//! (`games/src/gomoku/`), each player a CodeClash `main.py` defining
//! `get_move(board, color)`, run sandboxed behind the game's adapter
//! (`games/src/gomoku/adapter.py`), one fresh process per game as
//! `engine.py` loads each bot afresh for every game.

use std::any::Any;
use std::sync::Arc;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use arena_agents::codebase::Snapshot;
use arena_agents::contract::{Entry, Rejection};
use arena_agents::play;
use arena_agents::runner;
use arena_games::engine::Match;
use arena_games::gomoku::{ADAPTER_PY, Ending, ForfeitReason, Gomoku, GomokuSetup};
use arena_replays::ReplayHeader;

use super::bots::{BotSource, adapter_entry, start_all};
use super::{
    Columns, Entrant, GameConfig, GameError, GamePlugin, KeyError, Result, SeatOutcome, Sim,
    SimOutcome, Table, Watch, parse_section, seated,
};
use crate::environments::Needs;

/// Gomoku, as CodeClash-ai/Gomoku's `engine.py` plays it.
pub struct GomokuGame;

/// The adapter's file name in a bot's folder (a name a bot's own files
/// are unlikely to take).
const ADAPTER: &str = "arena_gomoku_adapter.py";

/// The bot's file, as CodeClash lays a Gomoku codebase out.
const MAIN: &str = "main.py";

/// `[gomoku]`: the game's settings.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct GomokuConfig {
    /// Cells per side (`engine.py -b`).
    pub board_size: usize,
    /// Time for one move. `engine.py` sets none (a bot that never returns
    /// hangs its game); the arena's default leaves a Python search a second
    /// and the first move the interpreter's start as well (the runner adds
    /// what is left of its start-up allowance).
    pub move_timeout_ms: u64,
}

impl Default for GomokuConfig {
    fn default() -> Self {
        GomokuConfig {
            board_size: 15,
            move_timeout_ms: 1000,
        }
    }
}

impl GamePlugin for GomokuGame {
    fn name(&self) -> &'static str {
        "gomoku"
    }

    fn rules_version(&self) -> &'static str {
        "codeclash-gomoku-1"
    }

    fn players(&self) -> std::ops::RangeInclusive<usize> {
        2..=2
    }

    fn configure(
        &self,
        section: Option<toml::Value>,
        _players: usize,
    ) -> Result<Arc<dyn GameConfig>, KeyError> {
        let c: GomokuConfig = parse_section("gomoku", section)?;
        if !(5..=25).contains(&c.board_size) {
            return Err(KeyError::new(
                "gomoku.board_size",
                "must be 5 to 25 (five in a row needs five cells)",
            ));
        }
        if c.move_timeout_ms == 0 {
            return Err(KeyError::new(
                "gomoku.move_timeout_ms",
                "must be at least 1 (milliseconds a bot has for a move)",
            ));
        }
        Ok(Arc::new(GomokuSettings(c)))
    }

    fn viewer_js(&self) -> Option<&'static str> {
        Some(include_str!("gomoku.viewer.js"))
    }

    fn columns(&self) -> Columns {
        Columns {
            causes: Some("forfeited"),
            late_moves: false,
        }
    }
}

/// Gomoku with its settings.
#[derive(Debug)]
struct GomokuSettings(GomokuConfig);

/// A Gomoku codebase: `main.py`, run through the adapter.
fn contract(codebase: &Snapshot) -> Result<Entry, Rejection> {
    let how = "define get_move(board, color) returning (row, col)";
    adapter_entry(codebase, MAIN, "get_move", how, &["python3", ADAPTER])?.ok_or_else(|| {
        Rejection(format!(
            "no {MAIN}: a Gomoku codebase is a {MAIN} defining get_move(board, color) -> (row, col), as CodeClash's"
        ))
    })
}

impl GameConfig for GomokuSettings {
    fn game(&self) -> &'static dyn GamePlugin {
        &GomokuGame
    }

    fn settings_json(&self) -> Value {
        serde_json::to_value(&self.0).unwrap_or(Value::Null)
    }

    fn settings_any(&self) -> &dyn Any {
        &self.0
    }

    fn validate(&self, codebase: &Snapshot) -> Result<(), Rejection> {
        contract(codebase).map(|_| ())
    }

    /// The adapter needs nothing beyond the standard library; the bot's
    /// `requirements.txt`, if any.
    fn needs(&self, codebase: &Snapshot) -> Needs {
        Needs::python(codebase, &[], &[""])
    }

    fn table(&self, entrants: &[Entrant], _games: u32) -> Result<Box<dyn Table>> {
        let bots = entrants
            .iter()
            .map(|e| BotSource::prepare(e, contract, &[(ADAPTER, ADAPTER_PY.as_bytes())]))
            .collect::<Result<Vec<_>>>()?;
        Ok(Box::new(GomokuTable {
            config: self.0.clone(),
            who: Entrant::who(entrants),
            bots,
        }))
    }
}

/// Two bots, ready for games.
struct GomokuTable {
    config: GomokuConfig,
    who: Vec<(String, String)>,
    bots: Vec<BotSource>,
}

impl Table for GomokuTable {
    fn play(&self, sim: &Sim, watch: &mut dyn Watch) -> Result<SimOutcome> {
        let names: Vec<String> = sim.seats.iter().map(|&k| self.who[k].0.clone()).collect();
        let [first, second] = <[String; 2]>::try_from(names).map_err(|n| GameError::Seats {
            game: "gomoku",
            wanted: 2,
            seated: n.len(),
        })?;
        let setup = GomokuSetup {
            board_size: self.config.board_size,
            ..GomokuSetup::new(first, second)
        };
        let header = ReplayHeader::new(
            GomokuGame.name(),
            GomokuGame.rules_version(),
            sim.seed,
            seated(sim, &self.who),
            serde_json::to_value(&self.config)?,
        );
        watch.start(&header);
        let seated_bots: Vec<&BotSource> = sim.seats.iter().map(|&k| &self.bots[k]).collect();
        let bots = start_all(&seated_bots, &runner::Limits::default());
        let mut played = play::play(
            Match::<Gomoku>::new(sim.seed, setup),
            bots,
            Duration::from_millis(self.config.move_timeout_ms),
            &mut |turn, frame| watch.frame(turn, frame),
        );
        let n = sim.seats.len();
        let result = played.game.result().cloned().unwrap_or_else(|| {
            arena_games::engine::MatchResult::from_scores(played.game.turns(), &[0.0, 0.0], &[])
        });
        let ending = Gomoku::ending(played.game.world_mut()).cloned();
        let seats = (0..n)
            .map(|seat| {
                let mut o = SeatOutcome::from_result(&result, seat, n, played.seats.get(seat));
                o.cause = match &ending {
                    Some(Ending::Forfeit { seat: s, reason }) if usize::from(s.0) == seat => {
                        Some(forfeit_word(reason).to_string())
                    }
                    _ => None,
                };
                o
            })
            .collect();
        Ok(SimOutcome {
            turns: played.game.turns(),
            seats,
            header,
            frames: played.frames,
        })
    }
}

/// How a forfeit is counted in tables and stored (`reason` column).
fn forfeit_word(reason: &ForfeitReason) -> &'static str {
    match reason {
        ForfeitReason::Occupied { .. } => "occupied-cell",
        ForfeitReason::OffBoard { .. } => "off-board",
        ForfeitReason::Malformed { .. } => "malformed-answer",
        ForfeitReason::Exception { .. } => "exception",
        ForfeitReason::LoadFailed { .. } => "load-failed",
        ForfeitReason::Timeout => "timeout",
        ForfeitReason::Crashed { .. } => "crashed",
    }
}
