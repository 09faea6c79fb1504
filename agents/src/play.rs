//! The loop that plays one game of bot programs, for any [`BotGame`]: each
//! turn every asked seat's bot gets its request (in parallel, each within the
//! deadline), each answer becomes an action through the game's rules, and a
//! seat whose bot is late, stopped or unreadable gets the rules' action for
//! silence. The game supplies what each seat is asked and how an answer
//! becomes an action; this module owns deadlines, stop reasons and late
//! answers.

use std::time::Duration;

use serde::Deserialize;
use serde_json::Value;

use arena_games::engine::{BotGame, Match, Phase, Seat, Silence};

use crate::runner::{BotProcess, ExternalBot, StopKind, StopReason, StopReport};

/// One seat's bot for one game: a process of its own, a bot server shared
/// by the round's games, or a bot at a URL.
pub trait SeatBot: Send {
    /// Sends `msg` and waits at most `deadline`. `Ok(None)`: the bot answered
    /// too late and misses only this turn (HTTP bots, as upstream
    /// Battlesnake). `Err`: it stopped for good.
    fn request(&mut self, msg: &Value, deadline: Duration) -> Result<Option<Value>, StopReason>;

    /// Ends the bot's part in this game.
    fn stop(self: Box<Self>) -> StopReport;
}

impl SeatBot for BotProcess {
    fn request(&mut self, msg: &Value, deadline: Duration) -> Result<Option<Value>, StopReason> {
        self.request_or_late(msg, deadline)
    }

    fn stop(self: Box<Self>) -> StopReport {
        BotProcess::stop(*self)
    }
}

impl SeatBot for ExternalBot {
    fn request(&mut self, msg: &Value, deadline: Duration) -> Result<Option<Value>, StopReason> {
        self.request_or_late(msg, deadline)
    }

    fn stop(self: Box<Self>) -> StopReport {
        ExternalBot::stop(*self)
    }
}

/// How a seat's bot did in one game.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SeatRecord {
    /// Why its bot stopped (`Ended` for a bot still answering at the end).
    pub stop: StopKind,
    /// The stop's details, for logs (`crashed with exit code 1`, ...).
    pub detail: String,
    /// The last lines of its stderr when it stopped badly (empty otherwise).
    pub stderr_tail: String,
    /// Turns its bot answered too late (the rules' default action played).
    pub late: u64,
}

/// A finished game: the match (for the game's own reading of its end), the
/// frames in turn order, and each seat's record.
pub struct Played<G: BotGame> {
    pub game: Match<G>,
    pub frames: Vec<Value>,
    pub seats: Vec<SeatRecord>,
}

/// A seat's bot, or why it is gone.
enum SeatState {
    Playing(Box<dyn SeatBot>),
    Gone {
        stop: StopKind,
        detail: String,
        stderr_tail: String,
    },
}

impl SeatState {
    fn gone(report: &StopReport) -> SeatState {
        SeatState::Gone {
            stop: report.reason.kind(),
            detail: report.reason.to_string(),
            stderr_tail: if report.reason.is_clean() {
                String::new()
            } else {
                report.stderr_tail.clone()
            },
        }
    }
}

/// What a seat's bot did with one request.
enum Reply {
    Answer(Value),
    Late,
    Stopped(StopReason),
}

/// Plays `game` to its end with one bot per seat (in seat order; `Err`:
/// the bot did not start, and its seat plays as silent from the first turn).
/// `on_frame` gets each frame as it is played, with its index.
pub fn play<G: BotGame>(
    mut game: Match<G>,
    bots: Vec<Result<Box<dyn SeatBot>, Box<StopReport>>>,
    deadline: Duration,
    on_frame: &mut dyn FnMut(u64, &Value),
) -> Played<G> {
    let mut seats: Vec<SeatState> = bots
        .into_iter()
        .map(|b| match b {
            Ok(bot) => SeatState::Playing(bot),
            Err(report) => SeatState::gone(&report),
        })
        .collect();
    let mut late = vec![0u64; seats.len()];
    let mut frames = Vec::new();
    let all: Vec<Seat> = (0..seats.len() as u8).map(Seat).collect();
    // Greetings: most games ignore their answers (Battlesnake's /start), but
    // a bot that fails one is gone; the game hears of each (Halite I takes
    // the bot's name and places a bot that failed its init last).
    let greetings = exchange(&mut game, &mut seats, Phase::Start, &all, deadline);
    for seat in &all {
        let i = usize::from(seat.0);
        match greetings.iter().find(|(s, _)| s == seat) {
            Some((_, Reply::Answer(v))) => G::greeted(game.world_mut(), *seat, Ok(v)),
            Some((_, Reply::Late)) => G::greeted(game.world_mut(), *seat, Err(&Silence::Late)),
            Some((_, Reply::Stopped(r))) => {
                let why = Silence::Stopped(r.end_reason());
                G::greeted(game.world_mut(), *seat, Err(&why));
            }
            None => {
                if let SeatState::Gone { stop, .. } = &seats[i] {
                    let why = Silence::Stopped(stop_end_reason(*stop));
                    G::greeted(game.world_mut(), *seat, Err(&why));
                }
            }
        }
    }
    G::greetings_done(game.world_mut());
    while !game.is_over() {
        let asked = G::asked(game.world_mut());
        let replies = exchange(&mut game, &mut seats, Phase::Move, &asked, deadline);
        let answered: Vec<Seat> = replies.iter().map(|(s, _)| *s).collect();
        let mut actions = Vec::with_capacity(replies.len());
        for (seat, reply) in replies {
            let i = usize::from(seat.0);
            let silence = match reply {
                Reply::Answer(v) => match G::Answer::deserialize(&v)
                    .map_err(|e| format!("{e}: {}", snippet(&v)))
                    .and_then(|a| G::action(game.world_mut(), seat, a))
                {
                    Ok(action) => {
                        actions.push((seat, action));
                        continue;
                    }
                    Err(what) => {
                        stop_seat(
                            &mut seats[i],
                            StopReason::ProtocolError { what: what.clone() },
                        );
                        Silence::Malformed(what)
                    }
                },
                Reply::Late => {
                    late[i] += 1;
                    Silence::Late
                }
                Reply::Stopped(reason) => Silence::Stopped(reason.end_reason()),
            };
            if let Some(action) = G::silent(game.world_mut(), seat, &silence) {
                actions.push((seat, action));
            }
        }
        // Seats that could not be asked (their bot was gone before this
        // turn) are silent too.
        for seat in asked.iter().filter(|s| !answered.contains(s)) {
            if let SeatState::Gone { stop, .. } = &seats[usize::from(seat.0)] {
                let why = Silence::Stopped(stop_end_reason(*stop));
                if let Some(action) = G::silent(game.world_mut(), *seat, &why) {
                    actions.push((*seat, action));
                }
            }
        }
        match game.step(actions) {
            Some(frame) => {
                let frame = serde_json::to_value(frame).unwrap_or(Value::Null);
                on_frame(frames.len() as u64, &frame);
                frames.push(frame);
            }
            None => break,
        }
    }
    exchange(&mut game, &mut seats, Phase::End, &all, deadline);
    let seats = seats
        .into_iter()
        .zip(late)
        .map(|(state, late)| {
            let (stop, detail, stderr_tail) = match state {
                SeatState::Playing(bot) => {
                    let report = bot.stop();
                    let tail = if report.reason.is_clean() {
                        String::new()
                    } else {
                        report.stderr_tail
                    };
                    (report.reason.kind(), report.reason.to_string(), tail)
                }
                SeatState::Gone {
                    stop,
                    detail,
                    stderr_tail,
                } => (stop, detail, stderr_tail),
            };
            SeatRecord {
                stop,
                detail,
                stderr_tail,
                late,
            }
        })
        .collect();
    Played {
        game,
        frames,
        seats,
    }
}

/// How the rules see a seat whose bot is gone with this kind of stop.
fn stop_end_reason(kind: StopKind) -> arena_games::engine::EndReason {
    use arena_games::engine::EndReason;
    match kind {
        StopKind::Timeout => EndReason::Timeout,
        StopKind::ProtocolError => EndReason::Invalid,
        _ => EndReason::Crashed,
    }
}

/// Stops a seat's bot for `reason`, keeping its stderr's tail.
fn stop_seat(state: &mut SeatState, reason: StopReason) {
    if let SeatState::Playing(_) = state {
        let old = std::mem::replace(
            state,
            SeatState::Gone {
                stop: reason.kind(),
                detail: reason.to_string(),
                stderr_tail: String::new(),
            },
        );
        if let SeatState::Playing(bot) = old {
            let report = bot.stop();
            if let SeatState::Gone { stderr_tail, .. } = state {
                *stderr_tail = report.stderr_tail;
            }
        }
    }
}

/// The message for a seat: the game's request with its phase as `type`.
fn message<G: BotGame>(game: &mut Match<G>, seat: Seat, phase: Phase) -> Option<Value> {
    let request = G::request(game.world_mut(), seat, phase)?;
    let mut v = serde_json::to_value(request).ok()?;
    match &mut v {
        Value::Object(map) => {
            map.insert("type".into(), Value::String(phase.name().into()));
            Some(v)
        }
        // A game whose protocol is raw text lines (Halite I) sends its
        // text unchanged.
        Value::String(_) => Some(v),
        _ => Some(serde_json::json!({ "type": phase.name(), "request": v })),
    }
}

/// Sends `phase` requests to the bots of `asked` at once and returns each
/// asked seat's reply, in seat order (seats whose bot is gone are left out).
fn exchange<G: BotGame>(
    game: &mut Match<G>,
    seats: &mut [SeatState],
    phase: Phase,
    asked: &[Seat],
    deadline: Duration,
) -> Vec<(Seat, Reply)> {
    let messages: Vec<(Seat, Value)> = asked
        .iter()
        .filter_map(|&s| message(game, s, phase).map(|m| (s, m)))
        .collect();
    let replies: Vec<(Seat, Result<Option<Value>, StopReason>)> = std::thread::scope(|scope| {
        let mut handles = Vec::new();
        for (i, state) in seats.iter_mut().enumerate() {
            let SeatState::Playing(bot) = state else {
                continue;
            };
            let Some((seat, msg)) = messages.iter().find(|(s, _)| usize::from(s.0) == i) else {
                continue;
            };
            let seat = *seat;
            handles.push((seat, scope.spawn(move || bot.request(msg, deadline))));
        }
        handles
            .into_iter()
            .map(|(seat, h)| {
                let r = h.join().unwrap_or_else(|_| {
                    Err(StopReason::RunnerError {
                        what: "the request thread panicked".into(),
                    })
                });
                (seat, r)
            })
            .collect()
    });
    replies
        .into_iter()
        .map(|(seat, r)| match r {
            Ok(Some(v)) => (seat, Reply::Answer(v)),
            Ok(None) => (seat, Reply::Late),
            Err(reason) => {
                tracing::info!(seat = seat.0, %reason, "bot stopped");
                stop_seat(&mut seats[usize::from(seat.0)], reason.clone());
                (seat, Reply::Stopped(reason))
            }
        })
        .collect()
}

/// The first characters of an answer, for messages.
fn snippet(v: &Value) -> String {
    let text = v.to_string();
    match text.char_indices().nth(80) {
        Some((i, _)) => format!("{}...", &text[..i]),
        None => text,
    }
}
