//! The arena's SQLite file: tournaments, players, codebase versions
//! (deduplicated by hash), submissions, rounds, matches with each player's
//! result, ratings, the logs agents were shown, and replays.
//!
//! One file under the data directory, in WAL mode, with versioned
//! migrations. One writer: the process that runs a tournament writes from
//! one thread, and a finished match (result and replay) is one transaction,
//! so a `kill -9` loses at most the matches in flight and never half of one.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use rusqlite::{Connection, Transaction};

use arena_agents::protocol::TournamentState;
use arena_agents::runner::StopKind;

mod error;
pub mod matches;
pub mod players;
pub mod ratings;
pub mod replays;
pub mod rounds;
mod schema;
pub mod submissions;
pub mod tournaments;
pub mod writer;

pub use error::{StoreError, StoreResult};

/// The store's results: a [`StoreError`] unless said otherwise.
type Result<T, E = StoreError> = std::result::Result<T, E>;
pub use matches::{BotStops, FinishedMatch, MatchPlayer, MatchRow, Placement, SeatRow};
pub use ratings::{RatingRow, SystemRatings};
pub use replays::ReplayRow;
use schema::{MIGRATIONS, Migration};
pub use submissions::{
    InvalidSubmission, NewSubmission, Submission, decode_snapshot, encode_snapshot,
};
pub use tournaments::{TournamentRef, TournamentRow};
pub use writer::Writer;

/// The database file inside the data directory.
pub const DB_FILE: &str = "arena.sqlite";

/// The open database.
pub struct Store {
    /// The one connection: shared by [`Store::share`] (the server's runner
    /// threads and its writer thread write on the same connection, one
    /// transaction at a time), so no two writers contend for the file.
    conn: Arc<Mutex<Connection>>,
    path: PathBuf,
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

/// Writes inside one transaction ([`Store::write`]).
pub struct Write<'a> {
    tx: &'a Transaction<'a>,
    /// The database file, for messages.
    path: &'a Path,
}
