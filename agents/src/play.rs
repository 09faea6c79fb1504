//! The loop that plays one game of bot programs, for any [`BotGame`]: each
//! turn every asked seat's bot gets its request (in parallel, each within the
//! deadline), each answer becomes an action through the game's rules, and a
//! seat whose bot is late, stopped or unreadable gets the rules' action for
//! silence. The game supplies what each seat is asked and how an answer
//! becomes an action; this module owns deadlines, stop reasons and late
//! answers.

use std::sync::mpsc::{Receiver, Sender, channel};
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
    Playing(Hand),
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

/// Where a playing seat's bot is asked: on the game's own thread (one seat
/// per game), or on a thread of its own kept for the whole game (the other
/// seats), so a turn's requests wait side by side without a thread started
/// per request.
enum Hand {
    Here(Box<dyn SeatBot>),
    Worker(SeatWorker),
}

/// A result of [`SeatBot::request`].
type Outcome = Result<Option<Value>, StopReason>;

/// A thread holding one seat's bot for the game.
struct SeatWorker {
    jobs: Sender<Job>,
    outcomes: Receiver<Outcome>,
}

enum Job {
    Request(Value, Duration),
    /// Stop the bot, send its report and end.
    Stop(Sender<StopReport>),
}

impl SeatWorker {
    fn start(mut bot: Box<dyn SeatBot>) -> std::io::Result<SeatWorker> {
        let (jobs, job_rx) = channel::<Job>();
        let (outcome_tx, outcomes) = channel();
        std::thread::Builder::new()
            .name("seat".into())
            .spawn(move || {
                for job in job_rx {
                    match job {
                        Job::Request(msg, deadline) => {
                            if outcome_tx.send(ask(&mut bot, &msg, deadline)).is_err() {
                                break;
                            }
                        }
                        Job::Stop(report) => {
                            let _ = report.send(bot.stop());
                            return;
                        }
                    }
                }
                // The game went away without stopping it.
                bot.stop();
            })?;
        Ok(SeatWorker { jobs, outcomes })
    }
}

/// `bot.request`, a panic of which stops the bot as a runner error (the
/// bot is kept, to be stopped and reported as usual).
fn ask(bot: &mut Box<dyn SeatBot>, msg: &Value, deadline: Duration) -> Outcome {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| bot.request(msg, deadline)))
        .unwrap_or_else(|_| Err(panicked()))
}

fn panicked() -> StopReason {
    StopReason::RunnerError {
        what: "the request thread panicked".into(),
    }
}

impl Hand {
    fn ask_here(&mut self, msg: &Value, deadline: Duration) -> Outcome {
        match self {
            Hand::Here(bot) => std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                bot.request(msg, deadline)
            }))
            .unwrap_or_else(|_| Err(panicked())),
            Hand::Worker(_) => Err(panicked()),
        }
    }

    /// The worker's outcome of the request sent to it.
    fn wait(&self) -> Outcome {
        match self {
            Hand::Here(_) => Err(panicked()),
            Hand::Worker(w) => w.outcomes.recv().unwrap_or_else(|_| Err(panicked())),
        }
    }

    fn stop(self) -> StopReport {
        match self {
            Hand::Here(bot) => bot.stop(),
            Hand::Worker(w) => {
                let (tx, rx) = channel();
                let _ = w.jobs.send(Job::Stop(tx));
                rx.recv()
                    .unwrap_or_else(|_| StopReport::runner_error("the request thread panicked"))
            }
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
    let mut here_taken = false;
    let mut seats: Vec<SeatState> = bots
        .into_iter()
        .map(|b| match b {
            Ok(bot) if !here_taken => {
                here_taken = true;
                SeatState::Playing(Hand::Here(bot))
            }
            Ok(bot) => match SeatWorker::start(bot) {
                Ok(w) => SeatState::Playing(Hand::Worker(w)),
                Err(e) => SeatState::gone(&StopReport::runner_error(format!(
                    "cannot start the seat's thread: {e}"
                ))),
            },
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
                SeatState::Playing(hand) => {
                    let report = hand.stop();
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
        if let SeatState::Playing(hand) = old {
            let report = hand.stop();
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
    let mut messages: Vec<(Seat, Value)> = asked
        .iter()
        .filter_map(|&s| message(game, s, phase).map(|m| (s, m)))
        .filter(|(s, _)| matches!(seats.get(usize::from(s.0)), Some(SeatState::Playing(_))))
        .collect();
    messages.sort_by_key(|(s, _)| *s);
    messages.dedup_by_key(|(s, _)| *s);
    // Workers first, so that they wait while this thread asks its own bot.
    let mut here = None;
    let mut sent = Vec::with_capacity(messages.len());
    for (seat, msg) in messages {
        match &seats[usize::from(seat.0)] {
            SeatState::Playing(Hand::Worker(w)) => {
                // A worker that is gone shows as a closed channel at `wait`.
                let _ = w.jobs.send(Job::Request(msg, deadline));
                sent.push(seat);
            }
            SeatState::Playing(Hand::Here(_)) => here = Some((seat, msg)),
            SeatState::Gone { .. } => {}
        }
    }
    let here = here.map(|(seat, msg)| match &mut seats[usize::from(seat.0)] {
        SeatState::Playing(hand) => (seat, hand.ask_here(&msg, deadline)),
        SeatState::Gone { .. } => (seat, Err(panicked())),
    });
    let mut replies: Vec<(Seat, Outcome)> = sent
        .into_iter()
        .map(|seat| match &seats[usize::from(seat.0)] {
            SeatState::Playing(hand) => (seat, hand.wait()),
            SeatState::Gone { .. } => (seat, Err(panicked())),
        })
        .chain(here)
        .collect();
    replies.sort_by_key(|(s, _)| *s);
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use arena_games::battlesnake::{BattleSnake, BattleSnakeSetup, RulesetName};

    /// Counts requests in flight at once and stops.
    #[derive(Default)]
    struct Counters {
        in_flight: AtomicUsize,
        most: AtomicUsize,
        stops: AtomicUsize,
    }

    /// Answers `up` after `wait`; panics on move `panic_at`.
    struct Bot {
        wait: Duration,
        panic_at: Option<u64>,
        counters: Arc<Counters>,
    }

    impl SeatBot for Bot {
        fn request(&mut self, msg: &Value, _: Duration) -> Result<Option<Value>, StopReason> {
            let c = &self.counters;
            let now = c.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
            c.most.fetch_max(now, Ordering::SeqCst);
            std::thread::sleep(self.wait);
            c.in_flight.fetch_sub(1, Ordering::SeqCst);
            let turn = msg["turn"].as_u64();
            if msg["type"] == "move" && turn.is_some() && turn == self.panic_at {
                panic!("bot fails on purpose");
            }
            Ok(Some(serde_json::json!({"move": "up"})))
        }

        fn stop(self: Box<Self>) -> StopReport {
            self.counters.stops.fetch_add(1, Ordering::SeqCst);
            StopReport::runner_error("")
        }
    }

    fn game(seats: usize) -> Match<BattleSnake> {
        let names: Vec<String> = (0..seats).map(|i| format!("s{i}")).collect();
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        Match::new(
            7,
            BattleSnakeSetup::new(RulesetName::parse("standard"), 11, 11, &names),
        )
    }

    fn bots(
        counters: &Arc<Counters>,
        panic_at: &[Option<u64>],
    ) -> Vec<Result<Box<dyn SeatBot>, Box<StopReport>>> {
        panic_at
            .iter()
            .map(|&panic_at| {
                Ok(Box::new(Bot {
                    wait: Duration::from_millis(20),
                    panic_at,
                    counters: counters.clone(),
                }) as Box<dyn SeatBot>)
            })
            .collect()
    }

    #[test]
    fn a_turns_requests_wait_side_by_side_and_every_bot_is_stopped_once() {
        let counters = Arc::new(Counters::default());
        let played = play(
            game(3),
            bots(&counters, &[None, None, None]),
            Duration::from_secs(1),
            &mut |_, _| {},
        );
        assert!(!played.frames.is_empty());
        assert_eq!(counters.most.load(Ordering::SeqCst), 3);
        assert_eq!(counters.stops.load(Ordering::SeqCst), 3);
        assert!(played.seats.iter().all(|s| s.late == 0));
    }

    #[test]
    fn a_bot_that_panics_is_a_runner_error_wherever_it_is_asked() {
        // Seat 0 is asked on the game's thread, seat 1 on a worker.
        let counters = Arc::new(Counters::default());
        let played = play(
            game(3),
            bots(&counters, &[Some(1), Some(2), None]),
            Duration::from_secs(1),
            &mut |_, _| {},
        );
        let kinds: Vec<StopKind> = played.seats.iter().map(|s| s.stop).collect();
        assert_eq!(kinds[0], StopKind::RunnerError, "{:?}", played.seats);
        assert_eq!(kinds[1], StopKind::RunnerError, "{:?}", played.seats);
        assert_eq!(counters.stops.load(Ordering::SeqCst), 3);
    }
}
