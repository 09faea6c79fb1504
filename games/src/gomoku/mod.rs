//! Gomoku (five in a row) exactly as CodeClash-ai/Gomoku's `engine.py`
//! plays it: a 15x15 board, black first, exactly five in a row wins (an
//! overline of six or more does not, in that direction), an invalid move, a
//! malformed answer or an exception loses, a full board draws.
//!
//! - [`board`]: the board and the rules that only look at it.
//! - [`api`]: the request a bot gets, its answer, and [`parse_answer`].
//! - [`game`]: the ECS game ([`Gomoku`]) the arena plays.
//!
//! Bots are CodeClash `main.py` files defining `get_move(board, color)`;
//! `adapter.py` (next to this file) runs one behind a JSON-lines protocol.

pub mod api;
pub mod board;
pub mod game;

pub use api::{
    AnswerError, ErrorKind, ForfeitReason, GomokuAction, GomokuAnswer, GomokuMessage,
    GomokuRequest, parse_answer,
};
pub use board::{Board, Cell, Refusal, Stone};
pub use game::{
    Ending, Gomoku, GomokuFrame, GomokuSetup, LastMove, Next, Placed, PlayerName, SeatForfeit,
    Verdict, match_result,
};

/// The adapter's source, for the arena to copy next to a bot's `main.py`.
pub const ADAPTER_PY: &str = include_str!("adapter.py");
