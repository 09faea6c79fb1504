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
