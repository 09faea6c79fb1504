//! `arena bench corewar`: the same battles in pMARS and in `arena pmars`, in
//! one run, as whole processes, with their outputs checked equal, so the
//! speed figures compare identical work.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

pub mod robotrumble;
pub mod workers;

/// What to benchmark.
#[derive(clap::Args, Debug)]
pub struct CorewarBench {
    /// The pMARS binary (default: $PMARS, else `pmars` on the PATH).
    #[arg(long, value_name = "PATH")]
    pub pmars: Option<PathBuf>,
    /// Rounds per pair of warriors.
    #[arg(long, default_value_t = 1000)]
    pub rounds: u32,
    /// Rounds of the one long battle spread over all cores.
    #[arg(long, default_value_t = 20000)]
    pub long_rounds: u32,
    /// Warrior files or folders of `.red` files (default: the folder
    /// `warriors/` beside the pMARS binary, as Debian's pMARS ships it, and
    /// the repository's `examples/corewar/`).
    #[arg(value_name = "WARRIOR")]
    pub warriors: Vec<PathBuf>,
    /// Times each battle is run by each engine, in turn (pMARS, arena on
    /// one core, arena on all); the medians count.
    #[arg(long, default_value_t = 3)]
    pub repeat: u32,
}

/// One battle's medians: pMARS's and one-core arena's CPU seconds (what
/// one core spent, whatever else the machine runs), all-core arena's wall
/// seconds, the median of the one-core ratios to pMARS run by run (and
/// the lowest and highest of them: on a shared machine a battle's ratio
/// moves between runs), and pMARS's median over all cores' median.
struct Timing {
    pmars: Duration,
    one: Duration,
    all: Duration,
    one_ratio: f64,
    one_range: (f64, f64),
    all_ratio: f64,
}

pub fn corewar(args: &CorewarBench) -> Result<()> {
    let pmars = find_pmars(args.pmars.as_deref())?;
    let warriors = collect_warriors(&pmars, &args.warriors)?;
    if warriors.len() < 2 {
        bail!("need at least two warriors to pair up; pass warrior files or folders");
    }
    let me = std::env::current_exe().context("cannot find the arena executable")?;
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let pairs: Vec<(&PathBuf, &PathBuf)> = warriors
        .iter()
        .enumerate()
        .flat_map(|(i, a)| warriors[i + 1..].iter().map(move |b| (a, b)))
        .collect();
    let rounds = args.rounds.to_string();
    let repeat = args.repeat.max(1);

    println!(
        "Core War: {} warriors, {} pairs x {} rounds each (pMARS -b -f), whole processes, \
         each run {repeat} times (pMARS and one core in turn); medians.\n\
         One core: CPU seconds of `arena pmars --jobs 1` against pMARS's. \
         {cores} cores: wall seconds of `--jobs {cores}`.",
        warriors.len(),
        pairs.len(),
        args.rounds,
    );
    let header = format!("{cores} cores s");
    println!(
        "{:<34} {:>9} {:>12} {:>9} {:>11} {:>12} {:>9}",
        "battle", "pMARS s", "1 core s", "vs pMARS", "runs", header, "vs pMARS"
    );
    let mut total = [Duration::ZERO; 3];
    let (mut below, mut always_below) = (Vec::new(), Vec::new());
    for (a, b) in &pairs {
        let t = three_ways(&pmars, &me, cores, &rounds, a, b, repeat)?;
        let battle = format!("{} vs {}", name_of(a), name_of(b));
        print_row(&battle, &t);
        if t.one_ratio < 2.0 {
            below.push(format!("{battle} {:.2}x", t.one_ratio));
        }
        if t.one_range.1 < 2.0 {
            always_below.push(battle);
        }
        for (sum, d) in total.iter_mut().zip([t.pmars, t.one, t.all]) {
            *sum += d;
        }
    }
    let [p, one, all] = total;
    let n = pairs.len() as u64 * u64::from(args.rounds);
    println!(
        "all {} pairs: pMARS {:.0} rounds/s, arena 1 core {:.0} rounds/s ({:.2}x), \
         {cores} cores {:.0} rounds/s ({:.2}x)",
        pairs.len(),
        rate(n, p),
        rate(n, one),
        rate(n, one) / rate(n, p).max(1e-9),
        rate(n, all),
        rate(n, all) / rate(n, p).max(1e-9),
    );
    if below.is_empty() {
        println!("every battle at least 2x pMARS on one core");
    } else {
        println!("below 2x pMARS on one core: {}", below.join(", "));
        if always_below.is_empty() {
            println!("each of them reached 2x in at least one run");
        } else {
            println!("below 2x in every run: {}", always_below.join(", "));
        }
    }

    // One long battle of the first two warriors, spread over all cores.
    let (a, b) = pairs[0];
    let long = args.long_rounds.to_string();
    println!("\nOne long battle, {} rounds:", args.long_rounds);
    let t = three_ways(&pmars, &me, cores, &long, a, b, repeat)?;
    print_row(&format!("{} vs {}", name_of(a), name_of(b)), &t);
    println!("\nOutputs identical to pMARS for every battle.");
    Ok(())
}

fn rate(rounds: u64, time: Duration) -> f64 {
    rounds as f64 / time.as_secs_f64().max(1e-9)
}

fn print_row(battle: &str, t: &Timing) {
    let runs = format!("{:.2}-{:.2}", t.one_range.0, t.one_range.1);
    println!(
        "{:<34} {:>9.3} {:>12.3} {:>8.2}x {:>11} {:>12.3} {:>8.2}x",
        battle,
        t.pmars.as_secs_f64(),
        t.one.as_secs_f64(),
        t.one_ratio,
        runs,
        t.all.as_secs_f64(),
        t.all_ratio
    );
}

/// One battle (`-b -f -r ROUNDS a b`) in pMARS and in `arena pmars` on one
/// core, `repeat` times in turn (so a drift in the machine's speed hits
/// both alike), then in `arena pmars` on all cores `repeat` times (apart:
/// a run on all cores slows the one-core run after it), after checking
/// every output agrees.
fn three_ways(
    pmars: &Path,
    me: &Path,
    cores: usize,
    rounds: &str,
    a: &Path,
    b: &Path,
    repeat: u32,
) -> Result<Timing> {
    let common = ["-b", "-f", "-r", rounds];
    let files = [a.as_os_str(), b.as_os_str()];
    let jobs = cores.to_string();
    let same = |expected: &str, out: &str| {
        if out == expected {
            Ok(())
        } else {
            Err(anyhow::anyhow!(
                "outputs differ for {} vs {}, {rounds} rounds:\npMARS:\n{expected}\narena:\n{out}",
                a.display(),
                b.display()
            ))
        }
    };
    let secs = |d: Duration| d.as_secs_f64().max(1e-9);
    let (mut reference, mut one, mut all) = (Vec::new(), Vec::new(), Vec::new());
    let mut one_ratio = Vec::new();
    let mut expected = String::new();
    for _ in 0..repeat {
        let (out, p) = timed(pmars, &[], &common, &files)?;
        let (out_one, o) = timed(me, &["pmars", "--jobs", "1"], &common, &files)?;
        same(&out, &out_one)?;
        one_ratio.push(secs(p.cpu) / secs(o.cpu));
        reference.push(p.cpu);
        one.push(o.cpu);
        expected = out;
    }
    for _ in 0..repeat {
        let (out_all, t) = timed(me, &["pmars", "--jobs", &jobs], &common, &files)?;
        same(&expected, &out_all)?;
        all.push(t.wall);
    }
    let (pmars, all) = (median(reference), median(all));
    let lowest = one_ratio.iter().copied().fold(f64::INFINITY, f64::min);
    let highest = one_ratio.iter().copied().fold(0.0, f64::max);
    Ok(Timing {
        pmars,
        one: median(one),
        all,
        one_ratio: median(one_ratio),
        one_range: (lowest, highest),
        all_ratio: secs(pmars) / secs(all),
    })
}

fn median<T: PartialOrd + Copy + Default>(mut v: Vec<T>) -> T {
    v.sort_by(|x, y| x.partial_cmp(y).unwrap_or(std::cmp::Ordering::Equal));
    v.get(v.len() / 2).copied().unwrap_or_default()
}

/// What one run of a command took.
struct Spent {
    /// Its user and system CPU time.
    cpu: Duration,
    wall: Duration,
}

/// Runs a command once; returns its output and what it took.
fn timed(
    program: &Path,
    prefix: &[&str],
    options: &[&str],
    files: &[&std::ffi::OsStr],
) -> Result<(String, Spent)> {
    let before = children_cpu()?;
    let start = Instant::now();
    let out = Command::new(program)
        .args(prefix)
        .args(options)
        .args(files)
        .output()
        .with_context(|| format!("cannot run {}", program.display()))?;
    let wall = start.elapsed();
    // The bench runs one child at a time, so the children's total grows by
    // exactly this one's time.
    let cpu = children_cpu()?.saturating_sub(before);
    if !out.status.success() {
        bail!(
            "{} failed ({}): {}",
            program.display(),
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let output = String::from_utf8_lossy(&out.stdout).into_owned();
    Ok((output, Spent { cpu, wall }))
}

/// User plus system CPU time of every finished child so far.
fn children_cpu() -> Result<Duration> {
    use nix::sys::resource::{UsageWho, getrusage};
    let usage = getrusage(UsageWho::RUSAGE_CHILDREN).context("getrusage failed")?;
    let d = |t: nix::sys::time::TimeVal| {
        Duration::from_secs(t.tv_sec().max(0) as u64)
            + Duration::from_micros(t.tv_usec().max(0) as u64)
    };
    Ok(d(usage.user_time()) + d(usage.system_time()))
}

fn find_pmars(given: Option<&Path>) -> Result<PathBuf> {
    if let Some(p) = given {
        return Ok(p.to_path_buf());
    }
    if let Some(p) = std::env::var_os("PMARS") {
        return Ok(PathBuf::from(p));
    }
    if let Some(paths) = std::env::var_os("PATH") {
        for dir in std::env::split_paths(&paths) {
            let p = dir.join("pmars");
            if p.is_file() {
                return Ok(p);
            }
        }
    }
    bail!("pMARS not found: pass --pmars PATH or set PMARS (build it with tools/build-pmars.sh)")
}

fn collect_warriors(pmars: &Path, given: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut sources = given.to_vec();
    if sources.is_empty() {
        if let Some(dir) = pmars.parent().map(|d| d.join("warriors"))
            && dir.is_dir()
        {
            sources.push(dir);
        }
        let examples = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../examples/corewar");
        if examples.is_dir() {
            sources.push(examples);
        }
    }
    let mut files = Vec::new();
    for s in sources {
        if s.is_dir() {
            let mut found: Vec<PathBuf> = std::fs::read_dir(&s)
                .with_context(|| format!("cannot read {}", s.display()))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "red"))
                .collect();
            found.sort();
            files.extend(found);
        } else {
            files.push(s);
        }
    }
    Ok(files)
}

fn name_of(p: &Path) -> String {
    p.file_name().map_or_else(
        || p.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// What to benchmark for BattleSnake.
#[derive(clap::Args, Debug)]
pub struct BattlesnakeBench {
    /// Games with in-process bots, for the engine's own speed.
    #[arg(long, default_value_t = 2000)]
    pub engine_games: u64,
    /// Games of two Python starter snakes through the sandboxed runner.
    #[arg(long, default_value_t = 100)]
    pub bot_games: u64,
    /// Runs of the bot games in each mode (bots alive for the round, a
    /// process per game), taken in turn; medians are printed.
    #[arg(long, default_value_t = 1)]
    pub repeat: u32,
}

pub fn battlesnake(args: &BattlesnakeBench) -> Result<()> {
    use arena_games::battlesnake::{BattleSnake, BattleSnakeSetup, RulesetName};
    use arena_games::engine::{Match, MatchRng};

    // 1. The engine alone: four in-process snakes on 11x11, one core.
    let names = ["a", "b", "c", "d"];
    let mut turns = 0u64;
    let mut policy_time = Duration::ZERO;
    let start = Instant::now();
    for game in 0..args.engine_games {
        let mut m = Match::<BattleSnake>::new(
            game,
            BattleSnakeSetup::new(RulesetName::Standard, 11, 11, &names),
        );
        let mut rng = MatchRng::new(game ^ 0x5eed);
        while !m.is_over() {
            let t = Instant::now();
            let actions = arena::games::battlesnake::safe_actions(&mut m, names.len(), &mut rng);
            policy_time += t.elapsed();
            m.step(actions);
            turns += 1;
        }
    }
    let total = start.elapsed();
    let engine = total.saturating_sub(policy_time);
    println!(
        "BattleSnake engine: {} games of 4 in-process snakes on 11x11 (standard), one core",
        args.engine_games
    );
    println!(
        "{:<34} {:>10} {:>12} {:>14}",
        "", "turns", "seconds", "turns/s"
    );
    println!(
        "{:<34} {:>10} {:>12.3} {:>14.0}",
        "engine (schedule, rules, frames)",
        turns,
        engine.as_secs_f64(),
        turns as f64 / engine.as_secs_f64().max(1e-9)
    );
    println!(
        "{:<34} {:>10} {:>12.3} {:>14.0}",
        "with the bots' requests built",
        turns,
        total.as_secs_f64(),
        turns as f64 / total.as_secs_f64().max(1e-9)
    );

    // 2. Real bots: the Python starters, sandboxed, alive for the round
    // (one process per player) and started for every game, in turn.
    let examples = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../examples/battlesnake");
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let modes = [
        ("bots alive for the round", "round"),
        ("a process per game", "game"),
    ];
    let mut walls: Vec<Vec<f64>> = vec![Vec::new(); modes.len()];
    for _ in 0..args.repeat.max(1) {
        for (k, (label, lifetime)) in modes.iter().enumerate() {
            let match_args = arena::matches::MatchArgs {
                game: "battlesnake".into(),
                codebases: vec![examples.join("food-seeker"), examples.join("safe-random")],
                sims: args.bot_games,
                seed: Some(1),
                jobs: Some(cores),
                json: true,
                set: vec![format!("bot_lifetime={lifetime}")],
                data_dir: "arena-data".into(),
            };
            let start = Instant::now();
            let summary = arena::matches::summary(&match_args, 1, cores)?;
            let wall = start.elapsed().as_secs_f64();
            walls[k].push(wall);
            println!(
                "{} games of the two Python starters (food-seeker vs safe-random), {label}, {cores} games at a time: {wall:.1} s; stop reasons: {}",
                args.bot_games,
                summary
                    .players
                    .iter()
                    .map(|p| format!("{} {:?}", p.name, p.stop_reasons))
                    .collect::<Vec<_>>()
                    .join("; ")
            );
        }
    }
    let medians: Vec<f64> = walls.into_iter().map(median).collect();
    println!(
        "\nmedian wall time: {:.1} s ({:.3} s a game) alive for the round, {:.1} s ({:.3} s a game) a process per game: {:.2}x",
        medians[0],
        medians[0] / args.bot_games.max(1) as f64,
        medians[1],
        medians[1] / args.bot_games.max(1) as f64,
        medians[1] / medians[0].max(1e-9)
    );
    println!("\nThe runner's own overhead per request: cargo bench -p arena-agents");
    Ok(())
}

/// What to benchmark for tournaments.
#[derive(clap::Args, Debug)]
pub struct TournamentBench {
    /// Core War simulations in the timed round (4 players).
    #[arg(long, default_value_t = 1000)]
    pub corewar_sims: u32,
    /// BattleSnake games in the timed round (2 Python starters).
    #[arg(long, default_value_t = 40)]
    pub battlesnake_sims: u32,
    /// Matches stored to time the store.
    #[arg(long, default_value_t = 1000)]
    pub stored: u32,
}

/// A round-0-only tournament config of static agents.
fn bench_config(game: &str, sims: u32, players: &[(&str, PathBuf)]) -> String {
    let mut text = format!(
        "name = \"bench-{game}\"\ngame = \"{game}\"\nrounds = 0\nsims = {sims}\nseed = 1\n"
    );
    for (name, path) in players {
        text.push_str(&format!(
            "[[players]]\nname = \"{name}\"\ncodebase = \"{}\"\n",
            path.display()
        ));
    }
    text
}

pub fn tournament(args: &TournamentBench) -> Result<()> {
    use arena::config::TournamentConfig;
    use arena::tournament::{RunOptions, run};
    let ex = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../examples");
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let corewar = bench_config(
        "corewar",
        args.corewar_sims,
        &["pebble", "cartwheel", "lantern", "tern"]
            .map(|n| (n, ex.join(format!("corewar/{n}.red")))),
    );
    let snakes = bench_config(
        "battlesnake",
        args.battlesnake_sims,
        &[
            ("food-seeker", ex.join("battlesnake/food-seeker")),
            ("safe-random", ex.join("battlesnake/safe-random")),
        ],
    );
    println!(
        "One competition phase (round 0), stored in a fresh SQLite file, whole `arena run` minus start-up"
    );
    println!(
        "{:<44} {:>6} {:>10} {:>10}",
        "round", "jobs", "seconds", "sims/s"
    );
    for (label, text, sims) in [
        (
            "Core War, 4 warriors, 1-round battles",
            &corewar,
            args.corewar_sims,
        ),
        (
            "BattleSnake, 2 Python starters, sandboxed",
            &snakes,
            args.battlesnake_sims,
        ),
    ] {
        let config = TournamentConfig::parse(text)?;
        for jobs in [1, cores] {
            let dir = tempfile::tempdir()?;
            let opts = RunOptions {
                data_dir: dir.path().to_path_buf(),
                jobs,
                progress: false,
                edit_deadline: Duration::from_secs(60),
                workers: None,
            };
            let start = Instant::now();
            run(&config, text, &opts)?;
            let t = start.elapsed();
            println!(
                "{label:<44} {jobs:>6} {:>10.2} {:>10.0}",
                t.as_secs_f64(),
                f64::from(sims) / t.as_secs_f64().max(1e-9)
            );
        }
    }

    // The store alone: matches with a Core War replay and with a
    // 100-turn BattleSnake replay.
    println!("\nStoring a finished match (result and replay, one transaction, WAL)");
    println!(
        "{:<44} {:>8} {:>12} {:>12}",
        "match", "matches", "us/match", "bytes/match"
    );
    for (label, frames) in [
        ("Core War (1 frame, re-simulable header)", 1usize),
        ("BattleSnake-sized (100 frames)", 100),
    ] {
        let dir = tempfile::tempdir()?;
        let mut store = arena::store::Store::open(dir.path())?;
        let t = store.tournament(
            "bench",
            "corewar",
            "1",
            1,
            "bench",
            arena_agents::protocol::TournamentState::Running,
        )?;
        let ids = store.players(
            t,
            &[
                ("a".into(), arena_agents::builtin::AgentKind::Static),
                ("b".into(), arena_agents::builtin::AgentKind::Static),
            ],
        )?;
        let frame = serde_json::json!({"turn": 1, "board": {"width": 11, "height": 11, "food": [{"x": 3, "y": 4}],
            "snakes": [{"id": "a", "body": [{"x": 1, "y": 1}, {"x": 1, "y": 2}, {"x": 1, "y": 3}], "health": 97},
                       {"id": "b", "body": [{"x": 8, "y": 8}, {"x": 8, "y": 7}, {"x": 8, "y": 6}], "health": 91}]}});
        let before = std::fs::metadata(store.path())
            .map(|m| m.len())
            .unwrap_or(0);
        let start = Instant::now();
        for sim in 0..args.stored {
            let header = arena_replays::ReplayHeader::new(
                "bench",
                "1",
                u64::from(sim),
                Vec::new(),
                serde_json::json!({}),
            );
            let frames: Vec<serde_json::Value> = (0..frames)
                .map(|turn| {
                    let mut f = frame.clone();
                    f["turn"] = turn.into();
                    f
                })
                .collect();
            store.put_match(
                t,
                &arena::store::FinishedMatch {
                    round: 0,
                    sim,
                    seed: u64::from(sim),
                    turns: frames.len() as u64,
                    players: ids
                        .iter()
                        .enumerate()
                        .map(|(seat, &player_id)| arena::store::MatchPlayer {
                            player_id,
                            seat: seat as u32,
                            placement: seat as u32 + 1,
                            score: 0.0,
                            reason: "won".into(),
                            stop: None,
                            stderr_tail: None,
                        })
                        .collect(),
                    replay: Some((header, frames)),
                },
            )?;
        }
        let t = start.elapsed();
        drop(store);
        let size: u64 = std::fs::read_dir(dir.path())?
            .filter_map(|e| e.ok().and_then(|e| e.metadata().ok()).map(|m| m.len()))
            .sum();
        println!(
            "{label:<44} {:>8} {:>12.0} {:>12}",
            args.stored,
            t.as_secs_f64() * 1e6 / f64::from(args.stored.max(1)),
            size.saturating_sub(before) / u64::from(args.stored.max(1))
        );
    }
    Ok(())
}

/// What to benchmark for Halite I.
#[derive(clap::Args, Debug)]
pub struct HaliteBench {
    /// The environment's binary (default: $HALITE; tools/build-halite.sh builds it).
    #[arg(long, value_name = "PATH")]
    pub halite: Option<PathBuf>,
    /// Games (seeds 1..=N), each played by the environment and by `arena halite`.
    #[arg(long, default_value_t = 250)]
    pub games: u32,
    /// The map's side (every game square, this size).
    #[arg(long, default_value_t = 30)]
    pub size: u16,
    /// Times the round is run by each (in turn, game by game); medians count.
    #[arg(long, default_value_t = 1)]
    pub repeat: u32,
    /// Also the Python starter (two of them), a second table row.
    #[arg(long)]
    pub python: bool,
    /// Skip the in-tournament path (`arena match --game halite`).
    #[arg(long)]
    pub no_match: bool,
}

/// `arena bench halite`: the same games (bots, seeds, size) through the
/// official environment and `arena halite`, as whole processes, one after
/// the other game by game, outputs and `.hlt` files checked identical; then
/// the same number of games through the arena's tournament path (`arena
/// match`: sandboxed bots, its own seeds, the same size).
pub fn halite(args: &HaliteBench) -> Result<()> {
    let env = match &args.halite {
        Some(p) => p.clone(),
        None => PathBuf::from(std::env::var_os("HALITE").context(
            "the environment's binary: pass --halite PATH or set HALITE (tools/build-halite.sh builds it)",
        )?),
    };
    let me = std::env::current_exe().context("cannot find the arena executable")?;
    let examples = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../examples/halite");
    let bots = tempfile::tempdir()?;
    let cbot = bots.path().join("cbot");
    let st = Command::new("cc")
        .args(["-O2", "-o"])
        .arg(&cbot)
        .arg(examples.join("c/main.c"))
        .arg("-lm")
        .status()
        .context("cc (to build the C starter)")?;
    if !st.success() {
        bail!("the C starter does not compile");
    }
    let mut kinds = vec![("C starter x2", cbot.display().to_string())];
    if args.python {
        kinds.push((
            "Python starter x2",
            format!("python3 {}", examples.join("python/main.py").display()),
        ));
    }
    let size = format!("{0} {0}", args.size);
    println!(
        "Halite I: {} games (seeds 1..={}), {}x{}, two bots; the environment and `arena halite -q` as whole \
         processes, game by game in turn, stdout and .hlt checked identical; wall seconds, median of {} run(s). \
         Bots included (the C starter is cheap, so the engine shows); a shared machine: figures are noisy.",
        args.games,
        args.games,
        args.size,
        args.size,
        args.repeat.max(1)
    );
    println!(
        "{:<20} {:>14} {:>14} {:>9} {:>14} {:>14}",
        "bots", "environment s", "arena s", "ratio", "env games/s", "arena games/s"
    );
    for (label, bot) in &kinds {
        let (mut theirs, mut ours) = (Vec::new(), Vec::new());
        for _ in 0..args.repeat.max(1) {
            let (mut t, mut o) = (Duration::ZERO, Duration::ZERO);
            for seed in 1..=args.games {
                let s = seed.to_string();
                let common = ["-q", "-d", size.as_str(), "-s", s.as_str(), bot, bot];
                let (out_env, hlt_env, te) = halite_game(&env, &[], &common)?;
                let (out_me, hlt_me, tm) = halite_game(&me, &["halite"], &common)?;
                if out_env != out_me || hlt_env != hlt_me {
                    bail!(
                        "seed {seed}: the outputs differ\nenvironment:\n{out_env}\narena:\n{out_me}"
                    );
                }
                t += te;
                o += tm;
            }
            theirs.push(t);
            ours.push(o);
        }
        let (t, o) = (median(theirs), median(ours));
        let g = f64::from(args.games);
        println!(
            "{:<20} {:>14.2} {:>14.2} {:>8.2}x {:>14.1} {:>14.1}",
            label,
            t.as_secs_f64(),
            o.as_secs_f64(),
            t.as_secs_f64() / o.as_secs_f64().max(1e-9),
            g / t.as_secs_f64().max(1e-9),
            g / o.as_secs_f64().max(1e-9)
        );
    }
    if !args.no_match {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        println!(
            "\nThe tournament path: `arena match --game halite --sims {}` with two C starters \
             (sandboxed; main.c built once, when validated), {}x{}, seed 1",
            args.games, args.size, args.size
        );
        for jobs in [1, cores] {
            let match_args = arena::matches::MatchArgs {
                game: "halite".into(),
                codebases: vec![examples.join("c"), examples.join("c")],
                sims: u64::from(args.games),
                seed: Some(1),
                jobs: Some(jobs),
                json: true,
                set: vec![
                    format!("width={}", args.size),
                    format!("height={}", args.size),
                ],
                data_dir: "arena-data".into(),
            };
            let start = Instant::now();
            arena::matches::summary(&match_args, 1, jobs)?;
            let wall = start.elapsed().as_secs_f64();
            println!(
                "{jobs} job(s): {wall:.1} s, {:.2} games/s",
                f64::from(args.games) / wall.max(1e-9)
            );
        }
    }
    Ok(())
}

/// One game in a fresh folder with `Replays/`: stdout (the replay's unix-time
/// id dropped), the `.hlt`'s bytes, the wall time.
fn halite_game(
    program: &Path,
    prefix: &[&str],
    args: &[&str],
) -> Result<(String, Vec<u8>, Duration)> {
    let dir = tempfile::tempdir()?;
    std::fs::create_dir(dir.path().join("Replays"))?;
    let start = Instant::now();
    let out = Command::new(program)
        .args(prefix)
        .args(args)
        .current_dir(dir.path())
        .output()
        .with_context(|| format!("cannot run {}", program.display()))?;
    let wall = start.elapsed();
    if !out.status.success() {
        bail!("{} failed ({})", program.display(), out.status);
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let text = text
        .split('\n')
        .map(|l| match l.split_once("/Replays/") {
            Some((a, b)) => format!("{a}/Replays/{}", b.split_once('-').map_or(b, |x| x.1)),
            None => l.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n");
    let mut hlt = Vec::new();
    for e in std::fs::read_dir(dir.path().join("Replays"))?.flatten() {
        hlt = std::fs::read(e.path())?;
    }
    Ok((text, hlt, wall))
}
