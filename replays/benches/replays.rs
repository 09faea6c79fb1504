//! Replay size and speed: a 500-turn, 8-snake BattleSnake replay stored in
//! chunks, against the same frames as plain JSON; and a Core War battle's
//! replay, verification and core view. Prints tables.
//!
//! `cargo bench -p arena-replays`

use std::time::{Duration, Instant};

use arena_games::battlesnake::{BattleSnake, BattleSnakeSetup, Coord, Move, RulesetName};
use arena_games::corewar::assembler::assemble;
use arena_games::corewar::battle::{Battle, default_points};
use arena_games::corewar::placement::SeedSource;
use arena_games::corewar::{Settings, Warrior};
use arena_games::engine::{Game, Match, MatchRng, Seat};
use arena_replays::corewar::{core_at, corewar_header, record_corewar, verify_corewar};
use arena_replays::format::{ReplayHeader, frames_to_lines};
use arena_replays::{DEFAULT_CHUNK_FRAMES, Replay, create_tables, write};
use rusqlite::Connection;
use serde_json::{Value, json};

const TURNS: usize = 500;
const SNAKES: usize = 8;

fn main() {
    let dir = std::env::temp_dir().join(format!("arena-replays-bench-{}", std::process::id()));
    if let Err(e) = std::fs::create_dir_all(&dir) {
        eprintln!("cannot create {}: {e}", dir.display());
        return;
    }
    let result = run(&dir);
    let _ = std::fs::remove_dir_all(&dir);
    if let Err(e) = result {
        eprintln!("benchmark failed: {e}");
        std::process::exit(1);
    }
}

fn run(dir: &std::path::Path) -> Result<(), Box<dyn std::error::Error>> {
    let (frames, games) = battlesnake_frames();
    let header = ReplayHeader::new(
        BattleSnake::NAME,
        "bench",
        1,
        Vec::new(),
        json!({"ruleset": "standard", "width": 19, "height": 19}),
    );
    let mut plain = Vec::new();
    frames_to_lines(&frames, &mut plain)?;
    let n = frames.len() as f64;
    println!(
        "BattleSnake: {} frames of {SNAKES} snakes on 19x19 ({games} game(s) of food-seeking random snakes, frames concatenated)\n",
        frames.len()
    );
    println!(
        "{:<34} {:>10} {:>12} {:>9}",
        "storage", "bytes", "bytes/frame", "vs JSON"
    );
    println!(
        "{:<34} {:>10} {:>12.0} {:>9}",
        "JSON Lines, uncompressed",
        plain.len(),
        plain.len() as f64 / n,
        "1.00x"
    );
    for level in [3, 9, 19] {
        let bytes: usize = frames
            .chunks(DEFAULT_CHUNK_FRAMES)
            .map(|c| {
                let mut lines = Vec::new();
                let _ = frames_to_lines(c, &mut lines);
                zstd::bulk::compress(&lines, level).map_or(0, |d| d.len())
            })
            .sum();
        println!(
            "{:<34} {:>10} {:>12.0} {:>8.1}x",
            format!("zstd -{level}, chunks of {DEFAULT_CHUNK_FRAMES}"),
            bytes,
            bytes as f64 / n,
            plain.len() as f64 / bytes as f64
        );
    }
    println!();

    println!(
        "{:<22} {:>11} {:>12} {:>9} {:>11} {:>12} {:>13}",
        "replay (zstd -9)",
        "chunk bytes",
        "bytes/frame",
        "vs JSON",
        "write ms",
        "seek us",
        "read all ms"
    );
    for k in [16, 64, 256] {
        let path = dir.join(format!("k{k}.db"));
        let mut conn = Connection::open(&path)?;
        conn.query_row("PRAGMA journal_mode = WAL", [], |_| Ok(()))?;
        create_tables(&conn)?;
        // Write: median of 9 transactions.
        let mut times = Vec::new();
        for id in 0..9 {
            let t = Instant::now();
            let tx = conn.transaction()?;
            write(&tx, id, &header, &frames, k)?;
            tx.commit()?;
            times.push(t.elapsed());
        }
        let write_ms = median(&mut times).as_secs_f64() * 1e3;
        let bytes: i64 = conn.query_row(
            "SELECT sum(length(data)) FROM replay_chunks WHERE match_id = 0",
            [],
            |r| r.get(0),
        )?;
        // Seek: random turns, each in another chunk than the last.
        let replay = Replay::open(&conn, 0)?;
        let mut rng = MatchRng::new(3);
        let seeks = 2000;
        let t = Instant::now();
        for _ in 0..seeks {
            let turn = rng.below(frames.len() as u64);
            std::hint::black_box(replay.frame(turn)?);
        }
        let seek_us = t.elapsed().as_secs_f64() * 1e6 / f64::from(seeks);
        let t = Instant::now();
        let count = replay.frames(..).filter(Result::is_ok).count();
        let read_ms = t.elapsed().as_secs_f64() * 1e3;
        assert_eq!(count, frames.len());
        println!(
            "{:<22} {:>11} {:>12.0} {:>8.1}x {:>11.2} {:>12.0} {:>13.2}",
            format!("chunks of {k}"),
            bytes,
            bytes as f64 / n,
            plain.len() as f64 / bytes as f64,
            write_ms,
            seek_us,
            read_ms
        );
    }
    // Reaching a turn in plain JSON means parsing the lines before it.
    let t = Instant::now();
    let parsed = plain
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .filter_map(|l| serde_json::from_slice::<Value>(l).ok())
        .count();
    println!(
        "{:<22} {:>11} {:>12.0} {:>9} {:>11} {:>12} {:>13.2}",
        "plain JSON (parse all)",
        plain.len(),
        plain.len() as f64 / n,
        "1.00x",
        "-",
        "-",
        t.elapsed().as_secs_f64() * 1e3
    );
    assert_eq!(parsed, frames.len());
    println!();
    corewar(dir)
}

/// Core War: 1000 rounds of two example warriors.
fn corewar(dir: &std::path::Path) -> Result<(), Box<dyn std::error::Error>> {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/corewar");
    let warrior = |name: &str| -> Result<Warrior, Box<dyn std::error::Error>> {
        let source = std::fs::read_to_string(format!("{root}/{name}.red"))?;
        Ok(assemble(&source, &Settings::default())
            .map_err(|e| e.report(name))?
            .warrior)
    };
    let battle = Battle {
        settings: Settings {
            rounds: 1000,
            ..Settings::default()
        },
        warriors: vec![warrior("pebble")?, warrior("lantern")?],
        seed: SeedSource::Seed(777),
        permutate: false,
        points: default_points(2),
    };
    let t = Instant::now();
    let outcome = battle.run(1);
    let run_ms = t.elapsed().as_secs_f64() * 1e3;
    let t = Instant::now();
    let record = record_corewar(&battle, 1);
    let record_ms = t.elapsed().as_secs_f64() * 1e3;
    assert_eq!(record.outcome, outcome);
    let conn = Connection::open(dir.join("corewar.db"))?;
    create_tables(&conn)?;
    let header = corewar_header(&battle, "bench", 1, Vec::new())?;
    write(&conn, 1, &header, &record.frames, DEFAULT_CHUNK_FRAMES)?;
    let (bytes, header_bytes): (i64, i64) = conn.query_row(
        "SELECT (SELECT sum(length(data)) FROM replay_chunks), (SELECT length(header) FROM replays)",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let replay = Replay::open(&conn, 1)?;
    let t = Instant::now();
    verify_corewar(&replay)?;
    let verify_ms = t.elapsed().as_secs_f64() * 1e3;
    let mut times = Vec::new();
    for round in (0..1000).step_by(50) {
        let t = Instant::now();
        std::hint::black_box(core_at(&replay, round, 20_000)?);
        times.push(t.elapsed());
    }
    let view_ms = median(&mut times).as_secs_f64() * 1e3;
    println!("Core War: pebble vs lantern, 1000 rounds, one core\n");
    println!("{:<44} {:>12}", "what", "figure");
    println!("{:<44} {:>12.1}", "Battle::run, ms", run_ms);
    println!(
        "{:<44} {:>12.1}",
        "record_corewar (frames + outcome), ms", record_ms
    );
    println!(
        "{:<44} {:>12}",
        "header bytes (warriors + settings)", header_bytes
    );
    println!(
        "{:<44} {:>12.1}",
        "chunk bytes per round",
        bytes as f64 / 1000.0
    );
    println!("{:<44} {:>12.1}", "verify_corewar, ms", verify_ms);
    println!(
        "{:<44} {:>12.2}",
        "core_at(round, 20000 executions), median ms", view_ms
    );
    Ok(())
}

/// Frames of 8 food-seeking snakes on 19x19, from turn 0, games played one
/// after the other until there are [`TURNS`] frames.
fn battlesnake_frames() -> (Vec<Value>, usize) {
    let names: Vec<String> = (0..SNAKES).map(|i| format!("snake-{i}")).collect();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let mut frames = Vec::new();
    let mut games = 0;
    while frames.len() < TURNS {
        games += 1;
        let setup = BattleSnakeSetup::new(RulesetName::Standard, 19, 19, &names);
        let mut m = Match::<BattleSnake>::new(games, setup);
        let mut rng = MatchRng::new(games ^ 0xbe7c);
        frames.push(serde_json::to_value(BattleSnake::frame(m.world_mut())).unwrap_or(Value::Null));
        while !m.is_over() && frames.len() < TURNS {
            let mut actions = Vec::new();
            for seat in 0..SNAKES as u8 {
                if let Some(req) = BattleSnake::request(m.world_mut(), Seat(seat)) {
                    actions.push((Seat(seat), food_seeking(&req, &mut rng)));
                }
            }
            let Some(frame) = m.step(actions) else { break };
            frames.push(serde_json::to_value(&frame).unwrap_or(Value::Null));
        }
    }
    (frames, games as usize)
}

/// A safe move (not into a wall or a body) toward the nearest food, random
/// among equals.
fn food_seeking(req: &arena_games::battlesnake::api::SnakeRequest, rng: &mut MatchRng) -> Move {
    let board = &req.board;
    let head = req.you.head;
    let blocked: std::collections::HashSet<(i32, i32)> = board
        .snakes
        .iter()
        .flat_map(|s| s.body.iter().map(|c| (c.x, c.y)))
        .collect();
    let distance = |c: Coord| {
        board
            .food
            .iter()
            .map(|f| (f.x - c.x).abs() + (f.y - c.y).abs())
            .min()
            .unwrap_or(0)
    };
    let mut safe: Vec<(i32, Move)> = Move::ALL
        .into_iter()
        .map(|m| (m.step(head), m))
        .filter(|(c, _)| {
            c.x >= 0
                && c.y >= 0
                && c.x < board.width
                && c.y < board.height
                && !blocked.contains(&(c.x, c.y))
        })
        .map(|(c, m)| (distance(c), m))
        .collect();
    let best = safe.iter().map(|(d, _)| *d).min().unwrap_or(0);
    safe.retain(|(d, _)| *d == best);
    safe.get(rng.below(safe.len().max(1) as u64) as usize)
        .map_or(Move::Up, |(_, m)| *m)
}

fn median(times: &mut [Duration]) -> Duration {
    times.sort();
    times.get(times.len() / 2).copied().unwrap_or_default()
}
