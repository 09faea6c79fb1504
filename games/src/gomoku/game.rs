//! Gomoku as an arena game on `bevy_ecs`. The two players are entities with
//! a [`Seat`], a [`Stone`] colour and a name; the board, the colour to move,
//! the last stone and the verdict are resources. A turn is one stone (or one
//! forfeit) by the seat whose colour is to move, judged by chained systems:
//! `place_stone`, `judge_line`, `judge_full`, `pass_turn`, `decide_outcome`.

use bevy_ecs::prelude::*;
use serde::Serialize;

use super::api::{ForfeitReason, GomokuAction, GomokuMessage, GomokuRequest, parse_answer};
use super::board::{Board, Cell, Refusal, Stone};
use crate::engine::{
    Actions, BotGame, EndReason, Game, MatchResult, MatchRng, Outcome, Phase, Seat, Silence, Turn,
};

/// The Gomoku rules for the engine.
pub struct Gomoku;

/// Everything a match needs before its first move.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GomokuSetup {
    /// Cells per side (`engine.py`'s `-b`, 15 by default).
    pub board_size: usize,
    /// The two players' names, in seat order.
    pub players: [String; 2],
    /// The seat that plays black. `None` (the default): drawn from the match
    /// seed, `Seat(MatchRng::new(seed).below(2))`, as `engine.py` draws
    /// colours per game with `random.random() < 0.5`. `Some`: fixed, e.g. to
    /// play a pair of matches with colours swapped.
    pub black: Option<Seat>,
}

impl GomokuSetup {
    /// A 15x15 match with colours from the seed.
    pub fn new(first: impl Into<String>, second: impl Into<String>) -> Self {
        GomokuSetup {
            board_size: 15,
            players: [first.into(), second.into()],
            black: None,
        }
    }
}

/// A player's name.
#[derive(Component, Clone, Debug, PartialEq, Eq)]
pub struct PlayerName(pub String);

/// The colour whose turn it is, and the seat playing it.
#[derive(Resource, Clone, Copy, Debug, PartialEq, Eq)]
pub struct Next {
    pub stone: Stone,
    pub seat: Seat,
}

/// A stone on the board and who put it there.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Placed {
    pub seat: u8,
    pub stone: Stone,
    pub row: usize,
    pub col: usize,
}

/// The most recent stone placed.
#[derive(Resource, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LastMove(pub Option<Placed>);

/// How the game ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Ending {
    /// `seat` made exactly five: the line's cells.
    Five { seat: Seat, line: [Cell; 5] },
    /// `seat` failed to move.
    Forfeit { seat: Seat, reason: ForfeitReason },
    /// No empty cell left and no five: a draw.
    Full,
}

/// Set by the turn's judges once the game is decided.
#[derive(Resource, Clone, Debug, Default, PartialEq, Eq)]
pub struct Verdict(pub Option<Ending>);

/// A seat who forfeited, as frames show it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SeatForfeit {
    pub seat: u8,
    pub reason: ForfeitReason,
}

/// What a replay records after each turn.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct GomokuFrame {
    /// Cells per side.
    pub size: usize,
    /// Row by row, `size * size` letters: `.` empty, `B` black, `W` white.
    pub board: String,
    /// The last stone placed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last: Option<Placed>,
    /// The seat to move next; absent once the game is over.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next: Option<u8>,
    /// On the final frame of a won game: the five cells, `[row, col]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<[[usize; 2]; 5]>,
    /// On the final frame of a forfeited game: who and why.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub forfeit: Option<SeatForfeit>,
    /// On the final frame of a drawn game.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub draw: bool,
}

type Players<'w, 's> = Query<'w, 's, (&'static Seat, &'static Stone)>;

/// The seat playing `stone`.
fn seat_playing(players: &Players, stone: Stone) -> Option<Seat> {
    players
        .iter()
        .find_map(|(seat, s)| (*s == stone).then_some(*seat))
}

/// The mover's action goes on the board, or ends the game as a forfeit.
/// Actions of the other seat are ignored; a turn without the mover's
/// action is a timeout (the bot gave no answer).
fn place_stone(
    actions: Res<Actions<GomokuAction>>,
    next: Res<Next>,
    mut board: ResMut<Board>,
    mut last: ResMut<LastMove>,
    mut verdict: ResMut<Verdict>,
) {
    let seat = next.seat;
    let action = actions.0.iter().find(|(s, _)| *s == seat).map(|(_, a)| a);
    let forfeit = match action {
        None => ForfeitReason::Timeout,
        Some(GomokuAction::Forfeit(reason)) => reason.clone(),
        Some(&GomokuAction::Place { row, col }) => match board.place(row, col, next.stone) {
            Ok((row, col)) => {
                last.0 = Some(Placed {
                    seat: seat.0,
                    stone: next.stone,
                    row,
                    col,
                });
                return;
            }
            Err(Refusal::OffBoard) => ForfeitReason::OffBoard { row, col },
            Err(Refusal::Occupied) => ForfeitReason::Occupied { row, col },
        },
    };
    verdict.0 = Some(Ending::Forfeit {
        seat,
        reason: forfeit,
    });
}

/// The stone just placed wins if it makes exactly five.
fn judge_line(board: Res<Board>, last: Res<LastMove>, mut verdict: ResMut<Verdict>) {
    if verdict.0.is_some() {
        return;
    }
    let Some(placed) = last.0 else { return };
    if let Some(line) = board.five_through((placed.row, placed.col)) {
        verdict.0 = Some(Ending::Five {
            seat: Seat(placed.seat),
            line,
        });
    }
}

/// A full board without a five is a draw (checked after the five, as
/// `engine.py` does: the last stone may still win).
fn judge_full(board: Res<Board>, mut verdict: ResMut<Verdict>) {
    if verdict.0.is_none() && board.is_full() {
        verdict.0 = Some(Ending::Full);
    }
}

/// The other colour moves next, unless the game is decided.
fn pass_turn(verdict: Res<Verdict>, players: Players, mut next: ResMut<Next>) {
    if verdict.0.is_some() {
        return;
    }
    let stone = next.stone.opponent();
    if let Some(seat) = seat_playing(&players, stone) {
        *next = Next { stone, seat };
    }
}

/// Writes the result once there is a verdict.
fn decide_outcome(
    verdict: Res<Verdict>,
    turn: Res<Turn>,
    players: Players,
    mut outcome: ResMut<Outcome>,
) {
    if let Some(ending) = &verdict.0 {
        let seats = players.iter().count();
        outcome.0 = Some(match_result(turn.0 + 1, seats, ending));
    }
}

/// Scores 1 for a win, 0.5 each for a draw, 0 for a loss. A seat beaten by a
/// five is `Outscored`; one that forfeited gets its reason's `EndReason`.
pub fn match_result(turns: u64, seats: usize, ending: &Ending) -> MatchResult {
    let mut reasons = vec![None; seats];
    let scores: Vec<f64> = (0..seats)
        .map(|s| {
            let seat = Seat(s as u8);
            match ending {
                Ending::Full => 0.5,
                Ending::Five { seat: winner, .. } => f64::from(u8::from(seat == *winner)),
                Ending::Forfeit {
                    seat: loser,
                    reason,
                } => {
                    if seat == *loser {
                        reasons[s] = Some(reason.end_reason());
                        0.0
                    } else {
                        1.0
                    }
                }
            }
        })
        .collect();
    MatchResult::from_scores(turns, &scores, &reasons)
}

impl Game for Gomoku {
    type Setup = GomokuSetup;
    type Action = GomokuAction;
    type Frame = GomokuFrame;
    const NAME: &'static str = "gomoku";

    fn setup(world: &mut World, setup: GomokuSetup) {
        let black = match setup.black {
            Some(seat) => seat,
            None => Seat(world.resource_mut::<MatchRng>().below(2) as u8),
        };
        for (seat, name) in setup.players.into_iter().enumerate() {
            let seat = Seat(seat as u8);
            let stone = if seat == black {
                Stone::Black
            } else {
                Stone::White
            };
            world.spawn((seat, stone, PlayerName(name)));
        }
        let board = Board::new(setup.board_size);
        // A board without cells (size 0) is full before the first move.
        let ending = board.is_full().then_some(Ending::Full);
        if let Some(ending) = &ending {
            world.resource_mut::<Outcome>().0 = Some(match_result(0, 2, ending));
        }
        world.insert_resource(board);
        world.insert_resource(Next {
            stone: Stone::Black,
            seat: black,
        });
        world.insert_resource(LastMove::default());
        world.insert_resource(Verdict(ending));
    }

    fn build_turn(schedule: &mut Schedule) {
        schedule.add_systems(
            (
                place_stone,
                judge_line,
                judge_full,
                pass_turn,
                decide_outcome,
            )
                .chain(),
        );
    }

    fn frame(world: &mut World) -> GomokuFrame {
        let next = Gomoku::to_move(world).map(|s| s.0);
        let board = world.resource::<Board>();
        let verdict = &world.resource::<Verdict>().0;
        let line = match verdict {
            Some(Ending::Five { line, .. }) => Some(line.map(|(r, c)| [r, c])),
            _ => None,
        };
        let forfeit = match verdict {
            Some(Ending::Forfeit { seat, reason }) => Some(SeatForfeit {
                seat: seat.0,
                reason: reason.clone(),
            }),
            _ => None,
        };
        GomokuFrame {
            size: board.size(),
            board: board.letters(),
            last: world.resource::<LastMove>().0,
            next,
            line,
            forfeit,
            draw: matches!(verdict, Some(Ending::Full)),
        }
    }
}

impl Gomoku {
    /// The seat whose turn it is; `None` once the game is decided.
    pub fn to_move(world: &World) -> Option<Seat> {
        if world.resource::<Verdict>().0.is_some() {
            return None;
        }
        Some(world.resource::<Next>().seat)
    }

    /// What `seat`'s bot is asked now: `get_move`'s arguments, or `None`
    /// when it is not that seat's turn.
    pub fn request(world: &World, seat: Seat) -> Option<GomokuRequest> {
        if Gomoku::to_move(world)? != seat {
            return None;
        }
        Some(GomokuRequest {
            board: world.resource::<Board>().rows(),
            color: world.resource::<Next>().stone,
        })
    }

    /// The colour `seat` plays.
    pub fn colour(world: &mut World, seat: Seat) -> Option<Stone> {
        let mut q = world.query::<(&Seat, &Stone)>();
        q.iter(world)
            .find_map(|(s, stone)| (*s == seat).then_some(*stone))
    }

    /// The seat playing `stone`.
    pub fn seat_of(world: &mut World, stone: Stone) -> Option<Seat> {
        let mut q = world.query::<(&Seat, &Stone)>();
        q.iter(world)
            .find_map(|(seat, s)| (*s == stone).then_some(*seat))
    }

    /// The board as it stands.
    pub fn board(world: &World) -> &Board {
        world.resource::<Board>()
    }

    /// How the game ended, once it has.
    pub fn ending(world: &World) -> Option<&Ending> {
        world.resource::<Verdict>().0.as_ref()
    }
}

impl BotGame for Gomoku {
    type Request = GomokuMessage;
    /// Read leniently by [`parse_answer`]: anything that is not a move or
    /// the adapter's error report forfeits as malformed.
    type Answer = serde_json::Value;

    fn asked(world: &mut World) -> Vec<Seat> {
        Gomoku::to_move(world).into_iter().collect()
    }

    fn request(world: &mut World, seat: Seat, phase: Phase) -> Option<GomokuMessage> {
        match phase {
            Phase::Start => Some(GomokuMessage::Start {
                color: Gomoku::colour(world, seat)?,
                board_size: world.resource::<Board>().size(),
            }),
            Phase::Move => Gomoku::request(world, seat).map(GomokuMessage::Move),
            Phase::End => Some(GomokuMessage::End),
        }
    }

    fn action(
        _world: &mut World,
        _seat: Seat,
        answer: serde_json::Value,
    ) -> Result<GomokuAction, String> {
        Ok(parse_answer(&answer))
    }

    /// A bot that does not answer loses: `engine.py` counts a timeout, a
    /// crash or an unreadable answer as the mover's loss.
    fn silent(_world: &mut World, _seat: Seat, why: &Silence) -> Option<GomokuAction> {
        Some(GomokuAction::Forfeit(match why {
            Silence::Late => ForfeitReason::Timeout,
            Silence::Stopped(EndReason::Timeout) => ForfeitReason::Timeout,
            Silence::Stopped(reason) => ForfeitReason::Crashed {
                message: format!("the bot stopped ({})", end_reason_word(*reason)),
            },
            Silence::Malformed(message) => ForfeitReason::Malformed {
                message: message.clone(),
            },
        }))
    }
}

/// A short word for an end reason, for forfeit messages.
fn end_reason_word(reason: EndReason) -> &'static str {
    match reason {
        EndReason::Timeout => "timeout",
        EndReason::Invalid => "protocol error",
        _ => "crashed",
    }
}
