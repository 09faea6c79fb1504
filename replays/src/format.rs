//! The replay format: a header, then frames grouped in zstd-compressed chunks.
//!
//! A frame is one JSON value per turn (turn 0 is the initial state when the
//! game has one). Frames are grouped into chunks of `chunk_frames` frames,
//! each chunk JSON Lines compressed with zstd on its own, so reaching turn T
//! decodes one chunk, never the whole game.
//!
//! **Deterministic bytes.** Tournaments must reproduce byte for byte, so the
//! same header and frames always give the same stored bytes: JSON is written
//! from `serde_json::Value` (object keys sorted, floats printed by `ryu`),
//! zstd runs at the fixed [`ZSTD_LEVEL`] on one thread, and nothing carries a
//! timestamp. (Bytes are stable for a given zstd library version; a newer
//! zstd may compress differently, but decodes every older chunk.)

use arena_games::engine::MatchResult;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::io::Read;

/// The version this build writes; readers refuse newer ones.
pub const FORMAT_VERSION: u32 = 1;

/// Frames per chunk unless the caller says otherwise: 64 BattleSnake turns of
/// 8 snakes compress to a few kilobytes, small enough to decode on every seek.
pub const DEFAULT_CHUNK_FRAMES: usize = 64;

/// The zstd level of every chunk. Fixed, because the stored bytes depend on
/// it; level 9 compresses BattleSnake frames about 10% better than 3 (see the
/// benchmark) at a cost only the writer pays.
pub const ZSTD_LEVEL: i32 = 9;

/// A decoded chunk may be at most this large: a corrupt or hostile chunk
/// must not make the reader allocate without end.
pub const MAX_CHUNK_BYTES: u64 = 256 << 20;

/// Who played a seat.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReplayPlayer {
    /// 0-based seat, as the game's `Seat`.
    pub seat: u8,
    /// The player's display name (agent or bot name).
    pub name: String,
    /// The codebase's SHA-256 content hash (`agents::codebase`), so a replay
    /// names exactly the code that played. Left out (empty) in an export
    /// for readers who may not see it ([`crate::ExportOptions`]).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub codebase_hash: String,
}

/// What a replay says about its match, before any frame.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReplayHeader {
    /// [`FORMAT_VERSION`] when written.
    pub format_version: u32,
    /// The game's name (`Game::NAME`: `"corewar"`, `"battlesnake"`).
    pub game: String,
    /// The rules' version, as the rating pool names it.
    pub rules_version: String,
    /// The match seed.
    pub seed: u64,
    /// In seat order.
    pub players: Vec<ReplayPlayer>,
    /// The game's settings; for Core War also the warriors and pMARS seed
    /// (see [`crate::corewar`]), so the battle can be re-simulated.
    pub settings: Value,
    /// The match result once known; `None` while live. A stored result
    /// this build cannot read is `None` too: the frames stay readable.
    #[serde(default, deserialize_with = "readable_result")]
    pub result: Option<MatchResult>,
}

/// A stored header's result, or `None` where it is not one this build reads.
fn readable_result<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Option<MatchResult>, D::Error> {
    let value = Option::<Value>::deserialize(d)?;
    Ok(value.and_then(|v| serde_json::from_value(v).ok()))
}

impl ReplayHeader {
    /// A header for a new replay of the current format, without a result.
    pub fn new(
        game: impl Into<String>,
        rules_version: impl Into<String>,
        seed: u64,
        players: Vec<ReplayPlayer>,
        settings: Value,
    ) -> Self {
        ReplayHeader {
            format_version: FORMAT_VERSION,
            game: game.into(),
            rules_version: rules_version.into(),
            seed,
            players,
            settings,
            result: None,
        }
    }

    /// The header as stored: compact JSON, object keys in a fixed order.
    pub fn to_json(&self) -> Result<String, serde_json::Error> {
        // Through `Value`, so keys inside `settings` and `result` are sorted
        // whatever order their producer built them in.
        serde_json::to_string(&serde_json::to_value(self)?)
    }
}

/// The JSON Lines text of some frames: one compact JSON value per line.
pub fn frames_to_lines(frames: &[Value], out: &mut Vec<u8>) -> Result<(), serde_json::Error> {
    for frame in frames {
        // A compact `Value` never contains a raw newline (strings escape it).
        serde_json::to_writer(&mut *out, frame)?;
        out.push(b'\n');
    }
    Ok(())
}

/// Compresses a chunk's JSON Lines at [`ZSTD_LEVEL`].
pub fn compress(lines: &[u8]) -> std::io::Result<Vec<u8>> {
    zstd::bulk::compress(lines, ZSTD_LEVEL)
}

/// A decompressed chunk: its JSON Lines and where each line starts.
///
/// A seek parses only the frame it wants: decompressing a chunk is several
/// times faster than parsing all its frames into `Value`s.
#[derive(Debug)]
pub struct ChunkText {
    text: Vec<u8>,
    /// Start of each line; line `i` ends before `starts[i + 1] - 1` (its newline).
    starts: Vec<usize>,
}

impl ChunkText {
    /// Decompresses a chunk's stored bytes and checks it holds
    /// `expected_frames` lines. `Err` is a reason, for the caller to wrap
    /// with the match and chunk it was reading.
    pub fn decode(data: &[u8], expected_frames: usize) -> Result<Self, String> {
        let decoder = zstd::stream::read::Decoder::new(data).map_err(|e| format!("zstd: {e}"))?;
        let mut text = Vec::new();
        decoder
            .take(MAX_CHUNK_BYTES + 1)
            .read_to_end(&mut text)
            .map_err(|e| format!("zstd: {e}"))?;
        if text.len() as u64 > MAX_CHUNK_BYTES {
            return Err(format!("decompresses to more than {MAX_CHUNK_BYTES} bytes"));
        }
        if text.is_empty() {
            return Err("empty".to_string());
        }
        if text.last() != Some(&b'\n') {
            return Err("the last frame is not terminated by a newline".to_string());
        }
        let mut starts = Vec::with_capacity(expected_frames + 1);
        starts.push(0);
        starts.extend(
            text.iter()
                .enumerate()
                .filter(|&(_, &b)| b == b'\n')
                .map(|(i, _)| i + 1),
        );
        let lines = starts.len() - 1;
        if lines != expected_frames {
            return Err(format!("holds {lines} frames, expected {expected_frames}"));
        }
        Ok(ChunkText { text, starts })
    }

    /// Frames in the chunk.
    pub fn len(&self) -> usize {
        self.starts.len() - 1
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Parses frame `i` of the chunk.
    pub fn frame(&self, i: usize) -> Result<Value, String> {
        let (Some(&start), Some(&next)) = (self.starts.get(i), self.starts.get(i + 1)) else {
            return Err(format!("no frame {i} in a chunk of {}", self.len()));
        };
        let line = self
            .text
            .get(start..next.saturating_sub(1))
            .unwrap_or_default();
        serde_json::from_slice(line).map_err(|e| format!("frame {i}: {e}"))
    }

    /// Parses every frame of the chunk.
    pub fn frames(&self) -> Result<Vec<Value>, String> {
        (0..self.len()).map(|i| self.frame(i)).collect()
    }
}

/// Decodes a chunk's stored bytes into all its frames.
pub fn decode_chunk(data: &[u8], expected_frames: usize) -> Result<Vec<Value>, String> {
    ChunkText::decode(data, expected_frames)?.frames()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn chunk_round_trip() {
        let frames = vec![json!({"b": 1, "a": [1, 2]}), json!("x\ny"), json!(null)];
        let mut lines = Vec::new();
        frames_to_lines(&frames, &mut lines).expect("ok");
        assert_eq!(lines.iter().filter(|&&b| b == b'\n').count(), 3);
        let data = compress(&lines).expect("ok");
        assert_eq!(decode_chunk(&data, 3).expect("ok"), frames);
        assert!(
            decode_chunk(&data, 2)
                .expect_err("an error")
                .contains("expected 2")
        );
    }

    #[test]
    fn garbage_is_an_error() {
        assert!(decode_chunk(b"not zstd at all", 1).is_err());
        assert!(decode_chunk(&[], 1).is_err());
        let data = compress(b"{\"a\":1}\n{broken\n").expect("ok");
        assert!(
            decode_chunk(&data, 2)
                .expect_err("an error")
                .starts_with("frame 1")
        );
        let data = compress(b"").expect("ok");
        assert_eq!(decode_chunk(&data, 1).expect_err("an error"), "empty");
    }

    #[test]
    fn header_keys_sorted_whatever_the_input_order() {
        let a: Value = serde_json::from_str(r#"{"z": 1, "a": {"y": 2, "b": 3}}"#).expect("ok");
        let b: Value = serde_json::from_str(r#"{"a": {"b": 3, "y": 2}, "z": 1}"#).expect("ok");
        let h = |settings| ReplayHeader::new("g", "1", 7, Vec::new(), settings);
        assert_eq!(h(a).to_json().expect("ok"), h(b).to_json().expect("ok"));
    }
}
