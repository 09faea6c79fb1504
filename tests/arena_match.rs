//! `arena match`: local runs of codebases against each other.

use crate::util::{arena, data};

fn json_run(args: &[&str]) -> serde_json::Value {
    let out = arena()
        .arg("match")
        .args(args)
        .arg("--json")
        .output()
        .expect("run arena");
    assert!(
        out.status.success(),
        "arena match failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("arena match --json prints JSON")
}

#[test]
fn corewar_match_is_reproducible_and_adds_up() {
    let imp = data("corewar/warriors/imp.red");
    let dwarf = data("corewar/warriors/dwarf.red");
    let paper = data("corewar/warriors/paper-silk.red");
    let files = [imp.to_str(), dwarf.to_str(), paper.to_str()].map(|p| p.expect("utf-8 path"));
    let args = [
        "--game", "corewar", "--sims", "60", "--seed", "11", files[0], files[1], files[2],
    ];
    let first = json_run(&args);
    let again = json_run(&args);
    assert_eq!(first, again, "same seed, same results");
    let players = first["players"].as_array().expect("players");
    assert_eq!(players.len(), 3);
    for p in players {
        let n = |k: &str| p[k].as_u64().expect("count");
        assert_eq!(n("wins") + n("draws") + n("losses"), 60, "{p}");
        let placed: u64 = p["placements"]
            .as_array()
            .expect("placements")
            .iter()
            .filter_map(|v| v.as_u64())
            .sum();
        assert_eq!(placed, 60, "{p}");
        assert_eq!(p["stop_reasons"]["killed"].as_u64(), Some(n("losses")));
        assert_eq!(p["hash"].as_str().map(str::len), Some(64));
    }
    // One thread or several, the same rounds are played.
    let mut one = args.to_vec();
    one.extend(["--jobs", "1"]);
    assert_eq!(json_run(&one)["players"], first["players"]);
}

#[test]
fn corewar_match_rejects_a_bad_warrior_with_its_line() {
    let dir = std::env::temp_dir().join(format!("arena-bad-warrior-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    std::fs::write(
        dir.join("warrior.red"),
        ";redcode-94\n;name Bad\nstart MOVE 0, 1\n",
    )
    .expect("write");
    let imp = data("corewar/warriors/imp.red");
    let out = arena()
        .args(["match", "--game", "corewar", "--sims", "5"])
        .arg(&dir)
        .arg(&imp)
        .output()
        .expect("run arena");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("warrior.red line 3"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}

/// A codebase in a fresh folder holding one `main.py`.
fn python_bot(name: &str, source: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("arena-bot-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    std::fs::write(dir.join("main.py"), source).expect("write bot");
    dir
}

/// An HTTP bot (Python, standard library) that answers `GET /` with `{}`
/// and runs `on_post` (Python, with `self` the handler and `self._send`)
/// for every POST.
fn http_bot(name: &str, on_post: &str) -> std::path::PathBuf {
    python_bot(
        name,
        &format!(
            r#"
import os, time
from http.server import BaseHTTPRequestHandler, HTTPServer
class H(BaseHTTPRequestHandler):
    def _send(self, body):
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def do_GET(self): self._send(b'{{}}')
    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        {on_post}
    def log_message(self, *a): pass
HTTPServer(("127.0.0.1", int(os.environ["PORT"])), H).serve_forever()
"#
        ),
    )
}

#[test]
fn battlesnake_starters_play_and_the_totals_add_up() {
    let seeker = crate::util::repo("examples/battlesnake/food-seeker");
    let random = crate::util::repo("examples/battlesnake/safe-random");
    let files = [seeker.to_str(), random.to_str()].map(|p| p.expect("utf-8 path"));
    let v = json_run(&[
        "--game",
        "battlesnake",
        "--sims",
        "3",
        "--seed",
        "5",
        files[0],
        files[1],
    ]);
    let players = v["players"].as_array().expect("players");
    assert_eq!(players.len(), 2);
    for p in players {
        let n = |k: &str| p[k].as_u64().expect("count");
        assert_eq!(n("wins") + n("draws") + n("losses"), 3, "{p}");
        // Both starters answer every request: each game ends with the bot
        // still running, stopped by the arena.
        assert_eq!(p["stop_reasons"]["ended"].as_u64(), Some(3), "{p}");
    }
}

#[test]
fn battlesnake_bad_bots_are_stopped_with_their_reason_and_the_game_goes_on() {
    // Answers GET / (so it starts) but sends garbage to /move.
    let garbage = http_bot(
        "garbage",
        "self._send(b'not json at all' if self.path == '/move' else b'{}')",
    );
    // Starts, then never answers a move in time.
    let sleeper = http_bot(
        "sleeper",
        "time.sleep(5 if self.path == '/move' else 0); self._send(b'{\"move\": \"up\"}')",
    );
    let seeker = crate::util::repo("examples/battlesnake/food-seeker");
    let paths =
        [garbage.to_str(), sleeper.to_str(), seeker.to_str()].map(|p| p.expect("utf-8 path"));
    let started = std::time::Instant::now();
    let v = json_run(&[
        "--game",
        "battlesnake",
        "--sims",
        "1",
        "--seed",
        "9",
        "--set",
        "timeout_ms=300",
        paths[0],
        paths[1],
        paths[2],
    ]);
    let players = v["players"].as_array().expect("players");
    assert_eq!(
        players[0]["stop_reasons"]["protocol-error"].as_u64(),
        Some(1),
        "{v}"
    );
    // A late HTTP snake misses turns (the default move), as upstream, and
    // is asked again each turn.
    assert_eq!(players[1]["stop_reasons"]["ended"].as_u64(), Some(1), "{v}");
    assert!(players[1]["late_moves"].as_u64() >= Some(1), "{v}");
    assert_eq!(players[2]["stop_reasons"]["ended"].as_u64(), Some(1), "{v}");
    // Someone finished first: the stopped bots' snakes went on with
    // default moves until the game ended.
    let firsts: u64 = players
        .iter()
        .filter_map(|p| p["placements"][0].as_u64())
        .sum();
    assert!(firsts >= 1, "{v}");
    assert!(
        started.elapsed() < std::time::Duration::from_secs(60),
        "took {:?}",
        started.elapsed()
    );
}

#[test]
fn a_round_long_bot_that_crashes_in_one_game_loses_that_game_only() {
    // Serves every game of the run from one process, and dies on turn 3
    // of game `sim-1`; the next game gets a new process.
    let crasher = python_bot("crasher", "");
    let crasher_src = r#"
import json, os
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
class H(BaseHTTPRequestHandler):
    def _send(self, body):
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def do_GET(self): self._send(b'{}')
    def do_POST(self):
        req = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))))
        if self.path == '/move' and req["game"]["id"] == "sim-1" and req["turn"] == 3:
            os._exit(7)
        self._send(b'{"move": "up"}')
    def log_message(self, *a): pass
ThreadingHTTPServer.request_queue_size = 128
ThreadingHTTPServer(("127.0.0.1", int(os.environ["PORT"])), H).serve_forever()
"#;
    std::fs::write(crasher.join("main.py"), crasher_src).expect("write bot");
    let seeker = crate::util::repo("examples/battlesnake/food-seeker");
    let paths = [crasher.to_str(), seeker.to_str()].map(|p| p.expect("utf-8 path"));
    let v = json_run(&[
        "--game",
        "battlesnake",
        "--sims",
        "3",
        "--seed",
        "2",
        "--jobs",
        "1",
        paths[0],
        paths[1],
    ]);
    let players = v["players"].as_array().expect("players");
    assert_eq!(
        players[0]["stop_reasons"]["crashed"].as_u64(),
        Some(1),
        "{v}"
    );
    assert_eq!(players[0]["stop_reasons"]["ended"].as_u64(), Some(2), "{v}");
    assert_eq!(players[1]["stop_reasons"]["ended"].as_u64(), Some(3), "{v}");
    // The same run with a process per game records the same stops.
    let per_game = json_run(&[
        "--game",
        "battlesnake",
        "--sims",
        "3",
        "--seed",
        "2",
        "--jobs",
        "1",
        "--set",
        "bot_lifetime=game",
        paths[0],
        paths[1],
    ]);
    assert_eq!(
        per_game["players"][0]["stop_reasons"],
        players[0]["stop_reasons"]
    );
}
