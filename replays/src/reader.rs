//! Reading a stored replay, with seek.
//!
//! Opening reads only the header row. `frame(turn)` fetches and decompresses
//! the one chunk that holds the turn and parses only that turn's line; the
//! last decompressed chunk is kept, so a viewer playing forward decompresses
//! each chunk once, and a seek costs one chunk (a few kilobytes) whatever
//! the length of the game.
//!
//! Stored bytes are never trusted: a missing, short, undecodable or
//! mislabelled chunk is an error naming the match and the chunk.

use std::cell::RefCell;
use std::ops::{Bound, RangeBounds};
use std::rc::Rc;

use rusqlite::{Connection, OptionalExtension};
use serde_json::Value;

use crate::error::ReplayError;
use crate::format::{ChunkText, FORMAT_VERSION, ReplayHeader};

/// A stored replay, open for reading. Borrows the connection it reads from.
#[derive(Debug)]
pub struct Replay<'c> {
    conn: &'c Connection,
    match_id: i64,
    header: ReplayHeader,
    frames: u64,
    chunk_frames: u64,
    finished: bool,
    /// The last decompressed chunk and its index.
    cache: RefCell<Option<(u64, Rc<ChunkText>)>>,
}

impl<'c> Replay<'c> {
    /// Opens the replay of match `match_id`.
    pub fn open(conn: &'c Connection, match_id: i64) -> Result<Self, ReplayError> {
        let row = conn
            .query_row(
                "SELECT header, frames, chunk_frames, finished FROM replays WHERE match_id = ?1",
                [match_id],
                |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, i64>(1)?,
                        r.get::<_, i64>(2)?,
                        r.get::<_, i64>(3)?,
                    ))
                },
            )
            .optional()?
            .ok_or(ReplayError::NotFound(match_id))?;
        let (text, frames, chunk_frames, finished) = row;
        let corrupt = |reason: String| ReplayError::CorruptHeader { match_id, reason };
        let header: ReplayHeader =
            serde_json::from_str(&text).map_err(|e| corrupt(format!("header JSON: {e}")))?;
        if header.format_version > FORMAT_VERSION {
            return Err(ReplayError::UnsupportedVersion {
                match_id,
                found: header.format_version,
                supported: FORMAT_VERSION,
            });
        }
        let frames = u64::try_from(frames).map_err(|_| corrupt(format!("frame count {frames}")))?;
        let chunk_frames = u64::try_from(chunk_frames)
            .ok()
            .filter(|&k| k > 0)
            .ok_or_else(|| corrupt(format!("chunk_frames {chunk_frames}")))?;
        Ok(Replay {
            conn,
            match_id,
            header,
            frames,
            chunk_frames,
            finished: finished != 0,
            cache: RefCell::new(None),
        })
    }

    /// Re-reads the frame count, header and finished flag: a live replay
    /// grows by a chunk at a time.
    pub fn refresh(&mut self) -> Result<(), ReplayError> {
        let fresh = Replay::open(self.conn, self.match_id)?;
        self.header = fresh.header;
        self.frames = fresh.frames;
        self.finished = fresh.finished;
        if self.chunk_frames != fresh.chunk_frames {
            self.chunk_frames = fresh.chunk_frames;
            self.cache.replace(None);
        }
        Ok(())
    }

    /// The match this replay records.
    pub fn match_id(&self) -> i64 {
        self.match_id
    }

    pub fn header(&self) -> &ReplayHeader {
        &self.header
    }

    /// Frames stored (for a live replay: in the chunks stored so far).
    pub fn frame_count(&self) -> u64 {
        self.frames
    }

    /// Frames per chunk.
    pub fn chunk_frames(&self) -> u64 {
        self.chunk_frames
    }

    /// Chunks stored.
    pub fn chunk_count(&self) -> u64 {
        self.frames.div_ceil(self.chunk_frames)
    }

    /// Whether the game is over and its replay complete.
    pub fn is_finished(&self) -> bool {
        self.finished
    }

    /// The frame of turn `turn` (0-based).
    pub fn frame(&self, turn: u64) -> Result<Value, ReplayError> {
        if turn >= self.frames {
            return Err(ReplayError::TurnOutOfRange {
                match_id: self.match_id,
                turn,
                frames: self.frames,
            });
        }
        let index = turn / self.chunk_frames;
        let at = (turn % self.chunk_frames) as usize;
        self.chunk(index)?
            .frame(at)
            .map_err(|reason| self.corrupt(index, &reason))
    }

    /// The frames of `range` (clamped to the stored frames), in order. An
    /// error ends the iteration.
    pub fn frames(&self, range: impl RangeBounds<u64>) -> Frames<'_, 'c> {
        let start = match range.start_bound() {
            Bound::Included(&s) => s,
            Bound::Excluded(&s) => s.saturating_add(1),
            Bound::Unbounded => 0,
        };
        let end = match range.end_bound() {
            Bound::Included(&e) => e.saturating_add(1),
            Bound::Excluded(&e) => e,
            Bound::Unbounded => u64::MAX,
        }
        .min(self.frames);
        Frames {
            replay: self,
            next: start,
            end,
            chunk: None,
        }
    }

    /// Chunk `index`, decompressed and checked (from the cache when it is
    /// the last one read).
    pub fn chunk(&self, index: u64) -> Result<Rc<ChunkText>, ReplayError> {
        if let Some((cached, frames)) = self.cache.borrow().as_ref()
            && *cached == index
        {
            return Ok(Rc::clone(frames));
        }
        let frames = Rc::new(self.load_chunk(index)?);
        self.cache.replace(Some((index, Rc::clone(&frames))));
        Ok(frames)
    }

    /// Fetches chunk `index` and checks it is the chunk it should be.
    fn load_chunk(&self, index: u64) -> Result<ChunkText, ReplayError> {
        let first = index.saturating_mul(self.chunk_frames);
        if first >= self.frames {
            return Err(ReplayError::TurnOutOfRange {
                match_id: self.match_id,
                turn: first,
                frames: self.frames,
            });
        }
        let expected = self.chunk_frames.min(self.frames - first);
        let mut stmt = self.conn.prepare_cached(
            "SELECT first_frame, frames, data FROM replay_chunks WHERE match_id = ?1 AND chunk = ?2",
        )?;
        let row = stmt
            .query_row(
                rusqlite::params![self.match_id, i64::try_from(index).unwrap_or(i64::MAX)],
                |r| {
                    Ok((
                        r.get::<_, i64>(0)?,
                        r.get::<_, i64>(1)?,
                        r.get::<_, Vec<u8>>(2)?,
                    ))
                },
            )
            .optional()?;
        let Some((first_frame, frames, data)) = row else {
            return Err(ReplayError::MissingChunk {
                match_id: self.match_id,
                chunk: index,
                first,
                end: first + expected,
            });
        };
        if u64::try_from(first_frame).ok() != Some(first) {
            return Err(self.corrupt(
                index,
                &format!("starts at frame {first_frame}, not {first}"),
            ));
        }
        if u64::try_from(frames).ok() != Some(expected) {
            return Err(self.corrupt(
                index,
                &format!("says it holds {frames} frames, not {expected}"),
            ));
        }
        ChunkText::decode(&data, expected as usize).map_err(|reason| self.corrupt(index, &reason))
    }

    /// The error for a bad chunk of this replay.
    pub(crate) fn corrupt(&self, chunk: u64, reason: &str) -> ReplayError {
        ReplayError::CorruptChunk {
            match_id: self.match_id,
            chunk,
            reason: reason.to_string(),
        }
    }
}

/// Frames of a replay in order; see [`Replay::frames`].
#[derive(Debug)]
pub struct Frames<'r, 'c> {
    replay: &'r Replay<'c>,
    next: u64,
    end: u64,
    /// The chunk being read, held here so that iterating does not depend on
    /// the replay's one-chunk cache.
    chunk: Option<(u64, Rc<ChunkText>)>,
}

impl Iterator for Frames<'_, '_> {
    type Item = Result<Value, ReplayError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.next >= self.end {
            return None;
        }
        let turn = self.next;
        let k = self.replay.chunk_frames;
        let index = turn / k;
        if self.chunk.as_ref().is_none_or(|(i, _)| *i != index) {
            match self.replay.chunk(index) {
                Ok(frames) => self.chunk = Some((index, frames)),
                Err(e) => {
                    self.next = self.end;
                    return Some(Err(e));
                }
            }
        }
        self.next += 1;
        let frame = match self.chunk.as_ref() {
            Some((_, chunk)) => chunk.frame((turn % k) as usize),
            None => Err("not loaded".to_string()),
        };
        if frame.is_err() {
            self.next = self.end;
        }
        Some(frame.map_err(|reason| self.replay.corrupt(index, &reason)))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = usize::try_from(self.end.saturating_sub(self.next)).unwrap_or(usize::MAX);
        (0, Some(n))
    }
}
