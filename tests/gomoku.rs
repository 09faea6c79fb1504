//! Gomoku end to end: CodeClash `main.py` bots, unchanged, through the
//! adapter in the sandbox; each way a bot can fail becomes its loss with
//! the documented cause, and a tournament stores and replays its games.

use crate::util::{arena, lost_both, match_json, one_file_codebase, repo, stdout_of_success};

/// A Gomoku codebase in a fresh folder holding one `main.py`.
fn bot(name: &str, source: &str) -> std::path::PathBuf {
    one_file_codebase(&format!("gomoku-{name}"), "main.py", source)
}

/// `arena match --game gomoku` as JSON (2 games, seed 4).
fn play(a: &std::path::Path, b: &std::path::Path, extra: &[&str]) -> serde_json::Value {
    match_json("gomoku", a, b, extra)
}

/// Plays the first empty cell, row by row.
const FIRST_EMPTY: &str = "
def get_move(board, color):
    for r, row in enumerate(board):
        for c, v in enumerate(row):
            if v == 0:
                return (r, c)
";

#[test]
fn each_way_a_bot_fails_loses_with_its_cause() {
    let good = bot("good", FIRST_EMPTY);
    let cases = [
        (
            "syntax",
            "def get_move(board, color)\n    return (0, 0)\n",
            "load-failed",
        ),
        (
            "nofunction",
            "def choose(board, color):\n    return (0, 0)\n# get_move is missing\n",
            "load-failed",
        ),
        (
            "badreturn",
            "def get_move(board, color):\n    return 'seven'\n",
            "malformed-answer",
        ),
        (
            "raises",
            "def get_move(board, color):\n    raise RuntimeError('no idea')\n",
            "exception",
        ),
        (
            "occupied",
            "def get_move(board, color):\n    return (7, 7) if board[7][7] == 0 else (7, 7)\n",
            "occupied-cell",
        ),
        (
            "offboard",
            "def get_move(board, color):\n    return (15, 0)\n",
            "off-board",
        ),
    ];
    for (name, source, cause) in cases {
        let v = play(&bot(name, source), &good, &[]);
        // A bot that only moves once can still win nothing: the occupied
        // bot's first stone is legal, its second is not.
        lost_both(&v, cause);
    }
}

#[test]
fn a_bot_past_the_move_limit_loses_on_time() {
    let good = bot("good-t", FIRST_EMPTY);
    let slow = bot(
        "slow",
        "import time\ndef get_move(board, color):\n    time.sleep(30)\n    return (0, 0)\n",
    );
    let v = play(&slow, &good, &["--set", "move_timeout_ms=300"]);
    lost_both(&v, "timeout");
    assert_eq!(
        v["players"][0]["stop_reasons"]["timeout"].as_u64(),
        Some(2),
        "{v}"
    );
}

#[test]
fn printing_to_stdout_does_not_break_the_protocol() {
    let chatty = bot(
        "chatty",
        "print('hello from import')\ndef get_move(board, color):\n    print('thinking', color)\n    for r, row in enumerate(board):\n        for c, v in enumerate(row):\n            if v == 0:\n                return (r, c)\n",
    );
    let good = bot("good-p", FIRST_EMPTY);
    let v = play(&chatty, &good, &[]);
    let p = &v["players"];
    // The two play the same moves: each game is decided on the board.
    for seat in 0..2 {
        assert_eq!(
            p[seat]["eliminations"].as_object().map(|m| m.len()),
            Some(0),
            "{v}"
        );
        assert_eq!(p[seat]["stop_reasons"]["exited"].as_u64(), Some(2), "{v}");
    }
    assert_eq!(
        p[0]["wins"].as_u64().unwrap_or(0) + p[1]["wins"].as_u64().unwrap_or(0),
        2,
        "{v}"
    );
}

#[test]
fn a_codebase_without_main_py_is_refused_with_what_to_do() {
    let empty = std::env::temp_dir().join(format!("arena-gomoku-empty-{}", std::process::id()));
    std::fs::create_dir_all(&empty).expect("temp dir");
    std::fs::write(empty.join("bot.py"), "").expect("write");
    let good = bot("good-e", FIRST_EMPTY);
    let out = arena()
        .args(["match", "--game", "gomoku", "--sims", "1"])
        .arg(&empty)
        .arg(&good)
        .output()
        .expect("run arena");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("main.py") && err.contains("get_move"), "{err}");
}

#[test]
fn the_starters_play_and_the_same_seed_plays_the_same_games() {
    let greedy = repo("examples/gomoku/greedy");
    let random = repo("examples/gomoku/random");
    let first = play(&greedy, &random, &["--sims", "10"]);
    let again = play(&greedy, &random, &["--sims", "10"]);
    assert_eq!(first, again);
    let p = &first["players"];
    assert!(
        p[0]["wins"].as_u64() >= Some(8),
        "greedy beats random: {first}"
    );
}

#[test]
fn a_tournament_stores_every_game_with_its_replay_and_colours_from_the_seed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let config = dir.path().join("gomoku.toml");
    let text = std::fs::read_to_string(repo("examples/tournaments/gomoku.toml"))
        .expect("the example tournament")
        .replace("rounds = 3", "rounds = 1")
        .replace("sims = 50", "sims = 6")
        .replace(
            "../gomoku/",
            &format!("{}/", repo("examples/gomoku").display()),
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
    assert_eq!(games, 12, "two rounds of six games");
    // Who played black: seat 0's first stone opens every game's replay.
    let mut black = std::collections::BTreeSet::new();
    let mut stmt = conn
        .prepare("SELECT match_id FROM replays ORDER BY match_id")
        .expect("query");
    let ids: Vec<i64> = stmt
        .query_map([], |r| r.get(0))
        .expect("rows")
        .collect::<Result<_, _>>()
        .expect("ids");
    for id in ids {
        let show = arena()
            .args([
                "replay",
                "show",
                &id.to_string(),
                "--turn",
                "0",
                "--data-dir",
            ])
            .arg(&data)
            .output()
            .expect("replay show");
        let frame: serde_json::Value =
            serde_json::from_str(&stdout_of_success(&show)).expect("frame JSON");
        assert_eq!(frame["last"]["stone"], "black", "{frame}");
        let seat = frame["last"]["seat"].as_u64().expect("seat");
        let header = arena()
            .args(["replay", "export", &id.to_string(), "--data-dir"])
            .arg(&data)
            .output()
            .expect("replay export");
        let export: serde_json::Value =
            serde_json::from_str(&stdout_of_success(&header)).expect("export JSON");
        let players = &export["header"]["players"];
        black.insert(
            players[seat as usize]["name"]
                .as_str()
                .unwrap_or("")
                .to_string(),
        );
    }
    assert_eq!(black.len(), 2, "both players played black: {black:?}");
}
