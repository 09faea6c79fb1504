//! The replay tables in the arena's SQLite file, and writing to them.
//!
//! Every function takes a `&Connection`; pass the arena's open
//! `Transaction` (it derefs to one), so a finished match, its result and
//! its replay commit together, or not at all. Nothing here begins or
//! commits a transaction.
//!
//! Two ways in, storing the same bytes:
//! - [`write`]: a finished game's frames at once;
//! - [`LiveReplay`] (or [`begin`], [`append_chunk`], [`finish`]): a live
//!   game, its chunks stored as they fill, so spectators can seek in the
//!   part already played and a crash loses at most one chunk.

use rusqlite::{Connection, OptionalExtension, params};
use serde_json::Value;

use crate::error::ReplayError;
use crate::format::ReplayHeader;
use crate::recorder::{Chunk, ReplayRecorder};

/// The replay tables. `match_id` is the arena's `matches.id`; this crate
/// adds no foreign key to it (see [`schema_referencing`] for one).
///
/// - `replays.frames` counts the frames in stored chunks (it grows while a
///   game is live); `finished` is 1 once the last chunk and the final header
///   (with the result) are stored.
/// - `replay_chunks.frames` repeats the chunk's frame count so a reader can
///   check a chunk without trusting the others.
pub const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS replays (
    match_id     INTEGER PRIMARY KEY,
    header       TEXT    NOT NULL,
    frames       INTEGER NOT NULL,
    chunk_frames INTEGER NOT NULL CHECK (chunk_frames > 0),
    finished     INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE TABLE IF NOT EXISTS replay_chunks (
    match_id    INTEGER NOT NULL REFERENCES replays(match_id) ON DELETE CASCADE,
    chunk       INTEGER NOT NULL,
    first_frame INTEGER NOT NULL,
    frames      INTEGER NOT NULL,
    data        BLOB    NOT NULL,
    PRIMARY KEY (match_id, chunk)
) STRICT;
";

/// [`SCHEMA`] with `replays.match_id` a foreign key to `matches_column`
/// (e.g. `"matches(id)"`), deleted with its match. SQLite cannot add a
/// foreign key to an existing table, so the arena's migration creates the
/// tables from this text when it wants one.
pub fn schema_referencing(matches_column: &str) -> String {
    SCHEMA.replacen(
        "match_id     INTEGER PRIMARY KEY,",
        &format!("match_id     INTEGER PRIMARY KEY REFERENCES {matches_column} ON DELETE CASCADE,"),
        1,
    )
}

/// Creates the replay tables if they do not exist.
pub fn create_tables(conn: &Connection) -> Result<(), ReplayError> {
    conn.execute_batch(SCHEMA)?;
    Ok(())
}

/// Stores a finished game's replay: header (with its result) and every frame,
/// in chunks of `chunk_frames` ([`crate::DEFAULT_CHUNK_FRAMES`] unless the
/// game wants otherwise). Fails if the match already has a replay.
pub fn write(
    conn: &Connection,
    match_id: i64,
    header: &ReplayHeader,
    frames: &[Value],
    chunk_frames: usize,
) -> Result<(), ReplayError> {
    let mut live = LiveReplay::begin(conn, match_id, header, chunk_frames)?;
    for frame in frames {
        live.push(conn, frame)?;
    }
    live.finish(conn, header)
}

/// Starts a live replay: its header (result not yet known) and no frames.
pub fn begin(
    conn: &Connection,
    match_id: i64,
    header: &ReplayHeader,
    chunk_frames: usize,
) -> Result<(), ReplayError> {
    let chunk_frames = i64::try_from(chunk_frames)
        .ok()
        .filter(|&k| k > 0 && k <= i64::from(u32::MAX))
        .ok_or_else(|| {
            ReplayError::InvalidArgument(format!(
                "chunk_frames must be in 1..=2^32-1, not {chunk_frames}"
            ))
        })?;
    conn.execute(
        "INSERT INTO replays (match_id, header, frames, chunk_frames, finished)
         VALUES (?1, ?2, 0, ?3, 0)",
        params![match_id, header.to_json()?, chunk_frames],
    )?;
    Ok(())
}

/// Stores the next chunk of a live replay. Chunks must come in order and
/// only the last may be short; anything else is [`ReplayError::OutOfOrder`].
pub fn append_chunk(conn: &Connection, match_id: i64, chunk: &Chunk) -> Result<(), ReplayError> {
    let (stored, chunk_frames, finished) = conn
        .query_row(
            "SELECT frames, chunk_frames, finished FROM replays WHERE match_id = ?1",
            [match_id],
            |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, i64>(2)?,
                ))
            },
        )
        .optional()?
        .ok_or(ReplayError::NotFound(match_id))?;
    if finished != 0 {
        return Err(ReplayError::AlreadyFinished(match_id));
    }
    let stored = u64::try_from(stored).unwrap_or(u64::MAX);
    let k = u64::try_from(chunk_frames).unwrap_or(1).max(1);
    let in_order = chunk.first_frame == stored
        && stored % k == 0
        && chunk.index == stored / k
        && chunk.frames > 0
        && u64::from(chunk.frames) <= k;
    if !in_order {
        return Err(ReplayError::OutOfOrder {
            match_id,
            chunk: chunk.index,
            first_frame: chunk.first_frame,
            stored,
        });
    }
    let end = chunk.first_frame + u64::from(chunk.frames);
    conn.execute(
        "INSERT INTO replay_chunks (match_id, chunk, first_frame, frames, data)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            match_id,
            to_sql(chunk.index)?,
            to_sql(chunk.first_frame)?,
            i64::from(chunk.frames),
            chunk.data
        ],
    )?;
    conn.execute(
        "UPDATE replays SET frames = ?2 WHERE match_id = ?1",
        params![match_id, to_sql(end)?],
    )?;
    Ok(())
}

/// Ends a live replay: stores the final header (now with the result) and
/// marks it finished. Store the recorder's last chunk with
/// [`append_chunk`] first.
pub fn finish(conn: &Connection, match_id: i64, header: &ReplayHeader) -> Result<(), ReplayError> {
    let changed = conn.execute(
        "UPDATE replays SET header = ?2, finished = 1 WHERE match_id = ?1 AND finished = 0",
        params![match_id, header.to_json()?],
    )?;
    if changed == 1 {
        return Ok(());
    }
    let exists: Option<i64> = conn
        .query_row(
            "SELECT match_id FROM replays WHERE match_id = ?1",
            [match_id],
            |r| r.get(0),
        )
        .optional()?;
    Err(match exists {
        Some(_) => ReplayError::AlreadyFinished(match_id),
        None => ReplayError::NotFound(match_id),
    })
}

/// Deletes a match's replay; says whether there was one.
pub fn delete(conn: &Connection, match_id: i64) -> Result<bool, ReplayError> {
    conn.execute("DELETE FROM replay_chunks WHERE match_id = ?1", [match_id])?;
    Ok(conn.execute("DELETE FROM replays WHERE match_id = ?1", [match_id])? == 1)
}

/// A live game's replay: a [`ReplayRecorder`] whose full chunks go straight
/// into the tables.
#[derive(Debug)]
pub struct LiveReplay {
    match_id: i64,
    recorder: ReplayRecorder,
}

impl LiveReplay {
    /// Stores the header ([`begin`]) and starts recording.
    pub fn begin(
        conn: &Connection,
        match_id: i64,
        header: &ReplayHeader,
        chunk_frames: usize,
    ) -> Result<Self, ReplayError> {
        let recorder = ReplayRecorder::new(chunk_frames)?;
        begin(conn, match_id, header, chunk_frames)?;
        Ok(LiveReplay { match_id, recorder })
    }

    /// The match this replay belongs to.
    pub fn match_id(&self) -> i64 {
        self.match_id
    }

    /// Frames recorded so far (stored or buffered).
    pub fn frames(&self) -> u64 {
        self.recorder.frames()
    }

    /// Records the next frame, storing a chunk when one fills.
    pub fn push(&mut self, conn: &Connection, frame: &Value) -> Result<(), ReplayError> {
        if let Some(chunk) = self.recorder.push(frame)? {
            append_chunk(conn, self.match_id, &chunk)?;
        }
        Ok(())
    }

    /// [`LiveReplay::push`] for a game's typed frame.
    pub fn push_frame<F: serde::Serialize>(
        &mut self,
        conn: &Connection,
        frame: &F,
    ) -> Result<(), ReplayError> {
        self.push(conn, &serde_json::to_value(frame)?)
    }

    /// Stores the last chunk and the final header (with the result).
    pub fn finish(self, conn: &Connection, header: &ReplayHeader) -> Result<(), ReplayError> {
        if let Some(chunk) = self.recorder.finish()? {
            append_chunk(conn, self.match_id, &chunk)?;
        }
        finish(conn, self.match_id, header)
    }
}

/// A count as SQLite's signed integer.
fn to_sql(n: u64) -> Result<i64, ReplayError> {
    i64::try_from(n)
        .map_err(|_| ReplayError::InvalidArgument(format!("{n} does not fit in SQLite")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn header() -> ReplayHeader {
        ReplayHeader::new("dice", "1", 7, Vec::new(), json!({}))
    }

    #[test]
    fn chunks_out_of_order_are_refused() {
        let conn = Connection::open_in_memory().expect("db");
        create_tables(&conn).expect("tables");
        begin(&conn, 1, &header(), 2).expect("begin");
        let mut r = ReplayRecorder::new(2).expect("recorder");
        let mut chunks = Vec::new();
        for t in 0..6 {
            chunks.extend(r.push(&json!(t)).expect("push"));
        }
        let err = append_chunk(&conn, 1, &chunks[1]).expect_err("a gap");
        assert!(
            matches!(err, ReplayError::OutOfOrder { chunk: 1, .. }),
            "{err}"
        );
        append_chunk(&conn, 1, &chunks[0]).expect("first");
        assert!(append_chunk(&conn, 1, &chunks[0]).is_err(), "twice");
        finish(&conn, 1, &header()).expect("finish");
        assert!(matches!(
            append_chunk(&conn, 1, &chunks[1]),
            Err(ReplayError::AlreadyFinished(1))
        ));
        assert!(matches!(
            finish(&conn, 2, &header()),
            Err(ReplayError::NotFound(2))
        ));
        assert!(delete(&conn, 1).expect("delete"));
        assert!(!delete(&conn, 1).expect("delete"));
    }

    #[test]
    fn schema_with_a_foreign_key_to_matches() {
        let conn = Connection::open_in_memory().expect("db");
        conn.execute_batch(
            "PRAGMA foreign_keys = ON; CREATE TABLE matches (id INTEGER PRIMARY KEY);",
        )
        .expect("matches");
        conn.execute_batch(&schema_referencing("matches(id)"))
            .expect("schema");
        assert!(begin(&conn, 5, &header(), 4).is_err(), "no match 5");
        conn.execute("INSERT INTO matches (id) VALUES (5)", [])
            .expect("match");
        write(&conn, 5, &header(), &[json!(1), json!(2)], 1).expect("write");
        conn.execute("DELETE FROM matches WHERE id = 5", [])
            .expect("delete match");
        let left: i64 = conn
            .query_row("SELECT count(*) FROM replay_chunks", [], |r| r.get(0))
            .expect("count");
        assert_eq!(left, 0);
    }
}
