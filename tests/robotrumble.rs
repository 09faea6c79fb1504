//! RobotRumble end to end: CodeClash `robot.py` bots, unchanged, through the
//! adapter in the sandbox; a program that fails as a whole loses the game
//! with the documented cause, a unit that raises only loses its action, and
//! a tournament stores and replays its games.

use crate::util::{arena, repo, stdout_of_success};

/// A RobotRumble codebase in a fresh folder holding `file` with `source`.
fn bot_file(name: &str, file: &str, source: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("arena-rumble-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    std::fs::write(dir.join(file), source).expect("write bot");
    dir
}

fn bot(name: &str, source: &str) -> std::path::PathBuf {
    bot_file(name, "robot.py", source)
}

/// `arena match --game robotrumble` as JSON (2 games, seed 4).
fn play(a: &std::path::Path, b: &std::path::Path, extra: &[&str]) -> serde_json::Value {
    let sims = if extra.contains(&"--sims") {
        &[][..]
    } else {
        &["--sims", "2"][..]
    };
    let out = arena()
        .args(["match", "--game", "robotrumble", "--seed", "4", "--json"])
        .args(sims)
        .args(extra)
        .arg(a)
        .arg(b)
        .output()
        .expect("run arena");
    serde_json::from_str(&stdout_of_success(&out)).expect("arena match --json prints JSON")
}

/// The bot in seat 0 lost both games with `cause`; its opponent won both.
fn lost_both(v: &serde_json::Value, cause: &str) {
    let p = &v["players"];
    assert_eq!(p[0]["losses"].as_u64(), Some(2), "{v}");
    assert_eq!(p[1]["wins"].as_u64(), Some(2), "{v}");
    assert_eq!(p[0]["eliminations"][cause].as_u64(), Some(2), "{v}");
}

#[test]
fn a_program_that_fails_as_a_whole_loses_with_its_cause() {
    let chaser = repo("examples/robotrumble/chaser");
    let cases = [
        (
            "syntax",
            "def robot(state, unit)\n    return None\n",
            "init-error",
        ),
        (
            "norobot",
            "def act(state, unit):\n    return None\n# robot missing\n",
            "init-error",
        ),
        ("arity", "def robot(unit):\n    return None\n", "init-error"),
        (
            "initraises",
            "def init_turn(state):\n    raise RuntimeError('no plan')\ndef robot(state, unit):\n    return None\n",
            "init-error",
        ),
        (
            "exits",
            "import os\ndef robot(state, unit):\n    os._exit(3)\n",
            "crashed",
        ),
    ];
    for (name, source, cause) in cases {
        let v = play(&bot(name, source), &chaser, &[]);
        lost_both(&v, cause);
    }
}

#[test]
fn a_program_past_the_turn_limit_loses_on_time() {
    let chaser = repo("examples/robotrumble/chaser");
    let slow = bot(
        "slow",
        "import time\ndef robot(state, unit):\n    if state.turn == 3:\n        time.sleep(30)\n    return None\n",
    );
    let v = play(&slow, &chaser, &["--set", "turn_timeout_ms=300"]);
    lost_both(&v, "timeout");
    assert_eq!(
        v["players"][0]["stop_reasons"]["timeout"].as_u64(),
        Some(2),
        "{v}"
    );
}

#[test]
fn a_unit_that_raises_loses_only_its_action_and_prints_stay_off_the_protocol() {
    // Every unit raises or prints; the team plays all 100 turns anyway and
    // loses on units, not by failing.
    let flaky = bot(
        "flaky",
        "print('loading')\ndef robot(state, unit):\n    print('unit', unit.id)\n    if int(unit.id) % 2:\n        raise ValueError('odd')\n    return None\n",
    );
    let chaser = repo("examples/robotrumble/chaser");
    let v = play(&flaky, &chaser, &[]);
    let p = &v["players"];
    for seat in 0..2 {
        assert_eq!(
            p[seat]["eliminations"].as_object().map(|m| m.len()),
            Some(0),
            "{v}"
        );
        assert_eq!(p[seat]["stop_reasons"]["exited"].as_u64(), Some(2), "{v}");
    }
    assert_eq!(p[1]["wins"].as_u64(), Some(2), "{v}");
}

#[test]
fn javascript_robots_are_refused_clearly() {
    let js = bot_file(
        "js",
        "robot.js",
        "function robot(state, unit) { return null }\n",
    );
    let chaser = repo("examples/robotrumble/chaser");
    let out = arena()
        .args(["match", "--game", "robotrumble", "--sims", "1"])
        .arg(&js)
        .arg(&chaser)
        .output()
        .expect("run arena");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("robot.js") && err.contains("robot.py"),
        "{err}"
    );
}

#[test]
fn the_starters_play_and_the_same_seed_plays_the_same_games() {
    let chaser = repo("examples/robotrumble/chaser");
    let centre = repo("examples/robotrumble/centre");
    let first = play(&chaser, &centre, &["--sims", "4"]);
    let again = play(&chaser, &centre, &["--sims", "4"]);
    assert_eq!(first, again);
    let p = &first["players"];
    let decided: u64 = (0..2)
        .map(|s| p[s]["wins"].as_u64().unwrap_or(0) + p[s]["draws"].as_u64().unwrap_or(0))
        .sum();
    assert!(decided >= 4, "{first}");
}
