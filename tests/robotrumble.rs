//! RobotRumble end to end: CodeClash `robot.py` bots, unchanged, through the
//! adapter in the sandbox; a program that fails as a whole loses the game
//! with the documented cause, a unit that raises only loses its action, and
//! a tournament stores and replays its games.

use crate::util::{arena, lost_both, match_json, one_file_codebase, repo, stdout_of_success};

/// A RobotRumble codebase in a fresh folder holding `file` with `source`.
fn bot_file(name: &str, file: &str, source: &str) -> std::path::PathBuf {
    one_file_codebase(&format!("rumble-{name}"), file, source)
}

fn bot(name: &str, source: &str) -> std::path::PathBuf {
    bot_file(name, "robot.py", source)
}

/// `arena match --game robotrumble` as JSON (2 games, seed 4).
fn play(a: &std::path::Path, b: &std::path::Path, extra: &[&str]) -> serde_json::Value {
    match_json("robotrumble", a, b, extra)
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
fn a_robot_js_plays_the_same_games_as_the_same_robot_py() {
    let centre = repo("examples/robotrumble/centre");
    let py = play(
        &repo("examples/robotrumble/chaser"),
        &centre,
        &["--sims", "3"],
    );
    let js = play(
        &crate::util::data("robotrumble/bots/chaser-js"),
        &centre,
        &["--sims", "3"],
    );
    for seat in 0..2 {
        for key in [
            "wins",
            "draws",
            "losses",
            "score",
            "placements",
            "stop_reasons",
        ] {
            assert_eq!(
                py["players"][seat][key], js["players"][seat][key],
                "{key}: {py} {js}"
            );
        }
    }
}

#[test]
fn javascript_robots_are_refused_clearly_without_node() {
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
        .env("PATH", "/nonexistent")
        .output()
        .expect("run arena");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("robot.js") && err.contains("Node.js"), "{err}");
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

#[test]
fn the_example_tournament_stores_every_game_with_a_replay_of_every_turn() {
    let dir = tempfile::tempdir().expect("tempdir");
    let config = dir.path().join("robotrumble.toml");
    let text = std::fs::read_to_string(repo("examples/tournaments/robotrumble.toml"))
        .expect("the example tournament")
        .replace("rounds = 3", "rounds = 1")
        .replace("sims = 20", "sims = 2")
        .replace(
            "../robotrumble/",
            &format!("{}/", repo("examples/robotrumble").display()),
        );
    std::fs::write(&config, text).expect("write config");
    let data = dir.path().join("data");
    let out = arena()
        .arg("run")
        .arg(&config)
        .arg("--data-dir")
        .arg(&data)
        .arg("--json")
        .output()
        .expect("run arena");
    stdout_of_success(&out);
    let conn = rusqlite::Connection::open(data.join("arena.sqlite")).expect("open db");
    let games: i64 = conn
        .query_row("SELECT COUNT(*) FROM matches", [], |r| r.get(0))
        .expect("count");
    assert_eq!(games, 4, "two rounds of two games");
    let id: i64 = conn
        .query_row("SELECT MIN(match_id) FROM replays", [], |r| r.get(0))
        .expect("a replay");
    let export = arena()
        .args(["replay", "export", &id.to_string(), "--data-dir"])
        .arg(&data)
        .output()
        .expect("replay export");
    let replay: serde_json::Value =
        serde_json::from_str(&stdout_of_success(&export)).expect("export JSON");
    assert_eq!(
        replay["header"]["game"], "robotrumble",
        "{}",
        replay["header"]
    );
    let frames = replay["frames"].as_array().expect("frames");
    assert_eq!(frames.len(), 100);
    assert_eq!(frames[0]["turn"], 2);
    assert!(frames[99]["ending"]["by"] == "units", "{}", frames[99]);
    let show = arena()
        .args([
            "replay",
            "show",
            &id.to_string(),
            "--turn",
            "50",
            "--data-dir",
        ])
        .arg(&data)
        .output()
        .expect("replay show");
    let frame: serde_json::Value =
        serde_json::from_str(&stdout_of_success(&show)).expect("frame JSON");
    assert_eq!(frame["turn"], 52, "{frame}");
}
