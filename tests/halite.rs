//! Halite I conformance: our rules against games recorded with the official
//! environment (`tests/data/halite/regen-games.sh`: the environment's `.hlt`
//! replays and `-q` output for the cases of `games.txt`).
//!
//! `recorded_games` replays each game's recorded moves through our rules and
//! checks the map before the first turn, every frame after it (owners and
//! strengths), the number of frames, and each player's rank and last frame
//! alive. Ejections (the environment's timeout tags) come from the output:
//! a player ejected at turn T was last alive on frame T - 1.

use std::collections::BTreeMap;

use arena_games::engine::{EndReason, Match, Seat};
use arena_games::halite::{Halite, HaliteAction, HaliteSetup, HltGame, Location, Map};
use serde_json::Value;

use crate::util;

/// One recorded game.
struct Recorded {
    name: String,
    dims: (u16, u16),
    seed: u32,
    hlt: Value,
    /// The `.hlt` file's bytes.
    raw: Vec<u8>,
    /// (tag, rank, last frame alive), by tag.
    stats: Vec<(u8, u32, i64)>,
    /// Tags the environment ejected.
    ejected: Vec<u8>,
}

fn load_cases() -> Vec<Recorded> {
    let dir = util::data("halite");
    let list = std::fs::read_to_string(dir.join("games.txt")).expect("games.txt");
    let mut out = Vec::new();
    for line in list
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
    {
        let f: Vec<&str> = line.split('|').map(str::trim).collect();
        let name = f[0].to_string();
        let d: Vec<u16> = f[1].split(' ').map(|x| x.parse().expect("dims")).collect();
        let seed: u32 = f[2].parse().expect("seed");
        let players = f[3].split(';').count();
        let z = std::fs::read(dir.join("games").join(format!("{name}.hlt.zst"))).expect("hlt");
        let raw = zstd::decode_all(&z[..]).expect("zstd");
        let hlt: Value = serde_json::from_slice(&raw).expect("json");
        let out_text =
            std::fs::read_to_string(dir.join("games").join(format!("{name}.out"))).expect("out");
        let lines: Vec<&str> = out_text.split('\n').collect();
        // Bot commands, the size line, the replay line, then the stats.
        let first = players + 2;
        let stats: Vec<(u8, u32, i64)> = lines[first..first + players]
            .iter()
            .map(|l| {
                let n: Vec<i64> = l.split(' ').map(|x| x.parse().expect("stat")).collect();
                (n[0] as u8, n[1] as u32, n[2])
            })
            .collect();
        let ejected = lines[first + players]
            .split(' ')
            .filter(|t| !t.is_empty())
            .map(|t| t.parse().expect("tag"))
            .collect();
        out.push(Recorded {
            name,
            dims: (d[0], d[1]),
            seed,
            hlt,
            raw,
            stats,
            ejected,
        });
    }
    out
}

/// Owner and strength of every cell of a `.hlt` frame.
fn hlt_frame(frame: &Value) -> Vec<(u8, u8)> {
    let mut cells = Vec::new();
    for row in frame.as_array().expect("rows") {
        for c in row.as_array().expect("cells") {
            cells.push((
                c[0].as_u64().expect("owner") as u8,
                c[1].as_u64().expect("strength") as u8,
            ));
        }
    }
    cells
}

fn ours(map: &Map) -> Vec<(u8, u8)> {
    map.sites.iter().map(|s| (s.owner, s.strength)).collect()
}

/// The first cell where two frames differ.
fn first_difference(got: &[(u8, u8)], want: &[(u8, u8)], width: usize) -> String {
    match got.iter().zip(want).position(|(a, b)| a != b) {
        Some(i) => format!(
            "cell ({}, {}): ours (owner, strength) {:?}, the environment's {:?}",
            i % width,
            i / width,
            got[i],
            want[i]
        ),
        None => format!("sizes {} vs {}", got.len(), want.len()),
    }
}

/// Plays one recorded game through our rules; `Err` says where it differs.
fn check(case: &Recorded) -> Result<usize, String> {
    let hlt = &case.hlt;
    let players = hlt["num_players"].as_u64().ok_or("num_players")? as u8;
    let map = Map::generate(case.dims.0, case.dims.1, players, case.seed)
        .map_err(|e| format!("map: {e}"))?;
    let width = usize::from(map.width);
    if u64::from(map.width) != hlt["width"] || u64::from(map.height) != hlt["height"] {
        return Err(format!("size {}x{} differs", map.width, map.height));
    }
    let prods: Vec<u8> = hlt["productions"]
        .as_array()
        .ok_or("productions")?
        .iter()
        .flat_map(|r| r.as_array().into_iter().flatten())
        .map(|v| v.as_u64().unwrap_or(999) as u8)
        .collect();
    let ours_prod: Vec<u8> = map.sites.iter().map(|s| s.production).collect();
    if prods != ours_prod {
        return Err("productions differ".into());
    }
    let frames = hlt["frames"].as_array().ok_or("frames")?;
    let moves = hlt["moves"].as_array().ok_or("moves")?;
    let mut game = Match::<Halite>::new(0, HaliteSetup { map, players });
    let names: Vec<String> = hlt["player_names"]
        .as_array()
        .ok_or("player_names")?
        .iter()
        .map(|n| n.as_str().unwrap_or("").to_string())
        .collect();
    let mut export = HltGame::new(Halite::map(game.world()), names);
    let first = hlt_frame(&frames[0]);
    if ours(Halite::map(game.world())) != first {
        return Err(format!(
            "frame 0: {}",
            first_difference(&ours(Halite::map(game.world())), &first, width)
        ));
    }
    // When each ejected player was ejected: turn last_frame_alive + 1.
    let mut ejected_at: BTreeMap<u8, i64> = BTreeMap::new();
    for &(tag, _, last) in &case.stats {
        if case.ejected.contains(&tag) {
            ejected_at.insert(tag, last + 1);
        }
    }
    for (&tag, _) in ejected_at.iter().filter(|(_, t)| **t == 0) {
        Halite::fail_init(game.world_mut(), Seat(tag - 1), EndReason::Timeout);
    }
    Halite::after_init(game.world_mut());
    let mut turn = 0usize;
    while !game.is_over() {
        turn += 1;
        let before = hlt_frame(&frames[turn - 1]);
        let mv = &moves[turn - 1];
        let mut by_seat: Vec<Vec<(Location, u8)>> = vec![Vec::new(); usize::from(players)];
        for (y, row) in mv.as_array().ok_or("moves row")?.iter().enumerate() {
            for (x, d) in row.as_array().ok_or("moves cell")?.iter().enumerate() {
                let d = d.as_u64().unwrap_or(0) as u8;
                let owner = before[y * width + x].0;
                if d != 0 && owner != 0 {
                    by_seat[usize::from(owner - 1)].push((
                        Location {
                            x: x as u16,
                            y: y as u16,
                        },
                        d,
                    ));
                }
            }
        }
        let mut actions = Vec::new();
        for seat in 0..players {
            if !Halite::is_alive(game.world_mut(), Seat(seat)) {
                continue;
            }
            let action = if ejected_at.get(&(seat + 1)) == Some(&(turn as i64)) {
                HaliteAction::Ejected(EndReason::Timeout)
            } else {
                HaliteAction::Moves(std::mem::take(&mut by_seat[usize::from(seat)]))
            };
            actions.push((Seat(seat), action));
        }
        game.step(actions);
        export.push(
            Halite::last_moves(game.world()).to_vec(),
            Halite::map(game.world()),
        );
        let Some(want) = frames.get(turn) else {
            return Err(format!(
                "we play on past the environment's last frame, {}",
                turn - 1
            ));
        };
        let want = hlt_frame(want);
        let got = ours(Halite::map(game.world()));
        if got != want {
            return Err(format!(
                "frame {turn}: {}",
                first_difference(&got, &want, width)
            ));
        }
    }
    if turn + 1 != frames.len() {
        return Err(format!(
            "we ended after {} frames, the environment after {}",
            turn + 1,
            frames.len()
        ));
    }
    let stats: Vec<(u8, u32, i64)> = Halite::stats(game.world_mut())
        .into_iter()
        .map(|s| (s.tag, s.rank, s.last_frame_alive))
        .collect();
    if stats != case.stats {
        return Err(format!(
            "(tag, rank, last frame alive): ours {stats:?}, the environment's {:?}",
            case.stats
        ));
    }
    if export.to_json().as_bytes() != case.raw.as_slice() {
        return Err("our .hlt export differs from the environment's file".into());
    }
    Ok(turn)
}

#[test]
fn recorded_games() {
    let cases = load_cases();
    assert!(cases.len() >= 25, "only {} recorded games", cases.len());
    let mut bad = Vec::new();
    let mut frames = 0;
    for case in &cases {
        match check(case) {
            Ok(n) => frames += n,
            Err(e) => bad.push(format!("{}: {e}", case.name)),
        }
    }
    assert!(
        bad.is_empty(),
        "{} of {} games differ:\n{}",
        bad.len(),
        cases.len(),
        bad.join("\n")
    );
    assert!(frames > 3000, "only {frames} frames checked");
    eprintln!("{} recorded games, {frames} frames, identical", cases.len());
}

/// `arena match --game halite` with the starters (Python and C, the C one
/// built once, in the sandbox, when validated), and a C codebase that does
/// not compile: it is rejected with the compiler's message.
#[test]
fn starters_play_and_a_compile_error_is_a_rejection() {
    let out = util::arena()
        .args([
            "match", "--game", "halite", "--sims", "2", "--seed", "5", "--jobs", "2",
        ])
        .args(["--set", "width=20", "--set", "height=20", "--json"])
        .arg(util::repo("examples/halite/python"))
        .arg(util::repo("examples/halite/c"))
        .output()
        .expect("arena runs");
    let v: Value = serde_json::from_str(&util::stdout_of_success(&out)).expect("json");
    let players = v["players"].as_array().expect("players");
    let games: u64 = players
        .iter()
        .map(|p| p["wins"].as_u64().unwrap_or(0))
        .sum();
    assert_eq!(games, 2, "{v}");
    for p in players {
        assert_eq!(p["stop_reasons"]["exited"], 2, "{p}");
    }

    let broken = tempfile::tempdir().expect("a folder");
    std::fs::write(broken.path().join("main.c"), "int main( { return 0 }\n").expect("write");
    let out = util::arena()
        .args([
            "match", "--game", "halite", "--sims", "1", "--seed", "5", "--json",
        ])
        .args(["--set", "width=20", "--set", "height=20"])
        .arg(util::repo("examples/halite/python"))
        .arg(broken.path())
        .output()
        .expect("arena runs");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("main.c does not compile"), "{err}");
    assert!(err.contains("error:"), "the compiler's message: {err}");
}

/// `arena halite`, the drop-in command line.
#[path = "halite_cli.rs"]
mod cli;

/// A stored tournament game exported as `.hlt` (`arena replay export ID
/// --format hlt`): the environment's format (keys, version 11, a frame more
/// than moves, the map's shape), and its frames follow from its first
/// frame and its moves under the environment's rules (which
/// `recorded_games` checks against the environment itself).
#[test]
fn a_stored_game_exports_as_hlt() {
    let dir = tempfile::tempdir().expect("a folder");
    let config = dir.path().join("t.toml");
    std::fs::write(
        &config,
        format!(
            "name = \"hlt-export\"\ngame = \"halite\"\nrounds = 0\nsims = 1\nseed = 3\n\
             [halite]\nwidth = 20\nheight = 20\n\
             [[players]]\nname = \"py-a\"\ncodebase = \"{0}\"\n\
             [[players]]\nname = \"py-b\"\ncodebase = \"{0}\"\n",
            util::repo("examples/halite/python").display()
        ),
    )
    .expect("config");
    let data = dir.path().join("data");
    let out = util::arena()
        .arg("run")
        .arg(&config)
        .arg("--data-dir")
        .arg(&data)
        .args(["--jobs", "1"])
        .output()
        .expect("arena runs");
    util::stdout_of_success(&out);
    let out = util::arena()
        .args(["replay", "export", "1", "--format", "hlt", "--data-dir"])
        .arg(&data)
        .output()
        .expect("arena runs");
    let text = util::stdout_of_success(&out);
    let v: Value = serde_json::from_str(&text).expect("the .hlt is JSON");
    let keys: Vec<&String> = v.as_object().expect("an object").keys().collect();
    assert_eq!(
        keys,
        [
            "frames",
            "height",
            "moves",
            "num_frames",
            "num_players",
            "player_names",
            "productions",
            "version",
            "width"
        ]
    );
    assert_eq!(v["version"], 11);
    assert_eq!(v["num_players"], 2);
    assert_eq!(v["player_names"], serde_json::json!(["py-a", "py-b"]));
    let frames = v["frames"].as_array().expect("frames");
    let moves = v["moves"].as_array().expect("moves");
    assert_eq!(v["num_frames"], frames.len());
    assert_eq!(moves.len() + 1, frames.len());
    assert!(frames.len() > 20, "{} frames", frames.len());
    let (w, h) = (
        v["width"].as_u64().expect("w"),
        v["height"].as_u64().expect("h"),
    );
    let prods: Vec<u8> = v["productions"]
        .as_array()
        .expect("productions")
        .iter()
        .flat_map(|r| r.as_array().expect("row").iter())
        .map(|p| p.as_u64().expect("production") as u8)
        .collect();
    assert_eq!(prods.len() as u64, w * h);
    // Replay its moves from its first frame through our rules.
    let first = hlt_frame(&frames[0]);
    let map = Map {
        width: w as u16,
        height: h as u16,
        sites: first
            .iter()
            .zip(&prods)
            .map(
                |(&(owner, strength), &production)| arena_games::halite::Site {
                    owner,
                    strength,
                    production,
                },
            )
            .collect(),
    };
    let width = usize::from(map.width);
    let mut game = Match::<Halite>::new(0, HaliteSetup { map, players: 2 });
    let mut export = HltGame::new(
        Halite::map(game.world()),
        vec!["py-a".into(), "py-b".into()],
    );
    for (turn, mv) in moves.iter().enumerate() {
        let before = hlt_frame(&frames[turn]);
        let mut by_seat: Vec<Vec<(Location, u8)>> = vec![Vec::new(); 2];
        for (y, row) in mv.as_array().expect("row").iter().enumerate() {
            for (x, d) in row.as_array().expect("cells").iter().enumerate() {
                let owner = before[y * width + x].0;
                if owner != 0 {
                    let l = Location {
                        x: x as u16,
                        y: y as u16,
                    };
                    by_seat[usize::from(owner - 1)].push((l, d.as_u64().expect("d") as u8));
                }
            }
        }
        let actions = (0..2u8)
            .filter(|&s| Halite::is_alive(game.world_mut(), Seat(s)))
            .map(|s| {
                (
                    Seat(s),
                    HaliteAction::Moves(std::mem::take(&mut by_seat[usize::from(s)])),
                )
            })
            .collect();
        game.step(actions);
        export.push(
            Halite::last_moves(game.world()).to_vec(),
            Halite::map(game.world()),
        );
        assert_eq!(
            ours(Halite::map(game.world())),
            hlt_frame(&frames[turn + 1]),
            "frame {}",
            turn + 1
        );
    }
    assert!(game.is_over(), "the game ends where the export does");
    assert_eq!(
        export.to_json(),
        text,
        "the export is the environment's byte layout"
    );
}
