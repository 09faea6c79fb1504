//! The game seam: everything the arena knows about a game, behind one trait.
//!
//! A game implements [`GamePlugin`] once (its config section, rules version,
//! codebase contract, how one simulation is played, its `arena match`
//! columns) and is listed in [`GAMES`]. Config parsing, tournaments,
//! `arena match`, `arena replay` and the server reach games only through
//! here. `docs/adding-a-game.md` walks through adding one.

pub mod battlesnake;
pub mod bots;
pub mod corewar;
pub mod gomoku;
pub mod halite;
pub mod robotrumble;

use std::any::Any;
use std::ops::RangeInclusive;
use std::path::Path;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use arena_agents::codebase::Snapshot;
use arena_agents::contract::Rejection;
use arena_agents::play::SeatRecord;
use arena_agents::runner::StopKind;
use arena_games::engine::{EndReason, MatchResult, MatchRng};
use arena_replays::{Replay, ReplayHeader, ReplayPlayer};

use crate::environments::{Environments, Needs, PrepareError, Prepared};

/// Every game the arena plays. Adding a game is adding its line here.
pub static GAMES: &[&dyn GamePlugin] = &[
    &corewar::CoreWarGame,
    &battlesnake::BattleSnakeGame,
    &gomoku::GomokuGame,
    &halite::HaliteGame,
    &robotrumble::RobotRumbleGame,
];

/// The game of this name.
pub fn find(name: &str) -> Option<&'static dyn GamePlugin> {
    GAMES.iter().copied().find(|g| g.name() == name)
}

/// Every game's name, for messages ("expected one of ...").
pub fn names() -> Vec<&'static str> {
    GAMES.iter().map(|g| g.name()).collect()
}

/// A config key that was refused: the key (relative to the game's section)
/// and what it accepts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyError {
    pub key: String,
    pub message: String,
}

impl KeyError {
    pub fn new(key: impl Into<String>, message: impl Into<String>) -> KeyError {
        KeyError {
            key: key.into(),
            message: message.into(),
        }
    }
}

/// Which optional columns `arena match` prints for a game.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Columns {
    /// The word for how players left the game other than by the score
    /// (`eliminated`: a snake's cause; `forfeited`: Gomoku's invalid moves),
    /// if the game has such causes.
    pub causes: Option<&'static str>,
    /// Turns answered too late (games with a move deadline the bot may miss).
    pub late_moves: bool,
}

/// A game, as the arena sees it.
pub trait GamePlugin: Send + Sync + 'static {
    /// The name configs, replays and the API use (`"corewar"`).
    fn name(&self) -> &'static str;

    /// The rules' version: one rating pool per (name, rules version).
    fn rules_version(&self) -> &'static str;

    /// How many players a simulation takes.
    fn players(&self) -> RangeInclusive<usize>;

    /// Reads the game's config section (`[corewar]`; `None` when absent:
    /// the defaults) for a tournament or match of `players` players.
    fn configure(
        &self,
        section: Option<toml::Value>,
        players: usize,
    ) -> Result<Arc<dyn GameConfig>, KeyError>;

    /// A single file given where a codebase folder is expected, as a
    /// codebase (Core War takes a `.red` file); `None`: folders only.
    fn codebase_from_file(&self, path: &Path, bytes: Vec<u8>) -> Option<Snapshot> {
        let _ = (path, bytes);
        None
    }

    /// `arena match`'s optional columns.
    fn columns(&self) -> Columns {
        Columns::default()
    }

    /// Checks a stored replay against a re-simulation, where the game can
    /// (its result depends on nothing but the seed and the codebases):
    /// `Some(Ok(summary))`, `Some(Err(mismatch))`, or `None` when replays of
    /// this game are only checked for integrity.
    fn verify(&self, replay: &Replay) -> Option<Result<String, String>> {
        let _ = replay;
        None
    }

    /// The game's part of the web viewer: a JavaScript module that draws a
    /// frame (`docs/viewer.md` says what it exports); `None`: the viewer
    /// shows each frame as JSON.
    fn viewer_js(&self) -> Option<&'static str> {
        None
    }

    /// What the game's viewer asks for beyond the stored frames
    /// (`GET /api/matches/{id}/view?...`, e.g. Core War's core at an
    /// execution): `None` when the game has nothing more; `Err` says what
    /// was wrong with the query.
    fn viewer_data(
        &self,
        replay: &Replay,
        query: &std::collections::BTreeMap<String, String>,
    ) -> Option<Result<Value, String>> {
        let _ = (replay, query);
        None
    }
}

/// A game with its settings read from a config: what validates codebases
/// and sets up tables.
pub trait GameConfig: Send + Sync + std::fmt::Debug {
    /// The game.
    fn game(&self) -> &'static dyn GamePlugin;

    /// The settings as replays and the API show them.
    fn settings_json(&self) -> Value;

    /// The game's own settings type, for built-in editors that know the
    /// game (Core War's `mutate` reads its battle settings).
    fn settings_any(&self) -> &dyn Any;

    /// Checks a codebase against the game's contract.
    fn validate(&self, codebase: &Snapshot) -> Result<(), Rejection>;

    /// What a valid codebase's bot needs made before it runs (a Python
    /// environment, a build); see [`prepare`].
    fn needs(&self, codebase: &Snapshot) -> Needs {
        let _ = codebase;
        Needs::Nothing
    }

    /// Makes a table for a group of valid codebases, ready to play the
    /// `games` simulations of a round among them (bots that live for the
    /// round are started here, with a round's worth of their per-game
    /// limits; they stop when the table is dropped).
    fn table(&self, entrants: &[Entrant], games: u32) -> Result<Box<dyn Table>>;
}

/// Validation: checks a codebase against the game's contract and makes
/// what its bot needs (once; later calls find it in the cache).
pub fn prepare(
    config: &dyn GameConfig,
    envs: &Environments,
    codebase: &Snapshot,
) -> Result<Prepared, PrepareError> {
    config.validate(codebase).map_err(PrepareError::Rejected)?;
    envs.prepare(&config.needs(codebase), codebase)
}

/// A player at a table.
pub struct Entrant {
    pub name: String,
    /// The codebase's content hash (empty for a bot at a URL).
    pub hash: String,
    pub source: Source,
    /// Its bot's environment, made when the codebase was validated.
    pub prepared: Prepared,
}

/// Where a player's bot comes from.
pub enum Source {
    /// A codebase, played as its contract says.
    Codebase(Snapshot),
    /// A bot already serving the game's HTTP API (`arena match` only).
    Url(String),
}

impl Entrant {
    /// A stored or read codebase, with its bot's environment ready.
    pub fn codebase(name: &str, codebase: Snapshot, prepared: Prepared) -> Entrant {
        Entrant {
            name: name.to_string(),
            hash: codebase.hash().to_string(),
            source: Source::Codebase(codebase),
            prepared,
        }
    }

    /// Each entrant's (name, codebase hash), as replays name players.
    pub fn who(entrants: &[Entrant]) -> Vec<(String, String)> {
        entrants
            .iter()
            .map(|e| (e.name.clone(), e.hash.clone()))
            .collect()
    }

    /// The codebase, or an error naming the game that needs one.
    pub fn snapshot(&self, game: &str) -> Result<&Snapshot> {
        match &self.source {
            Source::Codebase(s) => Ok(s),
            Source::Url(u) => Err(GameError::NeedsCodebase {
                game: game.to_owned(),
                url: u.clone(),
            }),
        }
    }
}

/// Why a game cannot seat its entrants or play a simulation.
#[derive(Debug, thiserror::Error)]
pub enum GameError {
    /// A bot at a URL where the game plays codebases.
    #[error("{game} plays codebases, not a bot at a URL ({url})")]
    NeedsCodebase { game: String, url: String },
    /// A codebase of the other kind (a warrior where a program is needed,
    /// or the other way round).
    #[error("{player}'s codebase is not a {wanted}")]
    WrongKind {
        player: String,
        wanted: &'static str,
    },
    /// A codebase the game's contract refuses.
    #[error("{player}: {rejection}")]
    Rejected {
        player: String,
        rejection: Rejection,
    },
    /// Not as many players as the game takes.
    #[error("{game} takes {wanted} players, {seated} seated")]
    Seats {
        game: &'static str,
        wanted: usize,
        seated: usize,
    },
    /// A file the game needs cannot be written or read.
    #[error("{what}: {error}")]
    Io { what: String, error: std::io::Error },
    /// A codebase on disk that cannot be read.
    #[error("cannot read the codebase {}: {error}", path.display())]
    Codebase {
        path: std::path::PathBuf,
        error: arena_agents::codebase::CodebaseError,
    },
    /// A single file where the game takes a folder.
    #[error("{} is a file; a {game} codebase is a folder", path.display())]
    NotAFolder {
        path: std::path::PathBuf,
        game: &'static str,
    },
    /// A game's settings or header that do not serialize.
    #[error("cannot write the game's settings: {0}")]
    Json(#[from] serde_json::Error),
    /// Halite: no map for these players and size.
    #[error("no Halite map: {0}")]
    HaliteMap(#[from] arena_games::halite::MapError),
}

/// The games' results: a [`GameError`] unless said otherwise.
pub type Result<T, E = GameError> = std::result::Result<T, E>;

/// One simulation to play at a table.
pub struct Sim {
    /// Everything random in the simulation derives from it.
    pub seed: u64,
    /// The game's id for bots that are told one (Battlesnake's `game.id`).
    pub game_id: String,
    /// `seats[s]`: the entrant in seat `s`.
    pub seats: Vec<usize>,
}

/// Where a simulation's replay goes as it is played.
pub trait Watch {
    /// The header, before the first frame.
    fn start(&mut self, header: &ReplayHeader);
    /// The next frame (turns count from 0).
    fn frame(&mut self, turn: u64, frame: &Value);
}

/// A [`Watch`] that nobody watches.
pub struct Unwatched;

impl Watch for Unwatched {
    fn start(&mut self, _header: &ReplayHeader) {}
    fn frame(&mut self, _turn: u64, _frame: &Value) {}
}

/// A group of codebases ready to play.
pub trait Table: Send + Sync {
    /// Plays one simulation, telling `watch` as it goes if its games are
    /// worth following live. The replay header names the players by seat.
    fn play(&self, sim: &Sim, watch: &mut dyn Watch) -> Result<SimOutcome>;
}

/// How a seat did in one simulation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SeatOutcome {
    /// 1 is best; shared places are equal.
    pub placement: u32,
    /// The game's own score.
    pub score: f64,
    pub reason: EndReason,
    /// The game's word for how this player left (a snake's elimination
    /// cause), if it did.
    pub cause: Option<String>,
    /// Why its bot stopped (games of bot programs; Core War: `killed`).
    pub stop: Option<StopKind>,
    /// Turns its bot answered too late.
    pub late: u64,
    /// The last lines of its bot's stderr when it stopped badly.
    pub stderr_tail: String,
}

impl SeatOutcome {
    /// A seat's outcome from the engine's result and its bot's record.
    pub fn from_result(
        result: &MatchResult,
        seat: usize,
        n: usize,
        record: Option<&SeatRecord>,
    ) -> SeatOutcome {
        let p = result.players.get(seat);
        SeatOutcome {
            placement: p.map_or(n as u32, |p| p.placement),
            score: p.map_or(0.0, |p| p.score),
            reason: p.map_or(EndReason::Invalid, |p| p.reason),
            cause: None,
            stop: record.map(|r| r.stop),
            late: record.map_or(0, |r| r.late),
            stderr_tail: record.map(|r| r.stderr_tail.clone()).unwrap_or_default(),
        }
    }

    /// What the store's `reason` column says: the cause if any, else the
    /// end reason's name.
    pub fn reason_text(&self) -> String {
        self.cause
            .clone()
            .unwrap_or_else(|| end_reason_name(self.reason).to_string())
    }
}

/// An end reason's serde name.
pub fn end_reason_name(r: EndReason) -> &'static str {
    match r {
        EndReason::Won => "won",
        EndReason::Drew => "drew",
        EndReason::Outscored => "outscored",
        EndReason::Eliminated => "eliminated",
        EndReason::Timeout => "timeout",
        EndReason::Crashed => "crashed",
        EndReason::Invalid => "invalid",
    }
}

/// A played simulation.
pub struct SimOutcome {
    pub turns: u64,
    /// By seat.
    pub seats: Vec<SeatOutcome>,
    /// The header (result not yet set) and frames.
    pub header: ReplayHeader,
    pub frames: Vec<Value>,
}

impl SimOutcome {
    /// The result as the engine's `MatchResult`, which replays keep in
    /// their header.
    pub fn match_result(&self) -> MatchResult {
        MatchResult {
            turns: self.turns,
            players: self
                .seats
                .iter()
                .enumerate()
                .map(|(seat, s)| arena_games::engine::PlayerResult {
                    seat: seat as u8,
                    placement: s.placement,
                    score: s.score,
                    reason: s.reason,
                })
                .collect(),
        }
    }
}

/// The seats of a simulation: a shuffle of `n` entrants from its seed.
/// The shuffle draws from a stream of its own: a game seeded with the same
/// seed (Gomoku's colours come from its first draw) must not repeat the
/// shuffle's draws, or the seating would decide the colours.
pub fn seat_order(seed: u64, n: usize) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    let mut rng = MatchRng::new(crate::seeds::derive(seed, &[SEATING]));
    for i in (1..n).rev() {
        let j = rng.below(i as u64 + 1) as usize;
        order.swap(i, j);
    }
    order
}

/// The seating stream's tag, for [`crate::seeds::derive`].
const SEATING: u64 = 0x5EA7;

/// The replay's players: who sat in each seat, from each entrant's
/// (name, codebase hash).
pub fn seated(sim: &Sim, who: &[(String, String)]) -> Vec<ReplayPlayer> {
    sim.seats
        .iter()
        .enumerate()
        .map(|(seat, &k)| ReplayPlayer {
            seat: seat as u8,
            name: who[k].0.clone(),
            codebase_hash: who[k].1.clone(),
        })
        .collect()
}

/// Reads a codebase for `game`: a folder, or a single file where the game
/// takes one.
pub fn read_codebase(game: &dyn GamePlugin, path: &Path) -> Result<Snapshot> {
    if path.is_file() {
        let bytes = std::fs::read(path).map_err(|error| GameError::Io {
            what: format!("cannot read {}", path.display()),
            error,
        })?;
        return game
            .codebase_from_file(path, bytes)
            .ok_or_else(|| GameError::NotAFolder {
                path: path.to_path_buf(),
                game: game.name(),
            });
    }
    Snapshot::read(path, &arena_agents::codebase::Limits::default()).map_err(|error| {
        GameError::Codebase {
            path: path.to_path_buf(),
            error,
        }
    })
}

/// The settings of a game config, compared by game and settings.
#[derive(Clone, Debug)]
pub struct Configured(pub Arc<dyn GameConfig>);

impl PartialEq for Configured {
    fn eq(&self, other: &Self) -> bool {
        self.0.game().name() == other.0.game().name()
            && self.0.settings_json() == other.0.settings_json()
    }
}

impl std::ops::Deref for Configured {
    type Target = dyn GameConfig;
    fn deref(&self) -> &Self::Target {
        &*self.0
    }
}

/// Parses a game's section with serde, refusing unknown keys by name.
pub fn parse_section<T: serde::de::DeserializeOwned + Default>(
    game: &str,
    section: Option<toml::Value>,
) -> Result<T, KeyError> {
    match section {
        None => Ok(T::default()),
        Some(v) => {
            T::deserialize(v).map_err(|e| KeyError::new(game, e.message().trim().to_string()))
        }
    }
}
