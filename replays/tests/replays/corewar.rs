//! Core War replays: recorded from a real battle, verified by playing it
//! again, refused when altered, and shown to a viewer at any execution.

use arena_games::corewar::assembler::assemble;
use arena_games::corewar::battle::{Battle, default_points};
use arena_games::corewar::placement::SeedSource;
use arena_games::corewar::{Instruction, Settings, Warrior};
use arena_games::engine::MatchResult;
use arena_replays::corewar::{
    Mismatch, battle_from_header, core_at, corewar_frames, corewar_header, record_corewar,
    round_timeline, verify_corewar, verify_corewar_with,
};
use arena_replays::{DEFAULT_CHUNK_FRAMES, Replay, ReplayPlayer, write};
use rusqlite::Connection;
use serde_json::{Value, json};

use super::common::open_db;

const PSPACER: &str = ";redcode-94
;name Pspacer
        ldp.ab  #0, tmp
        add.ab  #1, tmp
        stp.b   tmp, #1
        spl     imp
        jmp     imp
tmp     dat     #0, #0
imp     mov.i   0, 1
";

fn warrior(source: &str) -> Warrior {
    assemble(source, &Settings::default())
        .expect("assembles")
        .warrior
}

fn example(name: &str) -> Warrior {
    let path = format!(
        "{}/../examples/corewar/{name}.red",
        env!("CARGO_MANIFEST_DIR")
    );
    warrior(&std::fs::read_to_string(path).expect("example warrior"))
}

fn battle(warriors: Vec<Warrior>, rounds: u32) -> Battle {
    let n = warriors.len();
    Battle {
        settings: Settings {
            rounds,
            warriors: n as u32,
            ..Settings::default()
        },
        warriors,
        seed: SeedSource::Seed(1234567),
        permutate: false,
        points: default_points(n),
    }
}

/// Records and stores the battle as the arena would; returns its frames.
fn store(conn: &Connection, match_id: i64, battle: &Battle) -> Vec<Value> {
    let record = record_corewar(battle, 2);
    let players = (0..battle.warriors.len())
        .map(|s| ReplayPlayer {
            seat: s as u8,
            name: battle.warriors[s].name.clone(),
            codebase_hash: format!("{s:064}"),
        })
        .collect();
    let mut header = corewar_header(battle, "pmars-0.9.2", 99, players).expect("header");
    let scores: Vec<f64> = record.outcome.scores.iter().map(|&s| s as f64).collect();
    let result = MatchResult::from_scores(u64::from(battle.settings.rounds), &scores, &[]);
    header.result = Some(result);
    write(
        conn,
        match_id,
        &header,
        &record.frames,
        DEFAULT_CHUNK_FRAMES,
    )
    .expect("write");
    record.frames
}

#[test]
fn record_matches_the_battle_and_verifies() {
    let dir = tempfile::tempdir().expect("tempdir");
    let conn = open_db(&dir.path().join("arena.db"));
    let b = battle(
        vec![example("pebble"), example("lantern"), example("tern")],
        100,
    );
    let record = record_corewar(&b, 2);
    assert_eq!(record.outcome, b.run(1), "the same tallies as the game");
    assert_eq!(
        record.frames,
        corewar_frames(&b),
        "frames do not depend on threads"
    );
    assert_eq!(record.frames.len(), 100);
    assert_eq!(record.frames[5]["round"], 5);

    store(&conn, 1, &b);
    let replay = Replay::open(&conn, 1).expect("open");
    verify_corewar(&replay).expect("verifies");
    verify_corewar_with(&replay, 2).expect("verifies on two threads");

    let again = battle_from_header(replay.header()).expect("battle");
    assert_eq!(again.settings, b.settings);
    assert_eq!(again.warriors, b.warriors);
    assert_eq!(
        (again.seed, again.permutate, &again.points),
        (b.seed, b.permutate, &b.points)
    );
}

#[test]
fn pspace_battles_verify_round_after_round() {
    let dir = tempfile::tempdir().expect("tempdir");
    let conn = open_db(&dir.path().join("arena.db"));
    let b = battle(vec![warrior(PSPACER), example("pebble")], 30);
    assert!(!b.rounds_independent());
    let record = record_corewar(&b, 2);
    assert_eq!(record.outcome, b.run(2));
    store(&conn, 1, &b);
    let replay = Replay::open(&conn, 1).expect("open");
    verify_corewar(&replay).expect("verifies");
    // Round 20's core depends on P-space from rounds 0..20.
    let view = core_at(&replay, 20, 0).expect("view");
    assert_eq!(view.executions, 0);
}

#[test]
fn an_altered_frame_fails_verification() {
    let dir = tempfile::tempdir().expect("tempdir");
    let conn = open_db(&dir.path().join("arena.db"));
    let b = battle(vec![example("pebble"), example("cartwheel")], 40);
    let frames = store(&conn, 1, &b);
    let header = Replay::open(&conn, 1).expect("open").header().clone();

    let mut altered = frames.clone();
    altered[17]["cycles_left"] = json!(altered[17]["cycles_left"].as_i64().unwrap_or(0) + 1);
    write(&conn, 2, &header, &altered, DEFAULT_CHUNK_FRAMES).expect("write");
    let err = verify_corewar(&Replay::open(&conn, 2).expect("open")).expect_err("altered");
    assert!(matches!(err, Mismatch::Round { round: 17, .. }), "{err}");
    assert!(err.to_string().starts_with("round 17 differs"), "{err}");

    write(&conn, 3, &header, &frames[..39], DEFAULT_CHUNK_FRAMES).expect("write");
    let err = verify_corewar(&Replay::open(&conn, 3).expect("open")).expect_err("short");
    assert!(
        matches!(
            err,
            Mismatch::FrameCount {
                stored: 39,
                simulated: 40
            }
        ),
        "{err}"
    );

    let mut cheat = header.clone();
    let second = cheat.result.as_mut().and_then(|r| r.players.get_mut(1));
    second.expect("a stored result with two players").score = 1e6;
    write(&conn, 4, &cheat, &frames, DEFAULT_CHUNK_FRAMES).expect("write");
    let err = verify_corewar(&Replay::open(&conn, 4).expect("open")).expect_err("scores");
    assert!(matches!(err, Mismatch::Scores { .. }), "{err}");

    let mut other = b.clone();
    other.warriors[1].code[0].a = (other.warriors[1].code[0].a + 1) % 8000;
    let mut swapped = header.clone();
    swapped.settings = corewar_header(&other, "x", 0, Vec::new())
        .expect("header")
        .settings;
    write(&conn, 5, &swapped, &frames, DEFAULT_CHUNK_FRAMES).expect("write");
    assert!(
        verify_corewar(&Replay::open(&conn, 5).expect("open")).is_err(),
        "another warrior"
    );
}

#[test]
fn corrupt_settings_are_an_error_not_a_panic() {
    let dir = tempfile::tempdir().expect("tempdir");
    let conn = open_db(&dir.path().join("arena.db"));
    let b = battle(vec![example("pebble"), example("tern")], 3);
    let frames = store(&conn, 1, &b);
    let header = Replay::open(&conn, 1).expect("open").header().clone();
    let edits: [(&str, Value); 8] = [
        ("/mars/core_size", json!(0)),
        ("/mars/core_size", json!(150)),
        ("/mars/max_processes", json!(0)),
        ("/mars/rounds", json!(4_000_000_000u64)),
        ("/warriors/0/code/0", json!("MOV.I $0, $8000")),
        ("/warriors/0/start", json!(99)),
        ("/points", json!([1])),
        ("/seed", json!({"bogus": 1})),
    ];
    for (i, (pointer, value)) in edits.into_iter().enumerate() {
        let mut h = header.clone();
        *h.settings.pointer_mut(pointer).expect("pointer") = value;
        let id = 10 + i as i64;
        write(&conn, id, &h, &frames, DEFAULT_CHUNK_FRAMES).expect("write");
        let replay = Replay::open(&conn, id).expect("open");
        assert!(verify_corewar(&replay).is_err(), "{pointer}");
        assert!(core_at(&replay, 0, 10).is_err(), "{pointer}");
    }
    let mut h = header.clone();
    h.game = "battlesnake".into();
    assert!(matches!(
        battle_from_header(&h),
        Err(Mismatch::NotCorewar(_))
    ));
}

#[test]
fn the_core_at_any_execution() {
    let dir = tempfile::tempdir().expect("tempdir");
    let conn = open_db(&dir.path().join("arena.db"));
    let b = battle(vec![example("pebble"), example("lantern")], 10);
    let frames = store(&conn, 1, &b);
    let replay = Replay::open(&conn, 1).expect("open");
    let round = (0..10)
        .find(|&r| !frames[r]["deaths"].as_array().is_none_or(Vec::is_empty))
        .expect("a round with a death") as u64;
    let frame = &frames[round as usize];

    // At the start: each warrior's code at its position, one process each.
    let start = core_at(&replay, round, 0).expect("start");
    for (w, pos) in frame["positions"]
        .as_array()
        .expect("positions")
        .iter()
        .enumerate()
    {
        let pos = pos.as_u64().expect("position") as usize;
        let code: Vec<Instruction> = start.core[pos..pos + b.warriors[w].code.len()].to_vec();
        assert_eq!(code, b.warriors[w].code);
        assert_eq!(
            start.processes[w],
            vec![(pos as u32 + b.warriors[w].start) % 8000]
        );
    }

    let timeline = round_timeline(&replay, round).expect("timeline");
    let deaths: Vec<u64> = timeline.deaths.iter().map(|&(w, _)| w as u64).collect();
    let stored: Vec<u64> = frame["deaths"]
        .as_array()
        .expect("deaths")
        .iter()
        .filter_map(Value::as_u64)
        .collect();
    assert_eq!(deaths, stored);
    let (dead, at) = timeline.deaths[0];
    let before = core_at(&replay, round, at - 1).expect("before");
    assert!(!before.processes[dead].is_empty());
    assert!(!before.round_over || timeline.deaths.len() > 1);
    let after = core_at(&replay, round, at).expect("after");
    assert!(after.processes[dead].is_empty());
    assert_eq!(after.deaths, vec![dead]);

    let end = core_at(&replay, round, u64::MAX).expect("end");
    assert!(end.round_over);
    assert_eq!(end.executions, timeline.executions);
    assert_eq!(Some(end.cycles_left), frame["cycles_left"].as_i64());

    let json = start.to_json();
    assert_eq!(json["core_size"], 8000);
    let cells = json["cells"].as_array().expect("cells").len();
    assert_eq!(
        cells,
        b.warriors.iter().map(|w| w.code.len()).sum::<usize>()
    );
    assert!(matches!(
        core_at(&replay, 10, 0),
        Err(Mismatch::NoSuchRound {
            round: 10,
            rounds: 10
        })
    ));

    // A viewer is refused a core the replay does not vouch for.
    let mut altered = frames.clone();
    altered[round as usize]["processes"] = json!([7, 7]);
    write(&conn, 2, replay.header(), &altered, DEFAULT_CHUNK_FRAMES).expect("write");
    let bad = Replay::open(&conn, 2).expect("open");
    assert!(matches!(
        core_at(&bad, round, 5),
        Err(Mismatch::Round { .. })
    ));
}
