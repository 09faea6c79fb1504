//! `arena run`: tournaments stored in SQLite, reproducible from their seed,
//! and resumable after a `kill -9`.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use crate::util::{arena, repo};

/// A Core War tournament config in `dir`: two mutating agents and a static
/// one, small enough for a test.
pub(crate) fn corewar_config(dir: &Path, rounds: u32, sims: u32) -> PathBuf {
    let ex = repo("examples/corewar");
    let text = format!(
        r#"
name = "test-cup"
game = "corewar"
rounds = {rounds}
sims = {sims}
seed = 99

[[players]]
name = "pebble"
codebase = "{pebble}"
agent = "mutate"
trials = 30
mutations = 3

[[players]]
name = "cartwheel"
codebase = "{cartwheel}"
agent = "mutate"
trials = 30
mutations = 3

[[players]]
name = "tern"
codebase = "{tern}"
agent = "static"
"#,
        pebble = ex.join("pebble.red").display(),
        cartwheel = ex.join("cartwheel.red").display(),
        tern = ex.join("tern.red").display(),
    );
    let path = dir.join("cup.toml");
    std::fs::write(&path, text).expect("write config");
    path
}

/// Runs `cmd` and checks it succeeded, showing its stderr if not.
pub(crate) fn succeed(cmd: &mut Command) -> std::process::Output {
    let out = cmd.output().expect("run arena");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

pub(crate) fn run(config: &Path, data: &Path) -> Command {
    let mut cmd = arena();
    cmd.arg("run")
        .arg(config)
        .arg("--data-dir")
        .arg(data)
        .arg("--json");
    cmd
}

/// Everything a tournament stored, as text, in key order (row ids left
/// out where they only say in which order rows were written).
pub(crate) fn dump(data: &Path) -> String {
    let conn = rusqlite::Connection::open(data.join("arena.sqlite")).expect("open db");
    let queries = [
        "SELECT name, game, rules_version, seed, state FROM tournaments ORDER BY name",
        "SELECT seat, name, agent FROM players ORDER BY seat",
        "SELECT p.name, s.round, s.hash, s.valid, s.reason FROM submissions s JOIN players p ON p.id = s.player_id ORDER BY s.round, p.seat",
        "SELECT hash, files, bytes, hex(data) FROM codebases ORDER BY hash",
        "SELECT r.round, p.name FROM rounds r LEFT JOIN players p ON p.id = r.winner_id ORDER BY r.round",
        "SELECT m.round, m.sim, m.seed, m.turns, p.name, mp.seat, mp.placement, mp.score, mp.reason FROM matches m JOIN match_players mp ON mp.match_id = m.id JOIN players p ON p.id = mp.player_id ORDER BY m.round, m.sim, mp.seat",
        "SELECT r.round, p.name, r.system, r.rating, r.deviation FROM ratings r JOIN players p ON p.id = r.player_id ORDER BY r.round, p.seat, r.system",
        "SELECT l.round, p.name, l.text FROM logs l JOIN players p ON p.id = l.player_id ORDER BY l.round, p.seat",
        "SELECT m.round, m.sim, r.header, r.frames FROM replays r JOIN matches m ON m.id = r.match_id ORDER BY m.round, m.sim",
        "SELECT m.round, m.sim, c.chunk, hex(c.data) FROM replay_chunks c JOIN matches m ON m.id = c.match_id ORDER BY m.round, m.sim, c.chunk",
    ];
    let mut out = String::new();
    for q in queries {
        let mut stmt = conn.prepare(q).unwrap_or_else(|e| panic!("{q}: {e}"));
        let cols = stmt.column_count();
        let rows = stmt
            .query_map([], |r| {
                let mut line = Vec::new();
                for i in 0..cols {
                    let v: rusqlite::types::Value = r.get(i)?;
                    line.push(format!("{v:?}"));
                }
                Ok(line.join(" | "))
            })
            .expect("query");
        out.push_str(q);
        out.push('\n');
        for row in rows {
            out.push_str(&row.expect("row"));
            out.push('\n');
        }
    }
    out
}

pub(crate) fn count(data: &Path, sql: &str) -> i64 {
    let db = data.join("arena.sqlite");
    if !db.exists() {
        return 0;
    }
    let conn = rusqlite::Connection::open(db).expect("open db");
    conn.query_row(sql, [], |r| r.get(0)).unwrap_or(0)
}

#[test]
fn a_tournament_is_stored_and_reproduces_byte_for_byte() {
    let dir = tempfile::tempdir().expect("tempdir");
    let config = corewar_config(dir.path(), 2, 40);
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    for data in [&a, &b] {
        let out = succeed(&mut run(&config, data));
        let standings: serde_json::Value =
            serde_json::from_slice(&out.stdout).expect("JSON standings");
        let players = standings["players"].as_array().expect("players");
        assert_eq!(players.len(), 3);
        let sims: u64 = players.iter().filter_map(|p| p["sims_won"].as_u64()).sum();
        assert!(sims <= 3 * 40, "{standings}");
        assert!(
            players.iter().all(|p| p["bradley_terry"].is_number()),
            "{standings}"
        );
    }
    assert_eq!(count(&a, "SELECT COUNT(*) FROM matches"), 3 * 40);
    assert_eq!(count(&a, "SELECT COUNT(*) FROM submissions"), 3 * 3);
    assert_eq!(count(&a, "SELECT COUNT(*) FROM rounds"), 3);
    assert_eq!(dump(&a), dump(&b), "two runs of one config and seed differ");

    // The pool's leaderboard is recomputed from the stored results.
    let ratings = succeed(arena().args(["ratings", "--json", "--data-dir"]).arg(&a));
    let boards: serde_json::Value = serde_json::from_slice(&ratings.stdout).expect("ratings JSON");
    assert_eq!(boards[0]["game"], "corewar");
    assert_eq!(boards[0]["matches"].as_u64(), Some(3 * 40));
    let rated = boards[0]["players"].as_array().expect("players");
    assert_eq!(rated.len(), 3);
    assert!(
        rated.iter().all(|p| p["bradley_terry_interval"].is_array()),
        "{boards}"
    );

    // Every replay is there and re-simulates to what was stored.
    let last: i64 = count(&a, "SELECT MAX(match_id) FROM replays");
    assert_eq!(count(&a, "SELECT COUNT(*) FROM replays"), 3 * 40);
    succeed(
        arena()
            .args(["replay", "verify", &last.to_string(), "--data-dir"])
            .arg(&a),
    );
    let export = arena()
        .args(["replay", "export", &last.to_string(), "--data-dir"])
        .arg(&a)
        .output()
        .expect("export");
    let doc: serde_json::Value = serde_json::from_slice(&export.stdout).expect("exported JSON");
    assert_eq!(doc["header"]["game"], "corewar");
    assert_eq!(doc["frames"].as_array().map(Vec::len), Some(1));
    // A stored replay that was tampered with fails verification.
    let conn = rusqlite::Connection::open(a.join("arena.sqlite")).expect("open db");
    let header: String = conn
        .query_row(
            "SELECT header FROM replays WHERE match_id = ?1",
            [last],
            |r| r.get(0),
        )
        .expect("header");
    let tampered = header.replacen("\"pmars_seed\"", "\"pmars_seed_was\"", 1);
    let changed = if tampered == header {
        // No seed field by that name: alter a frame's chunk instead.
        conn.execute(
            "UPDATE replay_chunks SET data = x'00' WHERE match_id = ?1",
            [last],
        )
        .expect("tamper chunk")
    } else {
        conn.execute(
            "UPDATE replays SET header = ?1 WHERE match_id = ?2",
            rusqlite::params![tampered, last],
        )
        .expect("tamper header")
    };
    assert_eq!(changed, 1);
    let verify = arena()
        .args(["replay", "verify", &last.to_string(), "--data-dir"])
        .arg(&a)
        .output()
        .expect("verify");
    assert_eq!(
        verify.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&verify.stdout)
    );
}

#[test]
fn a_killed_tournament_resumes_and_ends_as_an_uninterrupted_one() {
    let dir = tempfile::tempdir().expect("tempdir");
    let config = corewar_config(dir.path(), 2, 400);
    let whole = dir.path().join("whole");
    succeed(&mut run(&config, &whole));

    let killed = dir.path().join("killed");
    let mut kills = 0;
    // Kill it mid-round (some simulations of a round stored), more than once.
    for target in [150, 600] {
        let mut child = run(&config, &killed)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("spawn arena");
        let start = Instant::now();
        while count(&killed, "SELECT COUNT(*) FROM matches") < target {
            assert!(start.elapsed() < Duration::from_secs(120), "no progress");
            if child.try_wait().expect("poll").is_some() {
                break;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        if child.try_wait().expect("poll").is_none() {
            child.kill().expect("SIGKILL");
            kills += 1;
        }
        let _ = child.wait();
    }
    assert!(kills > 0, "the run ended before it could be killed");
    succeed(&mut run(&config, &killed));
    assert_eq!(
        dump(&killed),
        dump(&whole),
        "the resumed tournament differs"
    );
}

#[test]
fn a_bad_config_is_refused_naming_the_key() {
    let dir = tempfile::tempdir().expect("tempdir");
    let config = corewar_config(dir.path(), 1, 5);
    let text = std::fs::read_to_string(&config)
        .expect("read")
        .replace("sims = 5", "sims = 5\nsimz = 3");
    std::fs::write(&config, text).expect("write");
    let data = dir.path().join("data");
    let out = run(&config, &data).output().expect("run arena");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("simz") && err.contains("sims"), "{err}");
    assert!(
        !data.join("arena.sqlite").exists(),
        "nothing is stored for a bad config"
    );
}

#[test]
fn a_battlesnake_tournament_plays_real_bots_and_records_every_turn() {
    let dir = tempfile::tempdir().expect("tempdir");
    let ex = repo("examples/battlesnake");
    let config = dir.path().join("snakes.toml");
    std::fs::write(
        &config,
        format!(
            r#"
name = "snake-cup"
game = "battlesnake"
rounds = 1
sims = 3
seed = 4
[[players]]
name = "seeker"
codebase = "{}"
[[players]]
name = "random"
codebase = "{}"
"#,
            ex.join("food-seeker").display(),
            ex.join("safe-random").display()
        ),
    )
    .expect("write config");
    let data = dir.path().join("data");
    succeed(&mut run(&config, &data));
    // Every bot played to the end of every game.
    assert_eq!(
        count(
            &data,
            "SELECT COUNT(*) FROM match_players WHERE stop = 'ended'"
        ),
        2 * 2 * 3
    );
    // A replay has a frame per turn, and any turn can be read.
    let (id, frames): (i64, i64) = rusqlite::Connection::open(data.join("arena.sqlite"))
        .expect("open db")
        .query_row("SELECT r.match_id, r.frames FROM replays r JOIN matches m ON m.id = r.match_id WHERE m.turns = r.frames ORDER BY r.frames DESC LIMIT 1", [], |r| Ok((r.get(0)?, r.get(1)?)))
        .expect("a replay with a frame per turn");
    assert!(frames > 1);
    let last = succeed(
        arena()
            .args([
                "replay",
                "show",
                &id.to_string(),
                "--turn",
                &(frames - 1).to_string(),
                "--data-dir",
            ])
            .arg(&data),
    );
    let frame: serde_json::Value = serde_json::from_slice(&last.stdout).expect("frame JSON");
    assert!(frame["board"]["snakes"].is_array(), "{frame}");
}

/// A static Core War tournament of the example warriors in `format`.
fn format_run(
    format: &str,
    rounds: u32,
    sims: u32,
    order: &[&str],
) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let ex = repo("examples/corewar");
    let mut text = format!(
        "name = \"{format}-cup\"\ngame = \"corewar\"\nformat = \"{format}\"\nrounds = {rounds}\nsims = {sims}\nseed = 3\n"
    );
    for name in order {
        text.push_str(&format!(
            "[[players]]\nname = \"{name}\"\ncodebase = \"{}\"\n",
            ex.join(format!("{name}.red")).display()
        ));
    }
    let config = dir.path().join("cup.toml");
    std::fs::write(&config, text).expect("write config");
    let data = dir.path().join("data");
    succeed(&mut run(&config, &data));
    (dir, data)
}

/// Per round: the pairs that played, as sorted player-name pairs.
fn pairings(data: &Path) -> Vec<Vec<String>> {
    let conn = rusqlite::Connection::open(data.join("arena.sqlite")).expect("open db");
    let mut stmt = conn
        .prepare(
            "SELECT m.round, group_concat(p.name, ' v ') FROM (SELECT * FROM match_players ORDER BY player_id) mp \
             JOIN matches m ON m.id = mp.match_id JOIN players p ON p.id = mp.player_id \
             GROUP BY m.id ORDER BY m.round, m.sim",
        )
        .expect("query");
    let rows: Vec<(u32, String)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .expect("rows")
        .collect::<Result<_, _>>()
        .expect("rows");
    let rounds = rows.iter().map(|r| r.0).max().map_or(0, |m| m as usize + 1);
    let mut out = vec![Vec::new(); rounds];
    for (round, pair) in rows {
        let list = &mut out[round as usize];
        if !list.contains(&pair) {
            list.push(pair);
        }
    }
    out
}

#[test]
fn round_robin_and_gauntlet_play_the_right_pairs() {
    let (_d, data) = format_run("round-robin", 1, 4, &["pebble", "tern", "lantern"]);
    let p = pairings(&data);
    assert_eq!(p.len(), 2);
    for round in &p {
        assert_eq!(round.len(), 3, "{p:?}");
    }
    assert_eq!(count(&data, "SELECT COUNT(*) FROM matches"), 2 * 3 * 4);

    let (_d, data) = format_run("gauntlet", 0, 4, &["pebble", "tern", "lantern"]);
    let p = pairings(&data);
    assert_eq!(p[0], vec!["pebble v tern", "pebble v lantern"], "{p:?}");
}

#[test]
fn the_ladder_climbs_one_rung_per_round_won() {
    // Tern (a paper) beats the field listed weakest first; it climbs.
    let (_d, data) = format_run("ladder", 2, 20, &["tern", "cartwheel", "lantern", "pebble"]);
    let p = pairings(&data);
    assert_eq!(p.len(), 3);
    assert_eq!(p[0], vec!["tern v cartwheel"]);
    let conn = rusqlite::Connection::open(data.join("arena.sqlite")).expect("open db");
    let won_round_0: bool = conn
        .query_row(
            "SELECT p.name = 'tern' FROM rounds r JOIN players p ON p.id = r.winner_id WHERE r.round = 0",
            [],
            |r| r.get(0),
        )
        .unwrap_or(false);
    let expected = if won_round_0 {
        "tern v lantern"
    } else {
        "tern v cartwheel"
    };
    assert_eq!(p[1], vec![expected], "{p:?}");
}

#[test]
fn the_hill_loses_its_lowest_scorer_each_round() {
    let (_d, data) = format_run("hill", 3, 6, &["pebble", "cartwheel", "lantern", "tern"]);
    let p = pairings(&data);
    let sizes: Vec<usize> = p.iter().map(Vec::len).collect();
    // 4 on the hill (6 pairs), then 3 (3 pairs), then 2 (1 pair), then 2.
    assert_eq!(sizes, vec![6, 3, 1, 1], "{p:?}");
}

#[test]
fn sprt_stops_a_decided_round_early_and_a_rerun_stops_at_the_same_simulation() {
    let dir = tempfile::tempdir().expect("tempdir");
    let ex = repo("examples/corewar");
    let config = dir.path().join("duel.toml");
    std::fs::write(
        &config,
        format!(
            r#"
name = "duel"
game = "corewar"
rounds = 1
sims = 1000
seed = 5
[sprt]
elo = 50
[[players]]
name = "tern"
codebase = "{}"
[[players]]
name = "cartwheel"
codebase = "{}"
"#,
            ex.join("tern.red").display(),
            ex.join("cartwheel.red").display()
        ),
    )
    .expect("write config");
    let data = dir.path().join("data");
    succeed(&mut run(&config, &data));
    let played = |round: u32| {
        count(
            &data,
            &format!("SELECT COUNT(*) FROM matches WHERE round = {round}"),
        )
    };
    // tern wins most duels: the test decides long before 1000.
    for round in 0..=1 {
        assert!(
            (1..1000).contains(&played(round)),
            "round {round}: {} simulations",
            played(round)
        );
    }
    // Without the test every simulation is played.
    let full = dir.path().join("full.toml");
    let text = std::fs::read_to_string(&config).expect("read config");
    std::fs::write(&full, text.replace("[sprt]\nelo = 50\n", "")).expect("write config");
    let full_data = dir.path().join("full-data");
    succeed(&mut run(&full, &full_data));
    assert_eq!(
        count(&full_data, "SELECT COUNT(*) FROM matches WHERE round = 0"),
        1000
    );
    // A rerun finds the round decided and stores nothing more; a fresh run
    // of the same config stops at the same simulation.
    let before = dump(&data);
    succeed(&mut run(&config, &data));
    assert_eq!(dump(&data), before);
    let again = dir.path().join("again");
    succeed(&mut run(&config, &again));
    assert_eq!(dump(&again), before);
}
