//! Replays of arena matches: the format, its SQLite tables, a recorder for
//! live games, a reader with seek, JSON export, and verification of Core War
//! replays by re-simulation.
//!
//! - [`format`]: [`ReplayHeader`], frames as JSON values, zstd chunks, and
//!   why the stored bytes are deterministic.
//! - [`recorder`]: [`ReplayRecorder`], frames in, full chunks out.
//! - [`store`]: the tables ([`store::SCHEMA`]) and writing, in the caller's
//!   transaction ([`store::write`], [`store::LiveReplay`]).
//! - [`reader`]: [`Replay`], `frame(turn)` decoding one chunk.
//! - [`export`]: one JSON document out and back in.
//! - [`corewar`]: Core War headers and frames, [`corewar::verify_corewar`],
//!   and the core at any moment for viewers.

pub mod corewar;
pub mod error;
pub mod export;
pub mod format;
pub mod reader;
pub mod recorder;
pub mod store;

pub use error::ReplayError;
pub use export::{ExportOptions, export_json, export_json_with, import_json, import_json_into};
pub use format::{DEFAULT_CHUNK_FRAMES, FORMAT_VERSION, ReplayHeader, ReplayPlayer};
pub use reader::{Frames, Replay};
pub use recorder::{Chunk, ReplayRecorder};
pub use store::{LiveReplay, create_tables, write};
