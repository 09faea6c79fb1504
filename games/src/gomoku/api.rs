//! What crosses the wire between the arena and a bot's `adapter.py`: the
//! request (exactly `get_move(board, color)`'s arguments), the answer, and
//! the action an answer becomes.
//!
//! A request line is `{"type": "move", "board": [[0, 1, 2, ...], ...],
//! "color": "black"}`; the answer line is `{"move": [row, col]}` or
//! `{"error": {"kind": "...", "message": "..."}}`.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::board::Stone;
use crate::engine::EndReason;

/// What a seat's bot is asked on its turn: the arguments `engine.py` passes
/// to `get_move(board, color)`, positionally and in this order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GomokuRequest {
    /// `board[row][col]`: 0 empty, 1 black, 2 white (a fresh copy each turn).
    pub board: Vec<Vec<u8>>,
    /// `"black"` or `"white"`: the colour to move.
    pub color: Stone,
}

/// Every line the adapter reads, tagged by `"type"`. Only `move` calls the
/// bot; `start` and `end` are answered with `{}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum GomokuMessage {
    /// Before the first move: the seat's colour and the board's size.
    Start { color: Stone, board_size: usize },
    /// The seat's turn.
    Move(GomokuRequest),
    /// After the match.
    End,
}

/// A bot's answer to a `move` request, as the adapter writes it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum GomokuAnswer {
    /// `{"move": [row, col]}`.
    Move {
        #[serde(rename = "move")]
        cell: [i64; 2],
    },
    /// `{"error": {"kind": ..., "message": ...}}`.
    Error { error: AnswerError },
}

/// The failure the adapter reports instead of a move.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnswerError {
    pub kind: ErrorKind,
    #[serde(default)]
    pub message: String,
}

/// The kinds of failure the adapter (or the seam) reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// `main.py` failed to import (syntax error, import error, exception at load).
    Import,
    /// `main.py` defines no `get_move`.
    MissingFunction,
    /// `get_move` raised.
    Exception,
    /// `get_move` returned something that is not a pair `int()` accepts.
    BadReturn,
    /// The answer line was not an answer (the seam's verdict).
    Malformed,
    /// No answer in time (the seam's verdict).
    Timeout,
    /// The bot's process died (the seam's verdict).
    Crash,
}

/// One seat's action on its turn.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GomokuAction {
    /// Put a stone on `(row, col)`: any integers, the rules judge them.
    Place { row: i64, col: i64 },
    /// The seat failed to move and loses.
    Forfeit(ForfeitReason),
}

/// Why a seat lost without being beaten on the board.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ForfeitReason {
    /// A stone on an occupied cell.
    Occupied { row: i64, col: i64 },
    /// A stone off the board (negative or `>= size`).
    OffBoard { row: i64, col: i64 },
    /// The answer was not a move: bad JSON shape, or `get_move` returned
    /// something other than a pair of integers.
    Malformed { message: String },
    /// `get_move` raised.
    Exception { message: String },
    /// `main.py` could not be loaded, or has no `get_move` (`engine.py`'s
    /// "Failed to load player").
    LoadFailed { message: String },
    /// No answer within the time limit.
    Timeout,
    /// The bot's process stopped.
    Crashed { message: String },
}

impl ForfeitReason {
    /// How the result records a seat that forfeited for this reason.
    pub fn end_reason(&self) -> EndReason {
        match self {
            ForfeitReason::Timeout => EndReason::Timeout,
            ForfeitReason::Crashed { .. } => EndReason::Crashed,
            _ => EndReason::Invalid,
        }
    }
}

impl From<GomokuAnswer> for GomokuAction {
    fn from(answer: GomokuAnswer) -> Self {
        match answer {
            GomokuAnswer::Move { cell: [row, col] } => GomokuAction::Place { row, col },
            GomokuAnswer::Error { error } => GomokuAction::Forfeit(error.into()),
        }
    }
}

impl From<AnswerError> for ForfeitReason {
    fn from(error: AnswerError) -> Self {
        let message = error.message;
        match error.kind {
            ErrorKind::Import => ForfeitReason::LoadFailed { message },
            ErrorKind::MissingFunction => ForfeitReason::LoadFailed { message },
            ErrorKind::Exception => ForfeitReason::Exception { message },
            ErrorKind::BadReturn | ErrorKind::Malformed => ForfeitReason::Malformed { message },
            ErrorKind::Timeout => ForfeitReason::Timeout,
            ErrorKind::Crash => ForfeitReason::Crashed { message },
        }
    }
}

/// Turns any JSON answer into an action: `{"move": [row, col]}` places a
/// stone, `{"error": {...}}` forfeits with its kind, anything else forfeits
/// as malformed. Keys other than `move` and `error` are ignored.
pub fn parse_answer(answer: &Value) -> GomokuAction {
    let malformed = |message: String| GomokuAction::Forfeit(ForfeitReason::Malformed { message });
    let Some(object) = answer.as_object() else {
        return malformed(format!("answer is not a JSON object: {}", clip(answer)));
    };
    match (object.get("move"), object.get("error")) {
        (Some(cell), None) => match cell.as_array().map(Vec::as_slice) {
            Some([row, col]) => match (coordinate(row), coordinate(col)) {
                (Some(row), Some(col)) => GomokuAction::Place { row, col },
                _ => malformed(format!("move is not a pair of integers: {}", clip(cell))),
            },
            _ => malformed(format!("move is not a pair: {}", clip(cell))),
        },
        (None, Some(error)) => match serde_json::from_value::<AnswerError>(error.clone()) {
            Ok(error) => GomokuAction::Forfeit(error.into()),
            Err(e) => malformed(format!("unreadable error {}: {e}", clip(error))),
        },
        (Some(_), Some(_)) => malformed("answer has both move and error".to_string()),
        (None, None) => malformed(format!(
            "answer has neither move nor error: {}",
            clip(answer)
        )),
    }
}

/// An integer coordinate. Integers beyond `i64` (Python's are unbounded)
/// saturate: they are off the board either way. `3.0` counts as 3, as
/// `int()` would take it; `3.5` does not.
fn coordinate(value: &Value) -> Option<i64> {
    let number = value.as_number()?;
    if let Some(n) = number.as_i64() {
        return Some(n);
    }
    if number.is_u64() {
        return Some(i64::MAX);
    }
    let f = number.as_f64()?;
    // `as` saturates, and only whole numbers get here.
    (f.fract() == 0.0).then_some(f as i64)
}

/// A JSON value shortened for a message.
fn clip(value: &Value) -> String {
    let text = value.to_string();
    match text.char_indices().nth(120) {
        Some((at, _)) => format!("{}...", &text[..at]),
        None => text,
    }
}
