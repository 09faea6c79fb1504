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
