//! The arena's SQLite file: tournaments, players, codebase versions
//! (deduplicated by hash), submissions, rounds, matches with each player's
//! result, ratings, the logs agents were shown, and replays.
//!
//! One file under the data directory, in WAL mode, with versioned
//! migrations. One writer: the process that runs a tournament writes from
//! one thread, and a finished match (result and replay) is one transaction,
//! so a `kill -9` loses at most the matches in flight and never half of one.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use rusqlite::{Connection, OptionalExtension, Transaction, params};

use arena_agents::builtin::AgentKind;
use arena_agents::codebase::{File, Snapshot};
use arena_agents::protocol::TournamentState;
use arena_agents::runner::StopKind;
use arena_agents::wire::{
    GameEntry, GameSeat, MatchDetail, MatchSeat, PlayerEntry, RoundEntry, Seed, Standings,
    TournamentDetail, TournamentSummary,
};

mod error;
pub mod matches;
pub mod ratings;
pub mod replays;
pub mod rounds;
pub mod tournaments;
pub mod writer;

pub use error::{StoreError, StoreResult};

/// The store's results: a [`StoreError`] unless said otherwise.
type Result<T, E = StoreError> = std::result::Result<T, E>;
pub use matches::{MatchRow, Placement, SeatRow};
pub use ratings::RatingRow;
pub use replays::ReplayRow;
pub use rounds::InvalidSubmission;
pub use tournaments::{TournamentRef, TournamentRow};
pub use writer::Writer;

/// The database file inside the data directory.
pub const DB_FILE: &str = "arena.sqlite";

/// One step of the schema: `PRAGMA user_version` says how many have run.
enum Migration {
    Sql(&'static str),
    /// The replays crate's tables.
    ReplayTables,
}

/// Each migration moves the schema one version up, in this order.
const MIGRATIONS: &[Migration] = &[
    Migration::Sql(SCHEMA_1),
    Migration::ReplayTables,
    Migration::Sql(SCHEMA_3),
    Migration::Sql(SCHEMA_4),
    Migration::Sql(SCHEMA_5),
];

/// `players.agent` holds the agent's kind (`AgentKind`'s name); earlier
/// versions stored its Rust debug form (`Remote`, `Mutate { trials: .. }`).
const SCHEMA_4: &str = r#"
UPDATE players SET agent = lower(substr(agent, 1, instr(agent || ' ', ' ') - 1));
"#;

const SCHEMA_5: &str = r#"
-- the last lines of a bot's stderr when it stopped badly (crashed, timed
-- out, broke the protocol): what its agent is shown about why
ALTER TABLE match_players ADD COLUMN stderr_tail TEXT;
"#;

const SCHEMA_3: &str = r#"
-- 1 for a tournament `arena serve` created (and so resumes); `arena run`'s
-- are resumed by rerunning `arena run`.
ALTER TABLE tournaments ADD COLUMN served INTEGER NOT NULL DEFAULT 0;
-- `arena serve`: remote agents' tokens, kept as SHA-256 (hex); one per player.
CREATE TABLE agent_tokens (
    token_hash TEXT PRIMARY KEY,
    tournament_id INTEGER NOT NULL REFERENCES tournaments(id),
    player_id INTEGER NOT NULL UNIQUE REFERENCES players(id)
);
"#;

const SCHEMA_1: &str = r#"
CREATE TABLE tournaments (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    game TEXT NOT NULL,
    rules_version TEXT NOT NULL,
    seed INTEGER NOT NULL,
    -- the config as given, so a rerun can check it is the same tournament
    config TEXT NOT NULL,
    -- 'created', 'running', 'paused', 'cancelled', 'finished'
    state TEXT NOT NULL
);
CREATE TABLE players (
    id INTEGER PRIMARY KEY,
    tournament_id INTEGER NOT NULL REFERENCES tournaments(id),
    seat INTEGER NOT NULL,
    name TEXT NOT NULL,
    agent TEXT NOT NULL,
    UNIQUE (tournament_id, name),
    UNIQUE (tournament_id, seat)
);
CREATE TABLE codebases (
    hash TEXT PRIMARY KEY,
    files INTEGER NOT NULL,
    bytes INTEGER NOT NULL,
    -- every file, zstd-compressed (see encode_snapshot)
    data BLOB NOT NULL
);
CREATE TABLE submissions (
    tournament_id INTEGER NOT NULL REFERENCES tournaments(id),
    player_id INTEGER NOT NULL REFERENCES players(id),
    round INTEGER NOT NULL,
    hash TEXT NOT NULL REFERENCES codebases(hash),
    valid INTEGER NOT NULL,
    reason TEXT NOT NULL,
    PRIMARY KEY (tournament_id, player_id, round)
);
CREATE TABLE rounds (
    tournament_id INTEGER NOT NULL REFERENCES tournaments(id),
    round INTEGER NOT NULL,
    -- NULL on a tie
    winner_id INTEGER REFERENCES players(id),
    PRIMARY KEY (tournament_id, round)
);
CREATE TABLE matches (
    id INTEGER PRIMARY KEY,
    tournament_id INTEGER NOT NULL REFERENCES tournaments(id),
    round INTEGER NOT NULL,
    sim INTEGER NOT NULL,
    seed INTEGER NOT NULL,
    turns INTEGER NOT NULL,
    UNIQUE (tournament_id, round, sim)
);
CREATE TABLE match_players (
    match_id INTEGER NOT NULL REFERENCES matches(id),
    player_id INTEGER NOT NULL REFERENCES players(id),
    seat INTEGER NOT NULL,
    placement INTEGER NOT NULL,
    score REAL NOT NULL,
    -- why the match ended for it: won, drew, outscored, eliminated, ...
    reason TEXT NOT NULL,
    -- why its bot stopped, for program bots
    stop TEXT,
    PRIMARY KEY (match_id, player_id)
);
CREATE TABLE ratings (
    tournament_id INTEGER NOT NULL REFERENCES tournaments(id),
    round INTEGER NOT NULL,
    player_id INTEGER NOT NULL REFERENCES players(id),
    system TEXT NOT NULL,
    rating REAL NOT NULL,
    deviation REAL,
    PRIMARY KEY (tournament_id, round, player_id, system)
);
CREATE TABLE logs (
    tournament_id INTEGER NOT NULL REFERENCES tournaments(id),
    round INTEGER NOT NULL,
    player_id INTEGER NOT NULL REFERENCES players(id),
    text TEXT NOT NULL,
    PRIMARY KEY (tournament_id, round, player_id)
);
"#;

/// The open database.
pub struct Store {
    /// The one connection: shared by [`Store::share`] (the server's runner
    /// threads and its writer thread write on the same connection, one
    /// transaction at a time), so no two writers contend for the file.
    conn: Arc<Mutex<Connection>>,
    path: PathBuf,
}

/// A submission as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Submission {
    pub hash: String,
    pub valid: bool,
    pub reason: String,
}

/// A submission to store.
pub struct NewSubmission<'a> {
    pub round: u32,
    pub codebase: &'a Snapshot,
    pub valid: bool,
    /// The validator's reason, or the agent's note when valid.
    pub reason: &'a str,
    /// The logs the agent was shown before its edit.
    pub logs_shown: &'a str,
}

/// One player's part in a finished match.
#[derive(Clone, Debug, PartialEq)]
pub struct MatchPlayer {
    pub player_id: i64,
    pub seat: u32,
    pub placement: u32,
    pub score: f64,
    pub reason: String,
    pub stop: Option<StopKind>,
    /// The last lines of its bot's stderr when it stopped badly.
    pub stderr_tail: Option<String>,
}

/// How a player's bots stopped over a round's simulations.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BotStops {
    /// Each stop reason's count.
    pub stops: BTreeMap<StopKind, u64>,
    /// The last lines of its bot's stderr in the last simulation where it
    /// stopped badly, and that simulation.
    pub last_stderr: Option<(u32, String)>,
}

/// A finished match, ready to store.
#[derive(Clone, Debug)]
pub struct FinishedMatch {
    pub round: u32,
    pub sim: u32,
    pub seed: u64,
    pub turns: u64,
    pub players: Vec<MatchPlayer>,
    /// The replay: header and frames.
    pub replay: Option<(arena_replays::ReplayHeader, Vec<serde_json::Value>)>,
}

impl Store {
    /// Opens (creating if needed) the database in `data_dir`.
    pub fn open(data_dir: &Path) -> Result<Store> {
        std::fs::create_dir_all(data_dir).map_err(|error| StoreError::CreateDir {
            path: data_dir.to_path_buf(),
            error,
        })?;
        let path = data_dir.join(DB_FILE);
        let conn = match Connection::open(&path) {
            Ok(conn) => conn,
            Err(error) => return Err(StoreError::Open { path, error }),
        };
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", true)?;
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        let mut store = Store {
            conn: Arc::new(Mutex::new(conn)),
            path,
        };
        store.migrate()?;
        Ok(store)
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The connection, locked for one statement or transaction. A
    /// poisoned lock is taken as is: SQLite rolled back whatever the
    /// panicking holder had open.
    fn conn(&self) -> MutexGuard<'_, Connection> {
        self.conn.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Another handle on the same connection (see [`Store::conn`]): what
    /// `arena serve` gives each tournament runner and its writer thread.
    pub fn share(&self) -> Store {
        Store {
            conn: self.conn.clone(),
            path: self.path.clone(),
        }
    }

    /// Brings the schema up to date. A current schema is only read: opening
    /// writes nothing then (a server's readers and a resumed run open the
    /// file beside a writer). Otherwise the migrations run in one
    /// `BEGIN IMMEDIATE` transaction that reads the version again, so two
    /// processes opening an old file at once migrate it once.
    fn migrate(&mut self) -> Result<()> {
        let all = MIGRATIONS.len() as i64;
        let version = self.schema_version()?;
        self.check_not_newer(version, all)?;
        if version == all {
            return Ok(());
        }
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let version: i64 = tx.pragma_query_value(None, "user_version", |r| r.get(0))?;
        self.check_not_newer(version, all)?;
        for (i, step) in MIGRATIONS.iter().enumerate() {
            if (i as i64) < version {
                continue;
            }
            let done: Result<()> = match step {
                Migration::Sql(sql) => tx.execute_batch(sql).map_err(Into::into),
                Migration::ReplayTables => arena_replays::create_tables(&tx).map_err(Into::into),
            };
            done.map_err(|e| StoreError::Migration {
                step: i + 1,
                error: Box::new(e),
            })?;
        }
        tx.pragma_update(None, "user_version", all)?;
        tx.commit()?;
        Ok(())
    }

    /// `PRAGMA user_version`: how many migrations have run.
    fn schema_version(&self) -> Result<i64> {
        Ok(self
            .conn()
            .pragma_query_value(None, "user_version", |r| r.get(0))?)
    }

    fn check_not_newer(&self, version: i64, all: i64) -> Result<()> {
        if version > all {
            return Err(StoreError::Newer {
                path: self.path.clone(),
                version,
                known: all,
            });
        }
        Ok(())
    }

    /// Runs `f` in one transaction: everything it writes is stored
    /// together or not at all (an error, a kill or `SQLITE_BUSY` anywhere
    /// inside leaves the database as it was). Each state change a resume
    /// relies on goes through one of these.
    /// `f` may fail with its own error type, one a [`StoreError`] turns
    /// into (reading a codebase from disk inside the transaction, say).
    pub fn write<T, E: From<StoreError>>(
        &mut self,
        f: impl FnOnce(&Write<'_>) -> Result<T, E>,
    ) -> Result<T, E> {
        let mut conn = self.conn();
        let tx = conn.transaction().map_err(StoreError::from)?;
        let out = f(&Write {
            tx: &tx,
            path: &self.path,
        })?;
        tx.commit().map_err(StoreError::from)?;
        Ok(out)
    }

    /// The tournament of this name, created on first use (see
    /// [`Write::tournament`]).
    pub fn tournament(
        &mut self,
        name: &str,
        game: &str,
        rules_version: &str,
        seed: u64,
        config: &str,
        state: TournamentState,
    ) -> Result<i64> {
        self.write(|w| w.tournament(name, game, rules_version, seed, config, state))
    }

    /// Registers the players in seat order (again on a rerun: same ids).
    pub fn players(
        &mut self,
        tournament: i64,
        players: &[(String, AgentKind)],
    ) -> Result<Vec<i64>> {
        self.write(|w| w.players(tournament, players))
    }

    /// The stored submission of a player for a round.
    pub fn submission(
        &self,
        tournament: i64,
        player: i64,
        round: u32,
    ) -> Result<Option<Submission>> {
        read_submission(&self.conn(), tournament, player, round)
    }

    /// Stores a submission and its codebase (once per hash), with the logs
    /// the agent was shown, in one transaction.
    pub fn put_submission(
        &mut self,
        tournament: i64,
        player: i64,
        sub: &NewSubmission,
    ) -> Result<()> {
        self.write(|w| w.put_submission(tournament, player, sub))
    }

    /// A stored codebase version.
    pub fn codebase(&self, hash: &str) -> Result<Snapshot> {
        let data: Vec<u8> = self
            .conn()
            .query_row(
                "SELECT data FROM codebases WHERE hash = ?1",
                params![hash],
                |r| r.get(0),
            )
            .optional()?
            .ok_or_else(|| StoreError::Missing(format!("codebase {hash}")))?;
        let snapshot = decode_snapshot(&data).map_err(|e| StoreError::Corrupt {
            what: format!("codebase {hash}"),
            detail: e.to_string(),
        })?;
        if snapshot.hash() != hash {
            return Err(StoreError::Corrupt {
                what: format!("codebase {hash}"),
                detail: format!("its content hashes to {}", snapshot.hash()),
            });
        }
        Ok(snapshot)
    }

    /// A tournament's config text, as it was created.
    pub fn tournament_config(&self, tournament: i64) -> Result<String> {
        self.conn()
            .query_row(
                "SELECT config FROM tournaments WHERE id = ?1",
                params![tournament],
                |r| r.get(0),
            )
            .optional()?
            .ok_or_else(|| StoreError::Missing(format!("tournament {tournament}")))
    }

    /// The simulations of a round already stored (a resumed run skips them).
    pub fn stored_sims(&self, tournament: i64, round: u32) -> Result<BTreeSet<u32>> {
        let conn = self.conn();
        let mut stmt =
            conn.prepare("SELECT sim FROM matches WHERE tournament_id = ?1 AND round = ?2")?;
        let sims = stmt
            .query_map(params![tournament, round], |r| r.get::<_, u32>(0))?
            .collect::<Result<_, _>>()?;
        Ok(sims)
    }

    /// Stores finished matches, each with its players and replay, each in
    /// its own transaction.
    pub fn put_match(&mut self, tournament: i64, m: &FinishedMatch) -> Result<i64> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        tx.execute(
            "INSERT INTO matches (tournament_id, round, sim, seed, turns) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![tournament, m.round, m.sim, m.seed as i64, m.turns as i64],
        )?;
        let id = tx.last_insert_rowid();
        for p in &m.players {
            tx.execute(
                "INSERT INTO match_players (match_id, player_id, seat, placement, score, reason, stop, stderr_tail) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![
                    id,
                    p.player_id,
                    p.seat,
                    p.placement,
                    p.score,
                    p.reason,
                    p.stop.map(StopKind::as_str),
                    p.stderr_tail
                ],
            )?;
        }
        if let Some((header, frames)) = &m.replay {
            arena_replays::write(&tx, id, header, frames, arena_replays::DEFAULT_CHUNK_FRAMES)?;
        }
        tx.commit()?;
        Ok(id)
    }

    /// Per player, by id: how its bots stopped in a round's simulations.
    pub fn round_bot_stops(&self, tournament: i64, round: u32) -> Result<BTreeMap<i64, BotStops>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT mp.player_id, m.sim, mp.stop, mp.stderr_tail \
             FROM match_players mp JOIN matches m ON m.id = mp.match_id \
             WHERE m.tournament_id = ?1 AND m.round = ?2 ORDER BY m.sim",
        )?;
        let rows = stmt.query_map(params![tournament, round], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, u32>(1)?,
                r.get::<_, Option<String>>(2)?,
                r.get::<_, Option<String>>(3)?,
            ))
        })?;
        let mut out: BTreeMap<i64, BotStops> = BTreeMap::new();
        for row in rows {
            let (player, sim, stop, tail) = row?;
            let e = out.entry(player).or_default();
            if let Some(stop) = stop {
                *e.stops.entry(parse_stop(&stop)?).or_default() += 1;
            }
            if let Some(tail) = tail.filter(|t| !t.trim().is_empty()) {
                e.last_stderr = Some((sim, tail));
            }
        }
        Ok(out)
    }

    /// Per player: simulations of the round it placed first in, alone or
    /// shared (`(first alone, first shared)`), by player id.
    pub fn round_tally(&self, tournament: i64, round: u32) -> Result<BTreeMap<i64, (u64, u64)>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT mp.player_id, mp.placement, \
                    (SELECT COUNT(*) FROM match_players o WHERE o.match_id = mp.match_id AND o.placement = 1) \
             FROM match_players mp JOIN matches m ON m.id = mp.match_id \
             WHERE m.tournament_id = ?1 AND m.round = ?2",
        )?;
        let mut tally: BTreeMap<i64, (u64, u64)> = BTreeMap::new();
        let rows = stmt.query_map(params![tournament, round], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, i64>(2)?,
            ))
        })?;
        for row in rows {
            let (player, placement, firsts) = row?;
            let e = tally.entry(player).or_default();
            if placement == 1 {
                if firsts == 1 {
                    e.0 += 1;
                } else {
                    e.1 += 1;
                }
            }
        }
        Ok(tally)
    }

    /// A finished round's winner (`None`: a tie, or not finished).
    pub fn round_winner(&self, tournament: i64, round: u32) -> Result<Option<i64>> {
        Ok(self
            .conn()
            .query_row(
                "SELECT winner_id FROM rounds WHERE tournament_id = ?1 AND round = ?2",
                params![tournament, round],
                |r| r.get::<_, Option<i64>>(0),
            )
            .optional()?
            .flatten())
    }

    /// Whether a round's result is stored.
    pub fn round_finished(&self, tournament: i64, round: u32) -> Result<bool> {
        Ok(self
            .conn()
            .query_row(
                "SELECT 1 FROM rounds WHERE tournament_id = ?1 AND round = ?2",
                params![tournament, round],
                |_| Ok(()),
            )
            .optional()?
            .is_some())
    }

    /// A tournament's state (`created`, `running`, `paused`, `cancelled`,
    /// `finished`), or `None` when there is no such tournament.
    pub fn tournament_state(&self, tournament: i64) -> Result<Option<TournamentState>> {
        let state: Option<String> = self
            .conn()
            .query_row(
                "SELECT state FROM tournaments WHERE id = ?1",
                params![tournament],
                |r| r.get(0),
            )
            .optional()?;
        state.map(|s| parse_state_typed(&s)).transpose()
    }

    /// Sets a tournament's state.
    pub fn set_tournament_state(&mut self, tournament: i64, state: TournamentState) -> Result<()> {
        self.conn().execute(
            "UPDATE tournaments SET state = ?2 WHERE id = ?1",
            params![tournament, state.as_str()],
        )?;
        Ok(())
    }

    /// `arena serve`'s tournaments in a state, with their configs: what it
    /// loads (and resumes) on start.
    pub fn served_tournaments(
        &self,
        states: &[TournamentState],
    ) -> Result<Vec<(i64, TournamentState, String)>> {
        let conn = self.conn();
        let mut stmt =
            conn.prepare("SELECT id, state, config FROM tournaments WHERE served = 1 ORDER BY id")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        let mut out = Vec::new();
        for row in rows {
            let (id, state, config): (i64, String, String) = row?;
            let state = parse_state_typed(&state)?;
            if states.contains(&state) {
                out.push((id, state, config));
            }
        }
        Ok(out)
    }

    /// Issues a player's token: its hash replaces the player's previous one.
    pub fn set_agent_token(
        &mut self,
        tournament: i64,
        player: i64,
        token_hash: &str,
    ) -> Result<()> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        tx.execute(
            "DELETE FROM agent_tokens WHERE player_id = ?1",
            params![player],
        )?;
        tx.execute(
            "INSERT INTO agent_tokens (token_hash, tournament_id, player_id) VALUES (?1, ?2, ?3)",
            params![token_hash, tournament, player],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// The (tournament, player id) a token's hash was issued to.
    pub fn agent_by_token(&self, token_hash: &str) -> Result<Option<(i64, i64)>> {
        Ok(self
            .conn()
            .query_row(
                "SELECT tournament_id, player_id FROM agent_tokens WHERE token_hash = ?1",
                params![token_hash],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?)
    }

    /// A player's id by name.
    pub fn player_id(&self, tournament: i64, name: &str) -> Result<Option<i64>> {
        Ok(self
            .conn()
            .query_row(
                "SELECT id FROM players WHERE tournament_id = ?1 AND name = ?2",
                params![tournament, name],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// The last valid codebase a player played (or will play) up to `round`.
    pub fn latest_valid_codebase(&self, player: i64, round: u32) -> Result<Option<String>> {
        Ok(self
            .conn()
            .query_row(
                "SELECT hash FROM submissions WHERE player_id = ?1 AND round <= ?2 AND valid ORDER BY round DESC LIMIT 1",
                params![player, round],
                |r| r.get(0),
            )
            .optional()?)
    }
}

/// A stored state's name as the state, as a [`StoreError`].
fn parse_state_typed(name: &str) -> StoreResult<TournamentState> {
    TournamentState::from_name(name).ok_or_else(|| StoreError::Corrupt {
        what: "a tournament's state".into(),
        detail: format!("{name:?} is not one of created, running, paused, cancelled, finished"),
    })
}

/// Typed reads for the server's HTTP and websocket handlers.
impl Store {
    /// Opens the database read-only (no migrations: a server reads what
    /// its runner wrote); `None` when no tournament was ever stored.
    pub fn open_read_only(data_dir: &Path) -> Result<Option<Store>> {
        let path = data_dir.join(DB_FILE);
        if !path.exists() {
            return Ok(None);
        }
        let conn = Connection::open_with_flags(
            &path,
            rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
        );
        let conn = match conn {
            Ok(conn) => conn,
            Err(error) => return Err(StoreError::Open { path, error }),
        };
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        Ok(Some(Store {
            conn: Arc::new(Mutex::new(conn)),
            path,
        }))
    }

    /// Every tournament, by id.
    pub fn tournament_summaries(&self) -> Result<Vec<TournamentSummary>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT t.id, t.name, t.game, t.rules_version, t.state, \
               (SELECT COUNT(*) FROM players p WHERE p.tournament_id = t.id), \
               (SELECT COUNT(*) FROM rounds r WHERE r.tournament_id = t.id) \
             FROM tournaments t ORDER BY t.id",
        )?;
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, u32>(5)?,
                    r.get::<_, u32>(6)?,
                ))
            })?
            .collect::<Result<Vec<_>, _>>()?;
        rows.into_iter()
            .map(
                |(id, name, game, rules_version, state, players, rounds_finished)| {
                    Ok(TournamentSummary {
                        id,
                        name,
                        game,
                        rules_version,
                        state: parse_state_typed(&state)?,
                        players,
                        rounds_finished,
                    })
                },
            )
            .collect()
    }

    /// A tournament's stored games (of one round if given), in round and
    /// simulation order.
    pub fn stored_games(&self, tournament: i64, round: Option<u32>) -> Result<Vec<GameEntry>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT m.id, m.round, m.sim, m.turns, \
               EXISTS (SELECT 1 FROM replays r WHERE r.match_id = m.id) \
             FROM matches m WHERE m.tournament_id = ?1 AND (?2 IS NULL OR m.round = ?2) \
             ORDER BY m.round, m.sim",
        )?;
        let matches = stmt
            .query_map(params![tournament, round], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, u32>(1)?,
                    r.get::<_, u32>(2)?,
                    r.get::<_, i64>(3)?,
                    r.get::<_, bool>(4)?,
                ))
            })?
            .collect::<Result<Vec<_>, _>>()?;
        let mut seats = conn.prepare(
            "SELECT p.name, mp.seat, mp.placement FROM match_players mp \
             JOIN players p ON p.id = mp.player_id WHERE mp.match_id = ?1 ORDER BY mp.seat",
        )?;
        let mut games = Vec::with_capacity(matches.len());
        for (match_id, round, sim, turns, replay) in matches {
            let players = seats
                .query_map(params![match_id], |r| {
                    Ok(GameSeat {
                        player: r.get(0)?,
                        seat: r.get(1)?,
                        placement: Some(r.get(2)?),
                    })
                })?
                .collect::<Result<Vec<_>, _>>()?;
            games.push(GameEntry::Stored {
                match_id,
                round,
                sim,
                turns: turns as u64,
                replay,
                players,
            });
        }
        Ok(games)
    }

    /// A stored match with its seats.
    pub fn match_detail(&self, id: i64) -> Result<Option<MatchDetail>> {
        let conn = self.conn();
        let row = conn
            .query_row(
                "SELECT t.name, t.game, m.round, m.sim, m.seed, m.turns, \
                   EXISTS (SELECT 1 FROM replays r WHERE r.match_id = m.id) \
                 FROM matches m JOIN tournaments t ON t.id = m.tournament_id WHERE m.id = ?1",
                [id],
                |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, u32>(2)?,
                        r.get::<_, u32>(3)?,
                        r.get::<_, i64>(4)?,
                        r.get::<_, i64>(5)?,
                        r.get::<_, bool>(6)?,
                    ))
                },
            )
            .optional()?;
        let Some((tournament, game, round, sim, seed, turns, replay)) = row else {
            return Ok(None);
        };
        let mut stmt = conn.prepare(
            "SELECT p.name, mp.seat, mp.placement, mp.score, mp.reason, mp.stop \
             FROM match_players mp JOIN players p ON p.id = mp.player_id \
             WHERE mp.match_id = ?1 ORDER BY mp.seat",
        )?;
        let rows = stmt
            .query_map(params![id], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, u32>(1)?,
                    r.get::<_, u32>(2)?,
                    r.get::<_, f64>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, Option<String>>(5)?,
                ))
            })?
            .collect::<Result<Vec<_>, _>>()?;
        let mut players = Vec::with_capacity(rows.len());
        for (player, seat, placement, score, reason, stop) in rows {
            let stop = stop.map(|s| parse_stop(&s)).transpose()?;
            players.push(MatchSeat {
                player,
                seat,
                placement,
                score,
                reason,
                stop,
            });
        }
        Ok(Some(MatchDetail {
            id,
            tournament,
            game,
            round,
            sim,
            // Stored as SQLite's signed 64-bit integer: the same bits.
            seed: Seed(seed as u64),
            turns: turns as u64,
            replay,
            players,
        }))
    }

    /// A tournament by name: (id, detail without standings, the config).
    pub fn tournament_by_name(&self, name: &str) -> Result<Option<TournamentDetail>> {
        let conn = self.conn();
        let row = conn
            .query_row(
                "SELECT id, name, game, rules_version, seed, config, state FROM tournaments WHERE name = ?1",
                [name],
                |r| {
                    Ok((
                        r.get::<_, i64>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, String>(3)?,
                        r.get::<_, i64>(4)?,
                        r.get::<_, String>(5)?,
                        r.get::<_, String>(6)?,
                    ))
                },
            )
            .optional()?;
        let Some((id, name, game, rules_version, seed, config_toml, state)) = row else {
            return Ok(None);
        };
        let mut stmt = conn.prepare(
            "SELECT seat, name, agent FROM players WHERE tournament_id = ?1 ORDER BY seat",
        )?;
        let rows = stmt
            .query_map([id], |r| {
                Ok((
                    r.get::<_, u32>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                ))
            })?
            .collect::<Result<Vec<_>, _>>()?;
        let mut players = Vec::with_capacity(rows.len());
        for (seat, name, agent) in rows {
            let agent = AgentKind::from_name(&agent).ok_or_else(|| StoreError::Corrupt {
                what: format!("player {name}'s agent kind"),
                detail: format!(
                    "{agent:?} is not one of static, mutate, command, versions, remote"
                ),
            })?;
            players.push(PlayerEntry { seat, name, agent });
        }
        let mut stmt = conn.prepare(
            "SELECT r.round, p.name, (SELECT COUNT(*) FROM matches m WHERE m.tournament_id = r.tournament_id AND m.round = r.round) \
             FROM rounds r LEFT JOIN players p ON p.id = r.winner_id WHERE r.tournament_id = ?1 ORDER BY r.round",
        )?;
        let rounds = stmt
            .query_map([id], |r| {
                Ok(RoundEntry {
                    round: r.get(0)?,
                    winner: r.get(1)?,
                    matches: r.get::<_, i64>(2)? as u64,
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Some(TournamentDetail {
            id,
            name: name.clone(),
            game,
            rules_version,
            seed: Seed(seed as u64),
            state: parse_state_typed(&state)?,
            config_toml,
            players,
            rounds,
            standings: Standings {
                tournament: name,
                rounds: 0,
                sims: 0,
                players: Vec::new(),
                round_confidence: Vec::new(),
            },
        }))
    }

    /// A tournament's players in seat order: (id, name).
    pub fn player_ids(&self, tournament: i64) -> Result<Vec<(i64, String)>> {
        let conn = self.conn();
        let mut stmt =
            conn.prepare("SELECT id, name FROM players WHERE tournament_id = ?1 ORDER BY seat")?;
        let rows = stmt
            .query_map([tournament], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }

    /// The tournament a match belongs to, and that tournament's config.
    pub fn match_tournament(&self, match_id: i64) -> Result<Option<(i64, String)>> {
        Ok(self
            .conn()
            .query_row(
                "SELECT t.id, t.config FROM matches m JOIN tournaments t ON t.id = m.tournament_id WHERE m.id = ?1",
                [match_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?)
    }
}

/// A stored stop's name as the kind; anything else is a corrupt row.
fn parse_stop(name: &str) -> Result<StopKind> {
    serde_json::from_value(serde_json::Value::String(name.to_owned())).map_err(|_| {
        StoreError::Corrupt {
            what: "a stop reason".into(),
            detail: format!("{name:?} is not one the arena knows"),
        }
    })
}

/// A rating system's rows after a round: (player id, rating, deviation).
#[derive(Clone, Debug, PartialEq)]
pub struct SystemRatings {
    /// `elo`, `codeforces`, `codeelo`, `bradley-terry`.
    pub system: &'static str,
    pub rows: Vec<(i64, f64, Option<f64>)>,
}

/// Writes inside one transaction ([`Store::write`]).
pub struct Write<'a> {
    tx: &'a Transaction<'a>,
    /// The database file, for messages.
    path: &'a Path,
}

impl Write<'_> {
    /// The tournament of this name, created on first use. A rerun must give
    /// the same config, or it would mix two tournaments' results. `served`:
    /// `arena serve` made it (and so resumes it on start).
    pub fn tournament(
        &self,
        name: &str,
        game: &str,
        rules_version: &str,
        seed: u64,
        config: &str,
        state: TournamentState,
    ) -> Result<i64> {
        let found: Option<(i64, String)> = self
            .tx
            .query_row(
                "SELECT id, config FROM tournaments WHERE name = ?1",
                params![name],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        match found {
            Some((id, stored)) if stored == config => Ok(id),
            Some(_) => Err(StoreError::DifferentConfig {
                name: name.to_owned(),
                path: self.path.to_path_buf(),
            }),
            None => {
                self.tx.execute(
                    "INSERT INTO tournaments (name, game, rules_version, seed, config, state) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                    params![name, game, rules_version, seed as i64, config, state.as_str()],
                )?;
                Ok(self.tx.last_insert_rowid())
            }
        }
    }

    /// Marks a tournament as `arena serve`'s.
    pub fn mark_served(&self, tournament: i64) -> Result<()> {
        self.tx.execute(
            "UPDATE tournaments SET served = 1 WHERE id = ?1",
            params![tournament],
        )?;
        Ok(())
    }

    /// Registers the players in seat order (again on a rerun: same ids).
    pub fn players(&self, tournament: i64, players: &[(String, AgentKind)]) -> Result<Vec<i64>> {
        let mut ids = Vec::with_capacity(players.len());
        for (seat, (name, agent)) in players.iter().enumerate() {
            self.tx.execute(
                "INSERT OR IGNORE INTO players (tournament_id, seat, name, agent) VALUES (?1, ?2, ?3, ?4)",
                params![tournament, seat as i64, name, agent.as_str()],
            )?;
            let id: i64 = self.tx.query_row(
                "SELECT id FROM players WHERE tournament_id = ?1 AND name = ?2",
                params![tournament, name],
                |r| r.get(0),
            )?;
            ids.push(id);
        }
        Ok(ids)
    }

    /// The stored submission of a player for a round.
    pub fn submission(
        &self,
        tournament: i64,
        player: i64,
        round: u32,
    ) -> Result<Option<Submission>> {
        read_submission(self.tx, tournament, player, round)
    }

    /// Stores a submission and its codebase (once per hash), with the logs
    /// the agent was shown.
    pub fn put_submission(&self, tournament: i64, player: i64, sub: &NewSubmission) -> Result<()> {
        put_codebase(self.tx, sub.codebase)?;
        self.tx.execute(
            "INSERT OR REPLACE INTO submissions (tournament_id, player_id, round, hash, valid, reason) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![tournament, player, sub.round, sub.codebase.hash(), sub.valid, sub.reason],
        )?;
        self.tx.execute(
            "INSERT OR REPLACE INTO logs (tournament_id, round, player_id, text) VALUES (?1, ?2, ?3, ?4)",
            params![tournament, sub.round, player, sub.logs_shown],
        )?;
        Ok(())
    }

    /// Ends a round: its winner (`None`: a tie) and every rating system's
    /// rows after it. A rerun skips a round with a winner row, so the two
    /// must be stored together.
    pub fn finish_round(
        &self,
        tournament: i64,
        round: u32,
        winner: Option<i64>,
        ratings: &[SystemRatings],
    ) -> Result<()> {
        self.tx.execute(
            "INSERT OR REPLACE INTO rounds (tournament_id, round, winner_id) VALUES (?1, ?2, ?3)",
            params![tournament, round, winner],
        )?;
        crate::fault::point("finish-round.winner");
        for r in ratings {
            self.put_ratings(tournament, round, r)?;
        }
        Ok(())
    }

    /// Stores one system's ratings after a round, by player id.
    pub fn put_ratings(&self, tournament: i64, round: u32, ratings: &SystemRatings) -> Result<()> {
        for (player, rating, deviation) in &ratings.rows {
            self.tx.execute(
                "INSERT OR REPLACE INTO ratings (tournament_id, round, player_id, system, rating, deviation) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![tournament, round, player, ratings.system, rating, deviation],
            )?;
        }
        Ok(())
    }

    /// Marks a tournament finished, with the ratings over the whole of it
    /// (Bradley-Terry, stored at its last round).
    pub fn finish_tournament(
        &self,
        tournament: i64,
        last_round: u32,
        ratings: &[SystemRatings],
    ) -> Result<()> {
        for r in ratings {
            self.put_ratings(tournament, last_round, r)?;
        }
        crate::fault::point("finish-tournament.ratings");
        self.tx.execute(
            "UPDATE tournaments SET state = ?1 WHERE id = ?2",
            params![TournamentState::Finished.as_str(), tournament],
        )?;
        Ok(())
    }
}

fn read_submission(
    conn: &Connection,
    tournament: i64,
    player: i64,
    round: u32,
) -> Result<Option<Submission>> {
    Ok(conn
        .query_row(
            "SELECT hash, valid, reason FROM submissions WHERE tournament_id = ?1 AND player_id = ?2 AND round = ?3",
            params![tournament, player, round],
            |r| {
                Ok(Submission {
                    hash: r.get(0)?,
                    valid: r.get::<_, i64>(1)? != 0,
                    reason: r.get(2)?,
                })
            },
        )
        .optional()?)
}

fn put_codebase(tx: &Transaction, s: &Snapshot) -> Result<()> {
    let data = encode_snapshot(s)?;
    tx.execute(
        "INSERT OR IGNORE INTO codebases (hash, files, bytes, data) VALUES (?1, ?2, ?3, ?4)",
        params![
            s.hash(),
            s.files().len() as i64,
            s.total_bytes() as i64,
            data
        ],
    )?;
    Ok(())
}

/// Every file as `path length, path, executable flag, content length,
/// content`, in path order, zstd-compressed: the same codebase always
/// gives the same bytes.
/// A codebase as the store (and a worker's cache) keeps it: every file,
/// zstd-compressed.
pub fn encode_snapshot(s: &Snapshot) -> Result<Vec<u8>> {
    let mut raw = Vec::with_capacity(s.total_bytes() as usize + 64 * s.files().len());
    for (path, file) in s.files() {
        raw.extend_from_slice(&(path.len() as u32).to_le_bytes());
        raw.extend_from_slice(path.as_bytes());
        raw.push(u8::from(file.executable));
        raw.extend_from_slice(&(file.bytes.len() as u64).to_le_bytes());
        raw.extend_from_slice(&file.bytes);
    }
    zstd::encode_all(raw.as_slice(), 3).map_err(StoreError::Compress)
}

/// A codebase from [`encode_snapshot`]'s bytes (check its hash).
pub fn decode_snapshot(data: &[u8]) -> Result<Snapshot> {
    let corrupt = |detail: String| StoreError::Corrupt {
        what: "a codebase's bytes".into(),
        detail,
    };
    let raw = zstd::decode_all(data).map_err(|e| corrupt(e.to_string()))?;
    let mut files = BTreeMap::new();
    let mut at = 0usize;
    let take = |at: &mut usize, n: usize| -> Result<&[u8]> {
        let end = at
            .checked_add(n)
            .filter(|&e| e <= raw.len())
            .ok_or_else(|| corrupt("truncated".into()))?;
        let s = &raw[*at..end];
        *at = end;
        Ok(s)
    };
    fn array<const N: usize>(bytes: &[u8]) -> [u8; N] {
        let mut out = [0u8; N];
        out.copy_from_slice(bytes);
        out
    }
    while at < raw.len() {
        let n = u32::from_le_bytes(array(take(&mut at, 4)?)) as usize;
        let path = String::from_utf8(take(&mut at, n)?.to_vec())
            .map_err(|_| corrupt("a path that is not UTF-8".into()))?;
        let executable = take(&mut at, 1)?[0] != 0;
        let len = usize::try_from(u64::from_le_bytes(array(take(&mut at, 8)?)))
            .map_err(|_| corrupt("a file longer than memory".into()))?;
        let bytes = take(&mut at, len)?.to_vec();
        files.insert(path, File { bytes, executable });
    }
    Ok(Snapshot::from_files(files))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codebases_round_trip_and_are_deduplicated() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut store = Store::open(dir.path()).expect("open");
        let files = BTreeMap::from([(
            "warrior.red".to_string(),
            File {
                bytes: b"imp mov.i 0, 1\n".to_vec(),
                executable: false,
            },
        )]);
        let snap = Snapshot::from_files(files);
        let t = store
            .tournament("t", "corewar", "1", 1, "cfg", TournamentState::Running)
            .expect("tournament");
        let ids = store
            .players(
                t,
                &[
                    ("a".into(), AgentKind::Static),
                    ("b".into(), AgentKind::Static),
                ],
            )
            .expect("players");
        for &p in &ids {
            let sub = NewSubmission {
                round: 0,
                codebase: &snap,
                valid: true,
                reason: "",
                logs_shown: "",
            };
            store.put_submission(t, p, &sub).expect("submission");
        }
        let n: i64 = store
            .conn()
            .query_row("SELECT COUNT(*) FROM codebases", [], |r| r.get(0))
            .expect("count");
        assert_eq!(n, 1);
        assert_eq!(store.codebase(snap.hash()).expect("read back"), snap);
        // Reopening keeps everything and runs no migration twice.
        drop(store);
        let store = Store::open(dir.path()).expect("reopen");
        assert_eq!(
            store
                .submission(t, ids[0], 0)
                .expect("query")
                .map(|s| s.valid),
            Some(true)
        );
    }

    #[test]
    fn a_different_config_under_the_same_name_is_refused() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut store = Store::open(dir.path()).expect("open");
        let a = store
            .tournament("t", "corewar", "1", 1, "one", TournamentState::Running)
            .expect("first");
        assert_eq!(
            store
                .tournament("t", "corewar", "1", 1, "one", TournamentState::Running)
                .expect("same"),
            a
        );
        let err = store
            .tournament("t", "corewar", "1", 1, "two", TournamentState::Running)
            .expect_err("different");
        assert!(err.to_string().contains("different tournament"), "{err}");
    }
}
