//! The store's typed errors.

use std::path::PathBuf;

/// Why a store operation failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// SQLite refused or failed (a busy timeout, a full disk, a bug).
    #[error("the database failed: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// A stored value the arena cannot read back: the file was edited or
    /// written by something else.
    #[error(
        "{what} in the database is not valid: {detail}; restore the file from a backup or use another --data-dir"
    )]
    Corrupt { what: String, detail: String },
    /// A stored replay could not be read (or written).
    #[error("{0}")]
    Replay(#[from] arena_replays::ReplayError),
    /// The data directory cannot be made.
    #[error("cannot create the data directory {}: {error}", path.display())]
    CreateDir {
        path: PathBuf,
        error: std::io::Error,
    },
    /// The database file cannot be opened.
    #[error("cannot open the database {}: {error}", path.display())]
    Open {
        path: PathBuf,
        error: rusqlite::Error,
    },
    /// A schema migration failed (nothing of it is kept).
    #[error("migration {step} failed: {error}")]
    Migration { step: usize, error: Box<StoreError> },
    /// The file's schema is newer than this build knows.
    #[error(
        "{} was written by a newer arena (schema {version}, this one knows {known}); use a newer arena or another --data-dir",
        path.display()
    )]
    Newer {
        path: PathBuf,
        version: i64,
        known: i64,
    },
    /// Something asked for by id or hash is not stored (`codebase HASH`,
    /// `tournament N`).
    #[error("no {0} in the database")]
    Missing(String),
    /// A config under a stored tournament's name that is not its config.
    #[error(
        "a different tournament named {name:?} is already in {}; rename it in the config or use another --data-dir",
        path.display()
    )]
    DifferentConfig { name: String, path: PathBuf },
    /// A codebase could not be compressed for storing.
    #[error("cannot compress a codebase: {0}")]
    Compress(std::io::Error),
    /// The database file is not there any more (a server's reader).
    #[error("{0}")]
    Gone(&'static str),
    /// `arena serve`'s writer thread cannot be started.
    #[error("cannot start the store's writer thread: {0}")]
    WriterThread(std::io::Error),
    /// `arena serve`'s writer thread is gone.
    #[error("{0}")]
    WriterStopped(&'static str),
}

/// Results of the store's reads.
pub type StoreResult<T> = Result<T, StoreError>;
