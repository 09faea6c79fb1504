//! What can go wrong with a replay, said so that an operator can act on it.
//!
//! A stored replay may be corrupt (a disk error, a bad import, a bug in an
//! older writer), so reading never panics: every problem with stored bytes
//! becomes one of these errors, naming the match and the chunk.

use thiserror::Error;

/// An error while writing, reading, exporting or importing a replay.
#[derive(Debug, Error)]
pub enum ReplayError {
    /// The `replays` table has no row for this match.
    #[error("no replay for match {0}")]
    NotFound(i64),

    /// The stored header is not a replay header this build can read.
    #[error("corrupt header of match {match_id}: {reason}")]
    CorruptHeader { match_id: i64, reason: String },

    /// A chunk's bytes do not decode to the frames the replay says it holds.
    #[error("corrupt chunk {chunk} of match {match_id}: {reason}")]
    CorruptChunk {
        match_id: i64,
        chunk: u64,
        reason: String,
    },

    /// The replay says it has frames that no stored chunk holds.
    #[error("missing chunk {chunk} of match {match_id} (it should hold frames {first}..{end})")]
    MissingChunk {
        match_id: i64,
        chunk: u64,
        first: u64,
        end: u64,
    },

    /// A turn past the last frame.
    #[error("turn {turn} is past the end of the replay of match {match_id} ({frames} frames)")]
    TurnOutOfRange {
        match_id: i64,
        turn: u64,
        frames: u64,
    },

    /// A replay written by a newer format than this build reads.
    #[error(
        "replay of match {match_id} has format version {found}; this build reads up to {supported}"
    )]
    UnsupportedVersion {
        match_id: i64,
        found: u32,
        supported: u32,
    },

    /// Chunks of a live replay must be stored in order, without gaps.
    #[error(
        "chunk {chunk} of match {match_id} starts at frame {first_frame}, but the replay has {stored} frames stored"
    )]
    OutOfOrder {
        match_id: i64,
        chunk: u64,
        first_frame: u64,
        stored: u64,
    },

    /// The replay was already finished; it takes no more chunks.
    #[error("the replay of match {0} is already finished")]
    AlreadyFinished(i64),

    /// A caller's argument that cannot make a replay (e.g. 0 frames per chunk).
    #[error("invalid argument: {0}")]
    InvalidArgument(String),

    /// A JSON document that is not a replay export.
    #[error("not a replay export: {0}")]
    BadExport(String),

    #[error("SQLite: {0}")]
    Sqlite(#[from] rusqlite::Error),

    #[error("JSON: {0}")]
    Json(#[from] serde_json::Error),

    #[error("I/O: {0}")]
    Io(#[from] std::io::Error),
}
