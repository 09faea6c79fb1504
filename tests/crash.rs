//! Crashes at every step a resume relies on: `arena run` aborted at named
//! points (`ARENA_FAULT`, debug builds) and SIGKILLed at random moments,
//! then rerun; every table must equal an uninterrupted run's.
//!
//! The full kill loop is long: `cargo test -- --ignored kill`.

use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use crate::arena_run::{corewar_config, count, dump, run, succeed};

/// A small seeded generator (SplitMix64), so a failing loop can be rerun
/// with the same moments.
pub(crate) struct SplitMix(pub u64);

impl SplitMix {
    pub(crate) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0).
    pub(crate) fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// How far a run got: every row a resume reuses (submissions, matches,
/// finished rounds, ratings).
const PROGRESS: &str = "SELECT (SELECT COUNT(*) FROM submissions) + (SELECT COUNT(*) FROM matches) \
     + (SELECT COUNT(*) FROM rounds) + (SELECT COUNT(*) FROM ratings)";

/// The run aborts at `fault`; the rerun without it must store what an
/// uninterrupted run stores.
fn abort_at(config: &Path, whole: &str, fault: &str) {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    let out = run(config, &data)
        .env("ARENA_FAULT", fault)
        .output()
        .expect("run arena");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success() && stderr.contains("aborting after"),
        "ARENA_FAULT={fault} did not fire: {:?}\n{stderr}",
        out.status
    );
    succeed(&mut run(config, &data));
    assert_eq!(
        dump(&data),
        whole,
        "aborted at {fault}, the resumed tournament differs"
    );
}

#[test]
fn a_run_aborted_between_a_rounds_winner_and_its_ratings_resumes_whole() {
    let dir = tempfile::tempdir().expect("tempdir");
    let config = corewar_config(dir.path(), 2, 12);
    let whole = dir.path().join("whole");
    succeed(&mut run(&config, &whole));
    let whole = dump(&whole);
    // Where `finish_round` and `rate_round` used to commit apart: the
    // winner is written, its ratings not yet. Round 1's (the 2nd).
    abort_at(&config, &whole, "after:finish-round.winner#2");
}

#[test]
fn a_run_aborted_at_each_step_a_resume_relies_on_resumes_whole() {
    let dir = tempfile::tempdir().expect("tempdir");
    let config = corewar_config(dir.path(), 2, 12);
    let whole = dir.path().join("whole");
    succeed(&mut run(&config, &whole));
    let whole = dump(&whole);
    for fault in [
        "after:tournament.created",
        "after:submission#2",
        "after:submission#5",
        "after:match#13",
        "after:round#1",
        "after:finish-tournament.ratings",
    ] {
        abort_at(&config, &whole, fault);
    }
}

/// `arena run` SIGKILLed `kills` times at random moments (a random count
/// of stored rows reached), over fresh tournaments of `per_tournament`
/// kills each; every table must equal an uninterrupted run's. Returns the
/// kills that landed (a run can end before its moment comes).
fn kill_loop(kills: u32, per_tournament: u32, sims: u32, seed: u64) -> u32 {
    let dir = tempfile::tempdir().expect("tempdir");
    let config = corewar_config(dir.path(), 2, sims);
    let whole_dir = dir.path().join("whole");
    succeed(&mut run(&config, &whole_dir));
    let whole = dump(&whole_dir);
    let end = count(&whole_dir, PROGRESS) as u64;
    let mut rng = SplitMix(seed);
    let mut landed = 0;
    let mut tournament = 0;
    while landed < kills {
        tournament += 1;
        let data = dir.path().join(format!("t{tournament}"));
        for _ in 0..per_tournament {
            let target = rng.below(end) as i64;
            let mut child = run(&config, &data)
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("spawn arena");
            let start = Instant::now();
            while count(&data, PROGRESS) < target && child.try_wait().expect("poll").is_none() {
                assert!(start.elapsed() < Duration::from_secs(300), "no progress");
                std::thread::sleep(Duration::from_millis(2));
            }
            if child.try_wait().expect("poll").is_none() {
                child.kill().expect("SIGKILL");
                landed += 1;
            }
            let _ = child.wait();
        }
        succeed(&mut run(&config, &data));
        assert_eq!(
            dump(&data),
            whole,
            "tournament {tournament} (seed {seed}) differs after its kills"
        );
        std::fs::remove_dir_all(&data).expect("clean up");
    }
    eprintln!("{landed} kills over {tournament} tournaments, every table identical");
    landed
}

#[test]
fn arena_run_killed_10_times_at_random_moments_stores_what_an_uninterrupted_run_does() {
    assert!(kill_loop(10, 5, 30, 17) >= 10);
}

#[test]
#[ignore = "long (minutes): 100 kills; run with `cargo test -- --ignored kill`"]
fn kill_arena_run_100_times() {
    assert!(kill_loop(100, 5, 60, 2025) >= 100);
}
