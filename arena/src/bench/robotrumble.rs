//! `arena bench robotrumble`: a CodeClash round (250 simulations) of the
//! same two `robot.py` bots played by the arena and by the reference
//! engine's `rumblebot` CLI, in one run, with the same number of games at a
//! time, as CodeClash runs it (`rumblebot run term` per simulation, in a
//! thread pool). The arena's games are sandboxed; rumblebot's run its
//! robots as `command:python3 rumblelib.py robot.py` (upstream's Python
//! API under CPython; tools/build-rumblebot.sh says why).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use anyhow::{Context, Result, bail};

/// What to benchmark.
#[derive(clap::Args, Debug)]
pub struct RobotRumbleBench {
    /// The rumblebot binary (default: $RUMBLEBOT, else /work/rumblebot/rumblebot).
    #[arg(long, value_name = "PATH")]
    pub rumblebot: Option<PathBuf>,
    /// upstream's rumblelib.py (default: beside the rumblebot binary).
    #[arg(long, value_name = "PATH")]
    pub rumblelib: Option<PathBuf>,
    /// Simulations per engine (CodeClash plays 250 a round).
    #[arg(long, default_value_t = 250)]
    pub sims: u64,
    /// Games at a time, for both (default: all cores).
    #[arg(long)]
    pub jobs: Option<usize>,
    /// The two codebases (folders with robot.py; default: the starters).
    #[arg(value_name = "CODEBASE")]
    pub codebases: Vec<PathBuf>,
}

/// One engine's round: wall seconds and each bot's wins, draws.
struct Round {
    seconds: f64,
    wins: [u64; 2],
    draws: u64,
    failed: u64,
}

pub fn run(args: &RobotRumbleBench) -> Result<()> {
    let examples = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../examples/robotrumble");
    let bots: Vec<PathBuf> = if args.codebases.is_empty() {
        vec![examples.join("chaser"), examples.join("centre")]
    } else {
        args.codebases.clone()
    };
    let [a, b] = <[PathBuf; 2]>::try_from(bots)
        .map_err(|v| anyhow::anyhow!("give two codebases, not {}", v.len()))?;
    let rumblebot = args
        .rumblebot
        .clone()
        .or_else(|| std::env::var_os("RUMBLEBOT").map(PathBuf::from))
        .unwrap_or_else(|| PathBuf::from("/work/rumblebot/rumblebot"));
    let rumblelib = args
        .rumblelib
        .clone()
        .unwrap_or_else(|| rumblebot.with_file_name("rumblelib.py"));
    if !rumblebot.exists() || !rumblelib.exists() {
        bail!(
            "no {} or {}: build the reference with tools/build-rumblebot.sh, or name them with --rumblebot/--rumblelib",
            rumblebot.display(),
            rumblelib.display()
        );
    }
    let jobs = args
        .jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let name = |p: &Path| {
        p.file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
    };
    println!(
        "RobotRumble: {} simulations of {} vs {} per engine, {} at a time, colours alternating",
        args.sims,
        name(&a),
        name(&b),
        jobs
    );

    let ours = arena_round(&a, &b, args.sims, jobs)?;
    let theirs = rumblebot_round(&rumblebot, &rumblelib, &a, &b, args.sims, jobs)?;

    println!(
        "{:<28} {:>8} {:>10} {:>10} {:>8} {:>8} {:>7} {:>7}",
        "engine",
        "sims",
        "wall s",
        "sims/s",
        &name(&a)[..name(&a).len().min(8)],
        &name(&b)[..name(&b).len().min(8)],
        "draws",
        "failed"
    );
    for (label, r) in [
        ("arena (sandboxed)", &ours),
        ("rumblebot run term", &theirs),
    ] {
        println!(
            "{:<28} {:>8} {:>10.1} {:>10.2} {:>8} {:>8} {:>7} {:>7}",
            label,
            args.sims,
            r.seconds,
            args.sims as f64 / r.seconds.max(1e-9),
            r.wins[0],
            r.wins[1],
            r.draws,
            r.failed
        );
    }
    println!(
        "arena / rumblebot wall time: {:.2}x (spawns differ: each draws them from its own seed)",
        ours.seconds / theirs.seconds.max(1e-9)
    );
    Ok(())
}

/// The arena's round, through `arena match`'s own code.
fn arena_round(a: &Path, b: &Path, sims: u64, jobs: usize) -> Result<Round> {
    let match_args = arena::matches::MatchArgs {
        game: "robotrumble".into(),
        codebases: vec![a.to_path_buf(), b.to_path_buf()],
        sims,
        seed: Some(1),
        jobs: Some(jobs),
        json: true,
        set: Vec::new(),
        data_dir: "arena-data".into(),
    };
    let start = Instant::now();
    let summary = arena::matches::summary(&match_args, 1, jobs)?;
    let seconds = start.elapsed().as_secs_f64();
    let p = &summary.players;
    let failed = p
        .iter()
        .map(|p| {
            p.eliminations
                .as_ref()
                .map_or(0, |e| e.values().sum::<u64>())
        })
        .sum();
    Ok(Round {
        seconds,
        wins: [p[0].wins, p[1].wins],
        draws: p[0].draws,
        failed,
    })
}

/// The reference's round: one `rumblebot run term --raw` per simulation,
/// `jobs` at a time; `a` plays Blue in even games, Red in odd ones.
fn rumblebot_round(
    rumblebot: &Path,
    rumblelib: &Path,
    a: &Path,
    b: &Path,
    sims: u64,
    jobs: usize,
) -> Result<Round> {
    let next = AtomicU64::new(0);
    let tally = Mutex::new(Round {
        seconds: 0.0,
        wins: [0, 0],
        draws: 0,
        failed: 0,
    });
    let errors: Mutex<Vec<String>> = Mutex::new(Vec::new());
    let command = |bot: &Path| {
        format!(
            "command:python3 {} {}",
            rumblelib.display(),
            bot.join("robot.py").display()
        )
    };
    let start = Instant::now();
    std::thread::scope(|s| {
        for _ in 0..jobs.max(1) {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= sims {
                        break;
                    }
                    let (blue, red) = if i.is_multiple_of(2) { (a, b) } else { (b, a) };
                    let out = Command::new(rumblebot)
                        .args(["run", "term", "--raw", "--seed", &format!("bench-{i}")])
                        .arg(command(blue))
                        .arg(command(red))
                        .output();
                    let winner = out.context("run rumblebot").and_then(|o| {
                        if !o.status.success() {
                            bail!("rumblebot failed: {}", String::from_utf8_lossy(&o.stderr));
                        }
                        let v: serde_json::Value = serde_json::from_slice(&o.stdout)
                            .context("rumblebot --raw printed no JSON")?;
                        let failed = v["errors"].as_object().is_some_and(|e| !e.is_empty());
                        Ok((v["winner"].as_str().map(str::to_string), failed))
                    });
                    let Ok(mut t) = tally.lock() else { break };
                    match winner {
                        Ok((w, failed)) => {
                            t.failed += u64::from(failed);
                            let a_is_blue = i.is_multiple_of(2);
                            match w.as_deref() {
                                Some("Blue") => t.wins[usize::from(!a_is_blue)] += 1,
                                Some("Red") => t.wins[usize::from(a_is_blue)] += 1,
                                _ => t.draws += 1,
                            }
                        }
                        Err(e) => {
                            if let Ok(mut errs) = errors.lock() {
                                errs.push(format!("{e:#}"));
                            }
                        }
                    }
                }
            });
        }
    });
    let seconds = start.elapsed().as_secs_f64();
    if let Some(e) = errors.lock().ok().and_then(|e| e.first().cloned()) {
        bail!("rumblebot: {e}");
    }
    let mut t = tally
        .into_inner()
        .map_err(|_| anyhow::anyhow!("a rumblebot thread panicked"))?;
    t.seconds = seconds;
    Ok(t)
}
