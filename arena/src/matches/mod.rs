//! `arena match`: play codebases against each other locally, many times,
//! and print who won, how they placed, and why their bots stopped.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use serde::Serialize;

use arena_games::engine::EndReason;

use crate::environments::{EnvSettings, Environments, PrepareError, Prepared};
use crate::games::{self, Entrant, SeatOutcome, Sim, Source, Unwatched};

/// What to play.
#[derive(clap::Args, Debug)]
pub struct MatchArgs {
    /// The game (corewar, battlesnake, gomoku, ...).
    #[arg(long)]
    pub game: String,
    /// Codebase folders (Core War also takes `.red` files; BattleSnake also
    /// `http://host:port` of a bot already running).
    #[arg(required = true, num_args = 2..)]
    pub codebases: Vec<PathBuf>,
    /// Simulations to play.
    #[arg(long, default_value_t = 100)]
    pub sims: u64,
    /// Seed of the whole run (default: a fresh one, printed so the run can be repeated).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Threads (default: all cores).
    #[arg(long)]
    pub jobs: Option<usize>,
    /// Print one JSON object instead of the table.
    #[arg(long)]
    pub json: bool,
    /// A setting of the game's config section, as in a tournament's
    /// `[game]` table (`--set ruleset=royale --set timeout_ms=300`); the
    /// value is read as TOML, or else taken as a string.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
    /// Where bots' environments are kept (`DATA_DIR/envs`, unless
    /// `ARENA_ENV_DIR` says otherwise) and reused from one run to the next.
    #[arg(long, default_value = "arena-data")]
    pub data_dir: PathBuf,
}

/// One player's totals over all simulations.
#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct PlayerSummary {
    pub name: String,
    pub codebase: String,
    /// Content hash of the codebase version that played.
    pub hash: String,
    /// Simulations it won outright.
    pub wins: u64,
    /// Simulations it ended first together with others.
    pub draws: u64,
    pub losses: u64,
    /// The game's own score (Core War: pMARS's `(W*W-1)/S` formula).
    pub score: i64,
    /// `placements[k]`: simulations it finished in place `k + 1`.
    pub placements: Vec<u64>,
    /// Why its bot stopped, with counts.
    pub stop_reasons: BTreeMap<String, u64>,
    /// The last lines of its bot's stderr, from the last game in which it
    /// stopped badly (crashed, timed out, broke the protocol).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_stderr: Option<String>,
    /// How it left the game other than by the score, with counts (a
    /// snake's elimination cause, a Gomoku forfeit).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub eliminations: Option<BTreeMap<String, u64>>,
    /// Turns its bot answered too late, so its snake made the default move
    /// (games with a move deadline).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub late_moves: Option<u64>,
}

/// A whole `arena match` run.
#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct MatchSummary {
    pub game: &'static str,
    /// The word for `eliminations` in the table (`eliminated`, `forfeited`).
    #[serde(skip)]
    pub causes: Option<&'static str>,
    pub sims: u64,
    pub seed: u64,
    pub players: Vec<PlayerSummary>,
}

/// Why `arena match` could not play (each message says what to change).
#[derive(Debug, thiserror::Error)]
pub enum MatchError {
    /// A command-line option the game cannot use.
    #[error("{0}")]
    Usage(String),
    /// A codebase the game's contract refuses.
    #[error("{path} cannot play {game}: {rejection}")]
    Rejected {
        path: String,
        game: &'static str,
        rejection: arena_agents::contract::Rejection,
    },
    /// A bot this host cannot prepare (the message says what to install).
    #[error("{path}: {error}")]
    Host { path: String, error: PrepareError },
    #[error(transparent)]
    Game(#[from] games::GameError),
    #[error("the summary cannot be written as JSON: {0}")]
    Json(#[from] serde_json::Error),
}

/// `arena match`'s results.
pub type Result<T, E = MatchError> = std::result::Result<T, E>;

pub fn run(args: &MatchArgs, jobs: usize) -> Result<()> {
    let seed = args.seed.unwrap_or_else(fresh_seed);
    let summary = summary(args, seed, jobs)?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&summary)?);
    } else {
        print_table(&summary);
    }
    Ok(())
}

/// The game's config section from `--set KEY=VALUE` options.
fn section(set: &[String]) -> Result<Option<toml::Value>> {
    if set.is_empty() {
        return Ok(None);
    }
    let mut table = toml::Table::new();
    for kv in set {
        let Some((key, value)) = kv.split_once('=') else {
            return Err(MatchError::Usage(format!(
                "--set {kv:?}: expected KEY=VALUE, e.g. --set timeout_ms=300"
            )));
        };
        let key = key.trim();
        // A TOML value (numbers, booleans, quoted strings), else the text.
        let value = toml::from_str::<toml::Table>(&format!("v = {value}"))
            .ok()
            .and_then(|mut t| t.remove("v"))
            .unwrap_or_else(|| toml::Value::String(value.to_string()));
        table.insert(key.to_string(), value);
    }
    Ok(Some(toml::Value::Table(table)))
}

/// The players: codebases read from their paths, validated and their
/// environments made, or bots at URLs.
fn entrants(
    config: &dyn games::GameConfig,
    envs: &Environments,
    paths: &[PathBuf],
) -> Result<Vec<(String, Entrant)>> {
    let game = config.game();
    paths
        .iter()
        .map(|path| {
            let text = path.display().to_string();
            if text.starts_with("http://") {
                let e = Entrant {
                    name: text.clone(),
                    hash: String::new(),
                    source: Source::Url(text.clone()),
                    prepared: Prepared::Nothing,
                };
                return Ok((text, e));
            }
            let codebase = games::read_codebase(game, path)?;
            let prepared = match games::prepare(config, envs, &codebase) {
                Ok(p) => p,
                Err(PrepareError::Rejected(rejection)) => {
                    return Err(MatchError::Rejected {
                        path: text,
                        game: game.name(),
                        rejection,
                    });
                }
                Err(error @ PrepareError::Host(_)) => {
                    return Err(MatchError::Host { path: text, error });
                }
            };
            let name = path
                .file_stem()
                .filter(|_| path.is_file())
                .or_else(|| path.file_name())
                .map_or_else(|| text.clone(), |n| n.to_string_lossy().into_owned());
            Ok((text, Entrant::codebase(&name, codebase, prepared)))
        })
        .collect()
}

/// Plays the run and totals it, without printing (also for benchmarks).
pub fn summary(args: &MatchArgs, seed: u64, jobs: usize) -> Result<MatchSummary> {
    let Some(game) = games::find(&args.game) else {
        return Err(MatchError::Usage(format!(
            "unknown game {:?}; expected one of {}",
            args.game,
            games::names().join(", ")
        )));
    };
    let n = args.codebases.len();
    let range = game.players();
    if !range.contains(&n) {
        return Err(MatchError::Usage(format!(
            "{} takes {} to {} players; {n} were given",
            game.name(),
            range.start(),
            range.end()
        )));
    }
    let config = game
        .configure(section(&args.set)?, n)
        .map_err(|e| MatchError::Usage(format!("--set {}: {}", e.key, e.message)))?;
    let settings = EnvSettings::from_env().map_err(|e| MatchError::Usage(e.to_string()))?;
    let envs = Environments::under(&args.data_dir, settings);
    let entrants = entrants(&*config, &envs, &args.codebases)?;
    let (paths, entrants): (Vec<String>, Vec<Entrant>) = entrants.into_iter().unzip();
    let table = config.table(&entrants, u32::try_from(args.sims).unwrap_or(u32::MAX))?;
    let bar = progress_bar(args.sims, args.json);
    let next = AtomicU64::new(0);
    let totals = Mutex::new(Totals::new(n));
    let failure: Mutex<Option<MatchError>> = Mutex::new(None);
    std::thread::scope(|s| {
        for _ in 0..jobs.clamp(1, args.sims.max(1) as usize) {
            s.spawn(|| {
                loop {
                    let sim = next.fetch_add(1, Ordering::Relaxed);
                    if sim >= args.sims {
                        break;
                    }
                    // Players keep the seats they were given, as pMARS
                    // keeps its warriors' order.
                    let spec = Sim {
                        seed: crate::seeds::derive(seed, &[sim]),
                        game_id: format!("sim-{sim}"),
                        seats: (0..n).collect(),
                    };
                    match table.play(&spec, &mut Unwatched) {
                        Ok(outcome) => {
                            if let Ok(mut t) = totals.lock() {
                                t.add(sim, &outcome.seats);
                            }
                        }
                        Err(e) => {
                            if let Ok(mut f) = failure.lock() {
                                f.get_or_insert(e.into());
                            }
                            next.store(args.sims, Ordering::Relaxed);
                        }
                    }
                    bar.inc(1);
                }
            });
        }
    });
    bar.finish_and_clear();
    if let Some(e) = failure.into_inner().unwrap_or_else(|e| e.into_inner()) {
        return Err(e);
    }
    let totals = totals.into_inner().unwrap_or_else(|e| e.into_inner());
    let columns = game.columns();
    let players = entrants
        .iter()
        .zip(paths)
        .zip(totals.per_seat)
        .map(|((e, codebase), t)| PlayerSummary {
            name: e.name.clone(),
            codebase,
            hash: e.hash.clone(),
            wins: t.wins,
            draws: t.draws,
            losses: t.losses,
            score: t.score.round() as i64,
            placements: t.placements,
            stop_reasons: t.stops,
            last_stderr: t.last_stderr.map(|(_, tail)| tail),
            eliminations: columns.causes.map(|_| t.eliminations),
            late_moves: columns.late_moves.then_some(t.late_moves),
        })
        .collect();
    Ok(MatchSummary {
        game: game.name(),
        causes: columns.causes,
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
    score: f64,
    placements: Vec<u64>,
    stops: BTreeMap<String, u64>,
    eliminations: BTreeMap<String, u64>,
    late_moves: u64,
    /// The latest simulation (by index, so the run's threads do not
    /// change it) whose bot stopped badly, and its stderr's tail.
    last_stderr: Option<(u64, String)>,
}

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

    fn add(&mut self, sim: u64, outcome: &[SeatOutcome]) {
        for (t, o) in self.per_seat.iter_mut().zip(outcome) {
            match o.reason {
                EndReason::Won => t.wins += 1,
                EndReason::Drew => t.draws += 1,
                _ => t.losses += 1,
            }
            t.score += o.score;
            let place = (o.placement.max(1) as usize - 1).min(t.placements.len().saturating_sub(1));
            if let Some(p) = t.placements.get_mut(place) {
                *p += 1;
            }
            if let Some(stop) = o.stop {
                *t.stops.entry(stop.as_str().to_string()).or_default() += 1;
            }
            t.late_moves += o.late;
            if let Some(e) = &o.cause {
                *t.eliminations.entry(e.clone()).or_default() += 1;
            }
            if !o.stderr_tail.is_empty() && t.last_stderr.as_ref().is_none_or(|(s, _)| *s < sim) {
                t.last_stderr = Some((sim, o.stderr_tail.clone()));
            }
        }
    }
}

pub(crate) fn progress_bar(len: u64, hidden: bool) -> indicatif::ProgressBar {
    if hidden {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(len);
    if let Ok(style) =
        indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} sims, {per_sec}, {eta} left")
    {
        bar.set_style(style);
    }
    bar
}

fn print_table(s: &MatchSummary) {
    println!(
        "{}: {} players, {} sims, seed {}",
        s.game,
        s.players.len(),
        s.sims,
        s.seed
    );
    let name_w = s
        .players
        .iter()
        .map(|p| p.name.len())
        .max()
        .unwrap_or(4)
        .max(6);
    println!(
        "{:<name_w$} {:>7} {:>7} {:>7} {:>9}  {:<20} stop reasons",
        "player", "wins", "draws", "losses", "score", "placements"
    );
    for p in &s.players {
        let places = p
            .placements
            .iter()
            .map(u64::to_string)
            .collect::<Vec<_>>()
            .join("/");
        let mut reasons = p
            .stop_reasons
            .iter()
            .map(|(r, c)| format!("{r} {c}"))
            .collect::<Vec<_>>()
            .join(", ");
        if let Some(e) = &p.eliminations
            && !e.is_empty()
        {
            let causes = e
                .iter()
                .map(|(r, c)| format!("{r} {c}"))
                .collect::<Vec<_>>()
                .join(", ");
            let word = s.causes.unwrap_or("eliminated");
            reasons = format!("{reasons}; {word}: {causes}");
        }
        if let Some(late) = p.late_moves.filter(|&l| l > 0) {
            reasons = format!("{reasons}; late moves: {late}");
        }
        println!(
            "{:<name_w$} {:>7} {:>7} {:>7} {:>9}  {:<20} {}",
            p.name, p.wins, p.draws, p.losses, p.score, places, reasons
        );
        if let Some(tail) = &p.last_stderr {
            // The last lines say why a bot crashed (a missing module, ...).
            let lines: Vec<&str> = tail.trim_end().lines().collect();
            println!("{:<name_w$}   its stderr ended with:", "");
            for line in &lines[lines.len().saturating_sub(4)..] {
                println!("{:<name_w$}   | {line}", "");
            }
        }
    }
}

/// A seed from the operating system's randomness (std's hasher keys).
pub fn fresh_seed() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u64(u64::from(std::process::id()));
    h.finish()
}
