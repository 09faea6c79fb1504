//! A replay as one JSON file, for people who analyse games outside the arena:
//! `{"header": {...}, "frames": [...]}`.
//!
//! Export streams chunk by chunk, so a huge replay never sits decoded in
//! memory; import reads the whole document (replays are imported rarely
//! and are small once compressed, so simplicity wins there).

use std::io::{BufWriter, Read, Write};

use rusqlite::Connection;
use serde::Deserialize;
use serde_json::Value;

use crate::error::ReplayError;
use crate::format::{FORMAT_VERSION, ReplayHeader};
use crate::reader::Replay;

/// Writes the replay as one JSON document, followed by a newline.
pub fn export_json<W: Write>(replay: &Replay<'_>, writer: W) -> Result<(), ReplayError> {
    export_json_with(replay, writer, &ExportOptions::default())
}

/// What an export leaves out.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ExportOptions {
    /// Leave out each player's `codebase_hash` (a reader who may not learn
    /// when another player changed its code).
    pub without_codebase_hashes: bool,
}

/// [`export_json`], leaving out what `options` say.
pub fn export_json_with<W: Write>(
    replay: &Replay<'_>,
    writer: W,
    options: &ExportOptions,
) -> Result<(), ReplayError> {
    let mut out = BufWriter::new(writer);
    out.write_all(b"{\"header\":")?;
    // Through a `Value`: its keys come out sorted, as they always have.
    let header = if options.without_codebase_hashes {
        let mut header = replay.header().clone();
        for p in &mut header.players {
            p.codebase_hash.clear();
        }
        serde_json::to_value(&header)?
    } else {
        serde_json::to_value(replay.header())?
    };
    serde_json::to_writer(&mut out, &header)?;
    out.write_all(b",\"frames\":[")?;
    let mut first = true;
    for index in 0..replay.chunk_count() {
        let chunk = replay.chunk(index)?;
        for i in 0..chunk.len() {
            // Parsed, not copied: a corrupt line must not reach the export.
            let frame = chunk
                .frame(i)
                .map_err(|reason| replay.corrupt(index, &reason))?;
            if !first {
                out.write_all(b",")?;
            }
            first = false;
            serde_json::to_writer(&mut out, &frame)?;
        }
    }
    out.write_all(b"]}\n")?;
    out.flush()?;
    Ok(())
}

/// The document [`export_json`] writes.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Document {
    header: ReplayHeader,
    frames: Vec<Value>,
}

/// Reads a document written by [`export_json`]: the header and every frame.
pub fn import_json<R: Read>(reader: R) -> Result<(ReplayHeader, Vec<Value>), ReplayError> {
    let doc: Document =
        serde_json::from_reader(reader).map_err(|e| ReplayError::BadExport(e.to_string()))?;
    if doc.header.format_version > FORMAT_VERSION {
        return Err(ReplayError::BadExport(format!(
            "format version {} is newer than this build's {FORMAT_VERSION}",
            doc.header.format_version
        )));
    }
    Ok((doc.header, doc.frames))
}

/// Imports a document as the replay of match `match_id` (inside the
/// caller's transaction), in chunks of `chunk_frames`; returns its header.
pub fn import_json_into<R: Read>(
    conn: &Connection,
    match_id: i64,
    reader: R,
    chunk_frames: usize,
) -> Result<ReplayHeader, ReplayError> {
    let (header, frames) = import_json(reader)?;
    crate::store::write(conn, match_id, &header, &frames, chunk_frames)?;
    Ok(header)
}
