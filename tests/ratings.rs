//! `arena rating ...` end to end: the real binary on JSON files.

use std::path::PathBuf;
use std::process::Output;

use serde_json::{Value, json};

use crate::util::{arena, data};

/// Writes `value` to a fresh file under the target directory.
fn write_json(name: &str, value: &Value) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("ratings");
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    let path = dir.join(name);
    std::fs::write(&path, value.to_string()).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    path
}

fn rating(args: &[&str]) -> Output {
    arena()
        .arg("rating")
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("arena: {e}"))
}

fn stdout_json(out: &Output) -> Value {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("output is not JSON: {e}"))
}

#[test]
fn codeforces_reproduces_a_real_contest() {
    let text = std::fs::read_to_string(data("codeforces/round-1350-641-div2-data.json"))
        .unwrap_or_else(|e| panic!("{e}"));
    let rows: Vec<(String, i64, i64, i64, i64)> =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}"));
    let input: Vec<Value> = rows
        .iter()
        .map(|(h, p, q, r, _)| json!({"handle": h, "points": p, "penalty": q, "rating": r}))
        .collect();
    let file = write_json("round-1350.json", &Value::Array(input));
    let out = stdout_json(&rating(&["codeforces", &file.to_string_lossy()]));
    let changes = out.as_array().unwrap_or_else(|| panic!("not an array"));
    assert_eq!(changes.len(), rows.len());
    for (c, (handle, _, _, old, delta)) in changes.iter().zip(&rows) {
        assert_eq!(c["handle"], json!(handle));
        assert_eq!(c["old"], json!(old));
        assert_eq!(c["delta"], json!(delta), "{handle}");
        assert_eq!(c["new"], json!(old + delta));
    }
}

#[test]
fn codeforces_names_the_bad_row_and_field() {
    let file = write_json(
        "bad-points.json",
        &json!([
            {"handle": "a", "points": 10, "penalty": 0, "rating": 1500},
            {"handle": "b", "points": 5, "rating": 1400},
            {"handle": "c", "points": "many", "penalty": 0, "rating": 1500},
        ]),
    );
    let out = rating(&["codeforces", &file.to_string_lossy()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("row 2") && err.contains("\"c\"") && err.contains("points"),
        "{err}"
    );

    let file = write_json(
        "bad-rating.json",
        &json!([{"handle": "a", "points": 1, "rating": 1500.5}]),
    );
    let out = rating(&["codeforces", &file.to_string_lossy()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("row 0") && err.contains("rating"), "{err}");

    let file = write_json("no-handle.json", &json!([{"points": 1, "rating": 1500}]));
    let out = rating(&["codeforces", &file.to_string_lossy()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("\"handle\" is missing"));

    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("ratings");
    let path = dir.join("not-json.json");
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(&path, "[{").unwrap_or_else(|e| panic!("{e}"));
    let out = rating(&["codeforces", &path.to_string_lossy()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not JSON"));
}

#[test]
fn bradley_terry_three_wins_in_four() {
    let file = write_json(
        "bt-3-of-4.json",
        &json!([{"a": "A", "b": "B", "a_wins": 3, "b_wins": 1, "draws": 0}]),
    );
    let path = file.to_string_lossy();
    let out = stdout_json(&rating(&[
        "bradley-terry",
        &path,
        "--penalty",
        "0",
        "--bootstrap",
        "200",
        "--seed",
        "5",
    ]));
    let players = out.as_array().unwrap_or_else(|| panic!("not an array"));
    assert_eq!(players[0]["name"], "A");
    let elo = |i: usize| players[i]["elo"].as_f64().unwrap_or(f64::NAN);
    assert!((elo(0) - elo(1) - 400.0 * 3f64.log10()).abs() < 1e-6);
    assert!(players[0]["hessian_interval"].is_array());
    assert!(players[0]["bootstrap_interval"].is_array());
    assert_eq!(players[0]["games"], 4);
    let again = stdout_json(&rating(&[
        "bradley-terry",
        &path,
        "--penalty",
        "0",
        "--bootstrap",
        "200",
        "--seed",
        "5",
    ]));
    assert_eq!(out, again);
}

#[test]
fn bradley_terry_errors_exit_2() {
    let file = write_json(
        "bt-negative.json",
        &json!([{"a": "A", "b": "B", "a_wins": -1, "b_wins": 1}]),
    );
    let out = rating(&["bradley-terry", &file.to_string_lossy()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("row 0") && err.contains("a_wins"), "{err}");

    let file = write_json(
        "bt-unbeaten.json",
        &json!([{"a": "A", "b": "B", "a_wins": 2, "b_wins": 0}]),
    );
    let out = rating(&["bradley-terry", &file.to_string_lossy(), "--penalty", "0"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("penalty > 0"));
}

/// A two-player Core War tournament of static warriors in `dir`.
fn duel(dir: &std::path::Path, name: &str, a: &str, b: &str) -> PathBuf {
    let ex = crate::util::repo("examples/corewar");
    let text = format!(
        "name = \"{name}\"\ngame = \"corewar\"\nrounds = 3\nsims = 30\nseed = 7\n\
         [[players]]\nname = \"{a}\"\ncodebase = \"{pa}\"\nagent = \"static\"\n\
         [[players]]\nname = \"{b}\"\ncodebase = \"{pb}\"\nagent = \"static\"\n",
        pa = ex.join(format!("{a}.red")).display(),
        pb = ex.join(format!("{b}.red")).display(),
    );
    let path = dir.join(format!("{name}.toml"));
    std::fs::write(&path, text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    path
}

#[test]
fn pools_show_their_anchors_and_codeclash_table() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let data = dir.path().join("data");
    for (name, a, b) in [
        ("d1", "tern", "pebble"),
        ("d2", "pebble", "cartwheel"),
        ("d3", "lantern", "cartwheel"),
    ] {
        let out = arena()
            .args(["run", "--json", "--data-dir"])
            .arg(&data)
            .arg(duel(dir.path(), name, a, b))
            .output()
            .unwrap_or_else(|e| panic!("arena: {e}"));
        let standings = stdout_json(&out);
        let rounds = standings["round_confidence"]
            .as_array()
            .unwrap_or_else(|| panic!("no round_confidence: {standings}"));
        assert_eq!(rounds.len(), 4, "{standings}");
        assert!(
            rounds
                .iter()
                .all(|r| r["p_value"].is_number() && r["los"].is_number())
        );
    }
    let ratings = |extra: &[&str]| {
        arena()
            .args(["ratings", "--data-dir"])
            .arg(&data)
            .args(extra)
            .output()
            .unwrap_or_else(|e| panic!("arena: {e}"))
    };
    // No anchors: every number is relative to the pool.
    let boards = stdout_json(&ratings(&["--json"]));
    assert_eq!(boards[0]["anchors"], json!([]));
    let players = boards[0]["players"]
        .as_array()
        .unwrap_or_else(|| panic!("{boards}"));
    assert_eq!(players.len(), 4);
    assert!(
        players.iter().all(|p| p["standing"] == "unanchored"),
        "{boards}"
    );
    let cc = &boards[0]["codeclash"];
    assert_eq!(
        cc["decided"].as_u64().unwrap_or(0) + cc["undecided"].as_u64().unwrap_or(0),
        3,
        "{cc}"
    );

    // Anchors next to the database: pebble fixed at 1000; tern and
    // cartwheel met it; lantern only met cartwheel, which met pebble.
    std::fs::write(
        data.join("anchors.toml"),
        "[[anchor]]\ngame = \"corewar\"\nplayer = \"pebble\"\nelo = 1000\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let boards = stdout_json(&ratings(&["--json"]));
    assert_eq!(
        boards[0]["anchors"],
        json!([{"player": "pebble", "elo": 1000.0}])
    );
    let player = |name: &str| {
        boards[0]["players"]
            .as_array()
            .and_then(|ps| ps.iter().find(|p| p["name"] == name))
            .cloned()
            .unwrap_or_else(|| panic!("no {name}: {boards}"))
    };
    assert_eq!(player("pebble")["standing"], "anchor");
    assert_eq!(player("pebble")["bradley_terry"], 1000.0);
    assert!(player("pebble")["bradley_terry_interval"].is_null());
    for name in ["tern", "cartwheel", "lantern"] {
        assert_eq!(player(name)["standing"], "anchored", "{name}");
        assert!(player(name)["bradley_terry_interval"].is_array(), "{name}");
    }
    let text = ratings(&[]);
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains("anchors: pebble = 1000"), "{text}");

    // A separate anchors file with another pool's game anchors nothing here.
    let other = dir.path().join("other.toml");
    std::fs::write(
        &other,
        "[[anchor]]\ngame = \"battlesnake\"\nplayer = \"tern\"\nelo = 1500\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let boards = stdout_json(&ratings(&["--json", "--anchors", &other.to_string_lossy()]));
    assert_eq!(boards[0]["anchors"], json!([]));

    // CodeClash's table.
    let out = ratings(&["--codeclash"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("CodeClash's method") && text.contains("± std"),
        "{text}"
    );

    // A broken anchors file is an error that says what is expected.
    std::fs::write(
        &other,
        "[[anchor]]\ngame = \"corewar\"\nplayer = \"tern\"\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let out = ratings(&["--anchors", &other.to_string_lossy()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("elo"), "{err}");
    let out = ratings(&["--anchors", "/nonexistent/anchors.toml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("does not exist"));
}
