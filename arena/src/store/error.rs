//! The store's typed errors.

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
    /// A stored replay could not be read.
    #[error("{0}")]
    Replay(#[from] arena_replays::ReplayError),
}

/// Results of the store's reads.
pub type StoreResult<T> = Result<T, StoreError>;
