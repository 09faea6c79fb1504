//! `arena match --game battlesnake`: each simulation is one game with one
//! sandboxed process per bot, asked for its move every turn within the
//! game's timeout, as the official engine asks over HTTP.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use anyhow::{Context, Result, bail};
use serde_json::Value;

use arena_agents::codebase::{Limits as CodebaseLimits, Snapshot};
use arena_agents::contract::{self, Entry, Launch};
use arena_agents::runner::{self, BotProcess, ExternalBot, StopReason, StopReport};
use arena_games::battlesnake::api::RawMoveResponse;
use arena_games::battlesnake::{BattleSnake, BattleSnakeSetup, RulesetName};
use arena_games::engine::{EndReason, Match, Seat};

use super::{MatchArgs, MatchSummary, PlayerSummary, progress_bar};

/// Where a player's bot comes from.
pub enum Source {
    /// A codebase folder, run sandboxed.
    Local { dir: PathBuf, launch: Launch },
    /// A bot already serving the API at a URL.
    Url(String),
}

/// A player of a game: its name and how to start its bot.
pub struct Entrant {
    pub name: String,
    pub codebase: String,
    pub hash: String,
    pub source: Source,
}

impl Entrant {
    /// A codebase folder run sandboxed, started as its contract says.
    pub fn local(name: &str, dir: PathBuf, hash: &str, launch: Launch) -> Entrant {
        Entrant {
            name: name.to_string(),
            codebase: dir.display().to_string(),
            hash: hash.to_string(),
            source: Source::Local { dir, launch },
        }
    }
}

/// A running bot, local or remote.
enum Bot {
    Local(Box<BotProcess>),
    Remote(ExternalBot),
}

impl Bot {
    /// `Ok(None)`: an HTTP bot answered late and misses only this turn.
    fn request(&mut self, msg: &Value, deadline: Duration) -> Result<Option<Value>, StopReason> {
        match self {
            Bot::Local(b) => b.request_or_late(msg, deadline),
            Bot::Remote(b) => b.request_or_late(msg, deadline),
        }
    }

    fn stop(self) -> StopReport {
        match self {
            Bot::Local(b) => b.stop(),
            Bot::Remote(b) => b.stop(),
        }
    }
}

/// One game's outcome for one seat.
pub struct SeatOutcome {
    pub placement: u32,
    pub reason: EndReason,
    /// Why the snake left the board (`head-collision`, ...), if it did.
    pub elimination: Option<String>,
    /// Why the bot stopped (`ended`, `timeout`, ...).
    pub stop: String,
    /// Turns its bot answered too late (its snake made the default move).
    pub late: u64,
}

/// A finished game: every seat's outcome, the turns played, and the frames
/// a replay records.
pub struct GameRecord {
    pub seats: Vec<SeatOutcome>,
    pub turns: u64,
    pub frames: Vec<Value>,
}

/// The short name of a stop reason, for counting.
pub fn stop_kind(r: &StopReason) -> String {
    match r {
        StopReason::Timeout { .. } => "timeout",
        StopReason::Crashed { .. } => "crashed",
        StopReason::MemoryLimit => "memory",
        StopReason::CpuLimit => "cpu",
        StopReason::OutputLimit { .. } => "output-limit",
        StopReason::ProtocolError { .. } => "protocol-error",
        StopReason::SandboxViolation { .. } => "sandbox-violation",
        StopReason::Exited => "exited",
        StopReason::Ended => "ended",
        StopReason::RunnerError { .. } => "runner-error",
    }
    .to_string()
}

fn entrants(args: &MatchArgs) -> Result<Vec<Entrant>> {
    args.codebases
        .iter()
        .map(|path| {
            let text = path.display().to_string();
            if text.starts_with("http://") {
                return Ok(Entrant {
                    name: text.clone(),
                    codebase: text.clone(),
                    hash: String::new(),
                    source: Source::Url(text),
                });
            }
            let snapshot = Snapshot::read(path, &CodebaseLimits::default())?;
            let launch = match contract::program(&snapshot)
                .with_context(|| format!("{text} cannot play BattleSnake"))?
            {
                Entry::Program(l) => l,
                Entry::Warrior(_) => bail!("{text} is not a program codebase"),
            };
            let name = path
                .file_name()
                .map_or_else(|| text.clone(), |n| n.to_string_lossy().into_owned());
            Ok(Entrant {
                name,
                codebase: text,
                hash: snapshot.hash().to_string(),
                source: Source::Local {
                    dir: path.clone(),
                    launch,
                },
            })
        })
        .collect()
}

fn start(entrant: &Entrant, limits: &runner::Limits) -> Result<Bot, Box<StopReport>> {
    match &entrant.source {
        Source::Local { dir, launch } => {
            let protocol = match launch.protocol {
                contract::Protocol::Http => runner::Protocol::http(),
                contract::Protocol::Stdio => runner::Protocol::JsonLines,
            };
            BotProcess::start(dir, &launch.command, protocol, limits)
                .map(|b| Bot::Local(Box::new(b)))
        }
        Source::Url(url) => ExternalBot::connect(url, limits.startup).map(Bot::Remote),
    }
}

/// The request for `seat` with the message type added.
fn message(m: &mut Match<BattleSnake>, seat: Seat, kind: &str) -> Option<Value> {
    let request = BattleSnake::request(m.world_mut(), seat)?;
    let mut v = serde_json::to_value(request).ok()?;
    if let Value::Object(map) = &mut v {
        map.insert("type".into(), Value::String(kind.into()));
    }
    Some(v)
}

/// Plays one game; every bot is started fresh and stopped at the end.
pub fn play_game(
    entrants: &[Entrant],
    setup: BattleSnakeSetup,
    seed: u64,
    limits: &runner::Limits,
    deadline: Duration,
) -> GameRecord {
    play_game_live(entrants, setup, seed, limits, deadline, &mut |_, _| {})
}

/// [`play_game`], handing each frame to `on_frame` as it is played (with
/// its turn: the index of the frame in the game's replay).
pub fn play_game_live(
    entrants: &[Entrant],
    setup: BattleSnakeSetup,
    seed: u64,
    limits: &runner::Limits,
    deadline: Duration,
    on_frame: &mut dyn FnMut(u64, &Value),
) -> GameRecord {
    let n = entrants.len();
    // Start every bot at once: interpreters take a while to boot.
    let started: Vec<Result<Bot, String>> = std::thread::scope(|s| {
        let handles: Vec<_> = entrants
            .iter()
            .map(|e| {
                s.spawn(move || {
                    start(e, limits).map_err(|r| {
                        tracing::info!(bot = %e.name, reason = %r.reason, stderr = %r.stderr_tail, "bot did not start");
                        stop_kind(&r.reason)
                    })
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|_| Err("runner-error".to_string())))
            .collect()
    });
    let mut stops: Vec<Option<String>> = vec![None; n];
    let mut bots: Vec<Option<Bot>> = Vec::with_capacity(n);
    for (i, s) in started.into_iter().enumerate() {
        match s {
            Ok(b) => bots.push(Some(b)),
            Err(kind) => {
                stops[i] = Some(kind);
                bots.push(None);
            }
        }
    }
    let mut late = vec![0u64; n];
    let mut frames = Vec::new();
    let mut m = Match::<BattleSnake>::new(seed, setup);
    exchange(&mut m, &mut bots, &mut stops, "start", deadline, &[]);
    while !m.is_over() {
        let alive: Vec<u8> = BattleSnake::eliminations(m.world_mut())
            .into_iter()
            .filter(|(_, e)| !e.is_eliminated())
            .map(|(s, _)| s.0)
            .collect();
        let answers = exchange(&mut m, &mut bots, &mut stops, "move", deadline, &alive);
        let mut actions = Vec::new();
        for (seat, answer) in answers {
            let answer = match answer {
                Answer::Move(v) => v,
                Answer::Late => {
                    late[usize::from(seat)] += 1;
                    continue;
                }
                Answer::Stopped => continue,
            };
            let parsed = serde_json::from_value::<RawMoveResponse>(answer)
                .ok()
                .and_then(|r| r.parsed());
            match parsed {
                Some(mv) => actions.push((Seat(seat), mv)),
                // An unreadable or illegal move stops the bot; its snake
                // goes on with the engine's default move, as upstream.
                None => {
                    if let Some(bot) = bots[usize::from(seat)].take() {
                        drop(bot.stop());
                    }
                    stops[usize::from(seat)] = Some("protocol-error".into());
                }
            }
        }
        if let Some(frame) = m.step(actions) {
            let frame = serde_json::to_value(frame).unwrap_or(Value::Null);
            on_frame(frames.len() as u64, &frame);
            frames.push(frame);
        }
    }
    exchange(&mut m, &mut bots, &mut stops, "end", deadline, &[]);
    for (i, bot) in bots.into_iter().enumerate() {
        if let Some(bot) = bot {
            let report = bot.stop();
            stops[i].get_or_insert_with(|| stop_kind(&report.reason));
        }
    }
    let eliminations = BattleSnake::eliminations(m.world_mut());
    let result = m.result().cloned();
    let turns = m.turns();
    let seats = (0..n)
        .map(|i| {
            let p = result.as_ref().and_then(|r| r.players.get(i));
            let elimination = eliminations
                .get(i)
                .and_then(|(_, e)| e.cause.map(|c| c.as_str().to_string()));
            SeatOutcome {
                placement: p.map_or(n as u32, |p| p.placement),
                reason: p.map_or(EndReason::Invalid, |p| p.reason),
                elimination,
                stop: stops[i].clone().unwrap_or_else(|| "ended".into()),
                late: late[i],
            }
        })
        .collect();
    GameRecord {
        seats,
        turns,
        frames,
    }
}

/// Sends `kind` requests to the bots of `seats` (all, when empty) in
/// parallel and returns each seat's answer; a bot that fails is stopped and
/// its reason kept.
fn exchange(
    m: &mut Match<BattleSnake>,
    bots: &mut [Option<Bot>],
    stops: &mut [Option<String>],
    kind: &str,
    deadline: Duration,
    seats: &[u8],
) -> Vec<(u8, Answer)> {
    let wanted: Vec<u8> = if seats.is_empty() {
        (0..bots.len() as u8).collect()
    } else {
        seats.to_vec()
    };
    let messages: Vec<(u8, Option<Value>)> = wanted
        .iter()
        .map(|&s| (s, message(m, Seat(s), kind)))
        .collect();
    let results: Vec<(u8, Result<Option<Value>, StopReason>)> = std::thread::scope(|scope| {
        let mut handles = Vec::new();
        for (i, bot) in bots.iter_mut().enumerate() {
            let Some((_, Some(msg))) = messages.iter().find(|(s, _)| usize::from(*s) == i) else {
                continue;
            };
            let Some(bot) = bot.as_mut() else { continue };
            handles.push((i as u8, scope.spawn(move || bot.request(msg, deadline))));
        }
        handles
            .into_iter()
            .map(|(i, h)| {
                let r = h.join().unwrap_or_else(|_| {
                    Err(StopReason::RunnerError {
                        what: "the request thread panicked".into(),
                    })
                });
                (i, r)
            })
            .collect()
    });
    results
        .into_iter()
        .map(|(seat, r)| match r {
            Ok(Some(v)) => (seat, Answer::Move(v)),
            Ok(None) => (seat, Answer::Late),
            Err(reason) => {
                if let Some(bot) = bots[usize::from(seat)].take() {
                    let report = bot.stop();
                    tracing::info!(seat, %reason, stderr = %report.stderr_tail, "bot stopped");
                }
                stops[usize::from(seat)] = Some(stop_kind(&reason));
                (seat, Answer::Stopped)
            }
        })
        .collect()
}

/// What a bot answered this turn.
enum Answer {
    Move(Value),
    /// Too late: the snake makes the default move; the bot plays on.
    Late,
    /// The bot failed and was stopped.
    Stopped,
}

pub fn run(args: &MatchArgs, seed: u64, jobs: usize) -> Result<MatchSummary> {
    let entrants = entrants(args)?;
    if entrants.len() > 8 {
        bail!(
            "BattleSnake games take 2 to 8 snakes; {} were given",
            entrants.len()
        );
    }
    runner::check_backend(runner::Limits::default().backend).map_err(|e| anyhow::anyhow!("{e}"))?;
    let ruleset = RulesetName::parse(&args.ruleset);
    if ruleset.as_str() != args.ruleset {
        bail!(
            "unknown ruleset {:?}: use standard, royale, constrictor, wrapped, wrapped_constrictor or solo",
            args.ruleset
        );
    }
    let names: Vec<&str> = entrants.iter().map(|e| e.name.as_str()).collect();
    let mut setup = BattleSnakeSetup::new(ruleset, args.width, args.height, &names);
    setup.timeout_ms = i32::try_from(args.timeout_ms).unwrap_or(i32::MAX);
    let deadline = Duration::from_millis(args.timeout_ms);
    let limits = runner::Limits::default();
    let n = entrants.len();
    let bar = progress_bar(args.sims, args.json);
    let next = AtomicU64::new(0);
    let totals = Mutex::new(Totals::new(n));
    std::thread::scope(|s| {
        for _ in 0..jobs.clamp(1, args.sims.max(1) as usize) {
            s.spawn(|| {
                loop {
                    let sim = next.fetch_add(1, Ordering::Relaxed);
                    if sim >= args.sims {
                        break;
                    }
                    let mut game = setup.clone();
                    game.game_id = format!("sim-{sim}");
                    let outcome = play_game(
                        &entrants,
                        game,
                        crate::seeds::derive(seed, &[sim]),
                        &limits,
                        deadline,
                    )
                    .seats;
                    if let Ok(mut t) = totals.lock() {
                        t.add(&outcome);
                    }
                    bar.inc(1);
                }
            });
        }
    });
    bar.finish_and_clear();
    let totals = totals.into_inner().unwrap_or_else(|e| e.into_inner());
    let players = entrants
        .iter()
        .zip(totals.per_seat)
        .map(|(e, t)| PlayerSummary {
            name: e.name.clone(),
            codebase: e.codebase.clone(),
            hash: e.hash.clone(),
            wins: t.wins,
            draws: t.draws,
            losses: t.losses,
            score: t.wins as i64,
            placements: t.placements,
            stop_reasons: t.stops,
            eliminations: Some(t.eliminations),
            late_moves: Some(t.late_moves),
        })
        .collect();
    Ok(MatchSummary {
        game: "battlesnake",
        sims: args.sims,
        seed,
        players,
    })
}

#[derive(Clone, Default)]
struct SeatTotals {
    wins: u64,
    draws: u64,
    losses: u64,
    placements: Vec<u64>,
    stops: BTreeMap<String, u64>,
    eliminations: BTreeMap<String, u64>,
    late_moves: u64,
}

#[derive(Clone)]
struct Totals {
    per_seat: Vec<SeatTotals>,
}

impl Totals {
    fn new(n: usize) -> Totals {
        Totals {
            per_seat: vec![
                SeatTotals {
                    placements: vec![0; n],
                    ..SeatTotals::default()
                };
                n
            ],
        }
    }

    fn add(&mut self, outcome: &[SeatOutcome]) {
        for (t, o) in self.per_seat.iter_mut().zip(outcome) {
            match o.reason {
                EndReason::Won => t.wins += 1,
                EndReason::Drew => t.draws += 1,
                _ => t.losses += 1,
            }
            let place = (o.placement.max(1) as usize - 1).min(t.placements.len().saturating_sub(1));
            if let Some(p) = t.placements.get_mut(place) {
                *p += 1;
            }
            *t.stops.entry(o.stop.clone()).or_default() += 1;
            t.late_moves += o.late;
            if let Some(e) = &o.elimination {
                *t.eliminations.entry(e.clone()).or_default() += 1;
            }
        }
    }
}

/// A move that leaves the board and every body but tails alone, chosen by
/// the match's own generator: the in-process bot of the engine and spectator benchmarks.
pub fn safe_move(
    req: &arena_games::battlesnake::api::SnakeRequest,
    rng: &mut arena_games::engine::MatchRng,
) -> arena_games::battlesnake::Move {
    use arena_games::battlesnake::Move;
    let board = &req.board;
    let blocked: std::collections::HashSet<(i32, i32)> = board
        .snakes
        .iter()
        .flat_map(|s| s.body.iter().take(s.body.len().saturating_sub(1)))
        .map(|c| (c.x, c.y))
        .collect();
    let safe: Vec<Move> = Move::ALL
        .into_iter()
        .filter(|m| {
            let c = m.step(req.you.head);
            c.x >= 0
                && c.y >= 0
                && c.x < board.width
                && c.y < board.height
                && !blocked.contains(&(c.x, c.y))
        })
        .collect();
    safe.get(rng.below(safe.len().max(1) as u64) as usize)
        .copied()
        .unwrap_or(Move::Up)
}
