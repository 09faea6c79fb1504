//! `arena match`: play codebases against each other locally, many times,
//! and print who won, how they placed, and why their bots stopped.

pub mod battlesnake;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use anyhow::{Context, Result, bail};
use serde::Serialize;

use arena_agents::codebase::{Limits, Snapshot};
use arena_agents::contract::{self, Entry};
use arena_games::corewar::Settings;
use arena_games::corewar::battle::{Battle, default_points};
use arena_games::corewar::placement::SeedSource;

/// The games `arena match` can play.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum GameName {
    Corewar,
    Battlesnake,
}

/// What to play.
#[derive(clap::Args, Debug)]
pub struct MatchArgs {
    /// The game.
    #[arg(long, value_enum)]
    pub game: GameName,
    /// Codebase folders (Core War also takes `.red` files).
    #[arg(required = true, num_args = 2..)]
    pub codebases: Vec<PathBuf>,
    /// Simulations to play (Core War: rounds of one battle, as CodeClash counts them).
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
    /// BattleSnake: the ruleset (standard, royale, constrictor, wrapped, wrapped_constrictor, solo).
    #[arg(long, default_value = "standard")]
    pub ruleset: String,
    /// BattleSnake: board width (7, 11 and 19 have the official start positions).
    #[arg(long, default_value_t = 11)]
    pub width: i32,
    /// BattleSnake: board height.
    #[arg(long, default_value_t = 11)]
    pub height: i32,
    /// BattleSnake: the move timeout in milliseconds; a late bot's snake makes the default move.
    #[arg(long = "timeout-ms", default_value_t = 500)]
    pub timeout_ms: u64,
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
    /// Why it left the board, with counts (games that eliminate players).
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
    pub sims: u64,
    pub seed: u64,
    pub players: Vec<PlayerSummary>,
}

pub fn run(args: &MatchArgs, jobs: usize) -> Result<()> {
    let seed = args.seed.unwrap_or_else(fresh_seed);
    let summary = match args.game {
        GameName::Corewar => corewar(args, seed, jobs)?,
        GameName::Battlesnake => battlesnake::run(args, seed, jobs)?,
    };
    if args.json {
        println!("{}", serde_json::to_string_pretty(&summary)?);
    } else {
        print_table(&summary);
    }
    Ok(())
}

/// A warrior codebase: a folder with `warrior.red`, or a `.red` file.
fn read_warrior_codebase(
    path: &Path,
    settings: &Settings,
) -> Result<(String, String, arena_games::corewar::Warrior)> {
    let snapshot = if path.is_file() {
        let bytes =
            std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
        let mut files = BTreeMap::new();
        files.insert(
            contract::WARRIOR.to_string(),
            arena_agents::codebase::File {
                bytes,
                executable: false,
            },
        );
        Snapshot::from_files(files)
    } else {
        Snapshot::read(path, &Limits::default())?
    };
    match contract::corewar(&snapshot, settings)
        .with_context(|| format!("{} cannot play Core War", path.display()))?
    {
        Entry::Warrior(w) => Ok((path.display().to_string(), snapshot.hash().to_string(), w)),
        Entry::Program(_) => bail!("{} is not a Core War codebase", path.display()),
    }
}

fn corewar(args: &MatchArgs, seed: u64, jobs: usize) -> Result<MatchSummary> {
    let n = args.codebases.len();
    let settings = Settings {
        rounds: u32::try_from(args.sims)
            .context("--sims is too large for Core War (at most 4294967295 rounds)")?,
        warriors: n as u32,
        ..Settings::default()
    };
    let mut warriors = Vec::with_capacity(n);
    let mut sources = Vec::with_capacity(n);
    for path in &args.codebases {
        let (codebase, hash, warrior) = read_warrior_codebase(path, &settings)?;
        sources.push((codebase, hash));
        warriors.push(warrior);
    }
    let battle = Battle {
        settings,
        warriors,
        // pMARS's generator needs a seed in 1..2^31-1.
        seed: SeedSource::Seed((seed % 2_147_483_646) as i64 + 1),
        permutate: false,
        points: default_points(n),
    };
    let bar = progress_bar(args.sims, args.json);
    let done = AtomicU64::new(0);
    let outcome = battle.run_with_progress(jobs, &|k| {
        let total = done.fetch_add(k, Ordering::Relaxed) + k;
        bar.set_position(total);
    });
    bar.finish_and_clear();
    let players = battle
        .warriors
        .iter()
        .zip(sources)
        .enumerate()
        .map(|(i, (w, (codebase, hash)))| {
            let t = &outcome.tallies[i];
            // Survivors share first place; a warrior that died when L were
            // left placed L-th.
            let mut placements = vec![0; n];
            placements[0] = t[..n].iter().sum();
            for left in 2..=n {
                placements[left - 1] = t[n + left - 2];
            }
            let deaths = outcome.deaths(i);
            PlayerSummary {
                name: w.name.clone(),
                codebase,
                hash,
                wins: t[0],
                draws: t[1..n].iter().sum(),
                losses: deaths,
                score: outcome.scores[i],
                placements,
                stop_reasons: BTreeMap::from([("killed".to_string(), deaths)]),
                eliminations: None,
                late_moves: None,
            }
        })
        .collect();
    Ok(MatchSummary {
        game: "corewar",
        sims: args.sims,
        seed,
        players,
    })
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
            reasons = format!("{reasons}; eliminated: {causes}");
        }
        if let Some(late) = p.late_moves.filter(|&l| l > 0) {
            reasons = format!("{reasons}; late moves: {late}");
        }
        println!(
            "{:<name_w$} {:>7} {:>7} {:>7} {:>9}  {:<20} {}",
            p.name, p.wins, p.draws, p.losses, p.score, places, reasons
        );
    }
}

/// `arena match --game battlesnake` without printing (for benchmarks).
pub fn battlesnake_summary(args: &MatchArgs, seed: u64, jobs: usize) -> Result<MatchSummary> {
    battlesnake::run(args, seed, jobs)
}

/// A seed from the operating system's randomness (std's hasher keys).
pub fn fresh_seed() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u64(u64::from(std::process::id()));
    h.finish()
}
