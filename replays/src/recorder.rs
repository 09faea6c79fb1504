//! The incremental recorder: frames in, compressed chunks out.
//!
//! A live game hands its frames to a [`ReplayRecorder`] as turns are
//! played; each time `chunk_frames` frames have arrived it yields a full
//! [`Chunk`] for the store, so a crash loses at most one chunk of a live
//! game, and memory holds at most one chunk. [`crate::store::write`] is this
//! same recorder run over a finished game's frames, so both paths store the
//! same bytes.

use serde::Serialize;
use serde_json::Value;

use crate::error::ReplayError;
use crate::format::{compress, frames_to_lines};

/// One compressed chunk, ready for `replay_chunks`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Chunk {
    /// 0-based chunk number.
    pub index: u64,
    /// Turn of the chunk's first frame (`index * chunk_frames`).
    pub first_frame: u64,
    /// Frames in the chunk: `chunk_frames`, fewer only in the last chunk.
    pub frames: u32,
    /// zstd-compressed JSON Lines, one frame a line.
    pub data: Vec<u8>,
}

/// Buffers frames and cuts them into chunks of `chunk_frames`.
#[derive(Debug)]
pub struct ReplayRecorder {
    chunk_frames: usize,
    /// The current chunk's JSON Lines so far.
    lines: Vec<u8>,
    /// Frames in `lines`.
    pending: usize,
    /// Frames already emitted in chunks.
    emitted: u64,
    next_chunk: u64,
}

impl ReplayRecorder {
    /// A recorder cutting chunks of `chunk_frames` frames (at least 1).
    pub fn new(chunk_frames: usize) -> Result<Self, ReplayError> {
        if chunk_frames == 0 || u32::try_from(chunk_frames).is_err() {
            return Err(ReplayError::InvalidArgument(format!(
                "chunk_frames must be in 1..=2^32-1, not {chunk_frames}"
            )));
        }
        Ok(ReplayRecorder {
            chunk_frames,
            lines: Vec::new(),
            pending: 0,
            emitted: 0,
            next_chunk: 0,
        })
    }

    /// Frames per chunk.
    pub fn chunk_frames(&self) -> usize {
        self.chunk_frames
    }

    /// Frames pushed so far (emitted or buffered).
    pub fn frames(&self) -> u64 {
        self.emitted + self.pending as u64
    }

    /// Adds the next turn's frame; returns the chunk it completes, if any.
    pub fn push(&mut self, frame: &Value) -> Result<Option<Chunk>, ReplayError> {
        frames_to_lines(std::slice::from_ref(frame), &mut self.lines)?;
        self.pending += 1;
        if self.pending == self.chunk_frames {
            self.cut().map(Some)
        } else {
            Ok(None)
        }
    }

    /// [`ReplayRecorder::push`] for a game's typed frame (`Game::Frame`).
    ///
    /// Goes through `serde_json::Value`, so the stored bytes are the same as
    /// when the frame is pushed as a `Value` (object keys sorted).
    pub fn push_frame<F: Serialize>(&mut self, frame: &F) -> Result<Option<Chunk>, ReplayError> {
        self.push(&serde_json::to_value(frame)?)
    }

    /// Ends the replay: the last, partial chunk, if frames are buffered.
    pub fn finish(mut self) -> Result<Option<Chunk>, ReplayError> {
        if self.pending == 0 {
            Ok(None)
        } else {
            self.cut().map(Some)
        }
    }

    /// Compresses the buffered frames into the next chunk.
    fn cut(&mut self) -> Result<Chunk, ReplayError> {
        let data = compress(&self.lines)?;
        let chunk = Chunk {
            index: self.next_chunk,
            first_frame: self.emitted,
            // `new` checked chunk_frames fits, and pending <= chunk_frames.
            frames: u32::try_from(self.pending).unwrap_or(u32::MAX),
            data,
        };
        self.lines.clear();
        self.emitted += self.pending as u64;
        self.pending = 0;
        self.next_chunk += 1;
        Ok(chunk)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::decode_chunk;
    use serde_json::json;

    #[test]
    fn chunks_are_cut_every_k_frames() {
        let mut r = ReplayRecorder::new(3).expect("recorder");
        let mut chunks = Vec::new();
        for t in 0..7 {
            if let Some(c) = r.push(&json!({ "turn": t })).expect("push") {
                chunks.push(c);
            }
        }
        assert_eq!(r.frames(), 7);
        chunks.extend(r.finish().expect("finish"));
        let shape: Vec<_> = chunks
            .iter()
            .map(|c| (c.index, c.first_frame, c.frames))
            .collect();
        assert_eq!(shape, vec![(0, 0, 3), (1, 3, 3), (2, 6, 1)]);
        let last = decode_chunk(&chunks[2].data, 1).expect("decode");
        assert_eq!(last, vec![json!({"turn": 6})]);
    }

    #[test]
    fn typed_and_value_frames_store_the_same_bytes() {
        #[derive(Serialize)]
        struct F {
            z: u8,
            a: u8,
        }
        let mut a = ReplayRecorder::new(1).expect("recorder");
        let mut b = ReplayRecorder::new(1).expect("recorder");
        let x = a.push_frame(&F { z: 1, a: 2 }).expect("push");
        let y = b.push(&json!({"a": 2, "z": 1})).expect("push");
        assert_eq!(x, y);
    }

    #[test]
    fn zero_frames_per_chunk_is_refused() {
        assert!(ReplayRecorder::new(0).is_err());
        assert!(
            ReplayRecorder::new(1)
                .expect("ok")
                .finish()
                .expect("ok")
                .is_none()
        );
    }
}
