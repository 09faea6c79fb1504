//! RobotRumble against its reference engine, robot-rumble/logic (through its
//! `rumblebot` CLI). The reference draws spawns from its own RNG, so parity
//! is checked with the spawns of a recorded reference game injected into
//! ours (`[robotrumble] spawns`), comparing every later turn: the units
//! (id, team, cell, health), each unit's action or error, and the winner.
//!
//! - `recorded_actions_replay_exactly`: the rules alone, fed the recorded
//!   actions.
//! - `same_bots_play_the_same_games`: the same `robot.py` files through our
//!   adapter and plug-in (real processes) against the recorded games.
//! - `live_against_rumblebot`: the same, with games recorded now by the
//!   `rumblebot` binary when one is built (`RUMBLEBOT`, default
//!   `/work/rumblebot/rumblebot`); says so and passes when there is none.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

use arena::games::{Entrant, Sim, Unwatched};
use arena_agents::codebase::{Limits, Snapshot};
use arena_games::engine::{Match, Seat};
use arena_games::robotrumble::{
    Coords, Direction, Order, RobotRumble, RumbleSetup, SpawnPlan, TeamAction, UnitAnswerKind,
};

use crate::util::{data, repo};

/// A unit as both sides can state it: (id, team, x, y, health).
type UnitKey = (u64, String, i64, i64, u64);

/// A recorded reference game.
struct Recorded {
    name: String,
    game: Value,
}

impl Recorded {
    fn load(path: &Path) -> Recorded {
        let text = std::fs::read_to_string(path).expect("read fixture");
        Recorded {
            name: path.display().to_string(),
            game: serde_json::from_str(&text).expect("fixture is JSON"),
        }
    }

    fn turns(&self) -> &[Value] {
        self.game["turns"].as_array().map_or(&[], |v| v.as_slice())
    }

    /// The units at the start of turn `i` (0-based index into `turns`).
    fn units(&self, i: usize) -> Vec<UnitKey> {
        let mut v: Vec<UnitKey> = self.turns()[i]["state"]["objs"]
            .as_object()
            .map(|objs| {
                objs.values()
                    .filter(|o| o["obj_type"] == "Unit")
                    .map(|o| {
                        (
                            o["id"].as_str().and_then(|s| s.parse().ok()).unwrap_or(0),
                            o["team"].as_str().unwrap_or("").to_string(),
                            o["coords"][0].as_i64().unwrap_or(-1),
                            o["coords"][1].as_i64().unwrap_or(-1),
                            o["health"].as_u64().unwrap_or(0),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default();
        v.sort();
        v
    }

    /// Blue's spawn points in spawn order: new Blue units, turn by turn, by id.
    fn spawns(&self) -> Vec<[i32; 2]> {
        let mut seen = std::collections::BTreeSet::new();
        let mut out = Vec::new();
        for i in 0..self.turns().len() {
            for (id, team, x, y, _) in self.units(i) {
                if seen.insert(id) && team == "Blue" {
                    out.push([x as i32, y as i32]);
                }
            }
        }
        out
    }

    /// Each unit's recorded result in turn `i`, as a comparable word:
    /// `Move North`, `Idle`, `Error: <summary>`.
    fn results(&self, i: usize) -> BTreeMap<u64, String> {
        self.turns()[i]["robot_actions"]
            .as_object()
            .map(|m| {
                m.iter()
                    .map(|(id, r)| (id.parse().unwrap_or(0), recorded_word(r)))
                    .collect()
            })
            .unwrap_or_default()
    }

    fn winner(&self) -> Option<String> {
        self.game["winner"].as_str().map(str::to_string)
    }

    fn bot(&self, side: &str) -> PathBuf {
        let name = self.game["fixture"][side]
            .as_str()
            .expect("fixture names its bots");
        let example = repo("examples/robotrumble").join(name);
        if example.exists() {
            example
        } else {
            data("robotrumble/bots").join(name)
        }
    }
}

/// A recorded `ValidatedRobotAction` as a word.
fn recorded_word(r: &Value) -> String {
    if let Some(ok) = r.get("Ok") {
        return match ok {
            Value::Null => "Idle".into(),
            a => format!(
                "{} {}",
                a["type"].as_str().unwrap_or("?"),
                a["direction"].as_str().unwrap_or("?")
            ),
        };
    }
    let err = &r["Err"];
    let summary = err["RuntimeError"]["summary"]
        .as_str()
        .or_else(|| err["InvalidAction"].as_str())
        .unwrap_or("?");
    format!("Error: {summary}")
}

/// Our frame's result as the same word.
fn our_word(r: &Value) -> String {
    match r {
        Value::String(s) if s == "Idle" => "Idle".into(),
        Value::Object(m) => {
            if let Some(a) = m.get("Act") {
                format!(
                    "{} {}",
                    a["kind"].as_str().unwrap_or("?"),
                    a["direction"].as_str().unwrap_or("?")
                )
            } else if let Some(e) = m.get("Error").or_else(|| m.get("Invalid")) {
                format!("Error: {}", e.as_str().unwrap_or("?"))
            } else {
                format!("{r}")
            }
        }
        _ => format!("{r}"),
    }
}

/// Our frame's units, comparable.
fn frame_units(frame: &Value) -> Vec<UnitKey> {
    let mut v: Vec<UnitKey> = frame["units"]
        .as_array()
        .map(|us| {
            us.iter()
                .map(|u| {
                    (
                        u["id"].as_u64().unwrap_or(0),
                        u["team"].as_str().unwrap_or("").to_string(),
                        u["x"].as_i64().unwrap_or(-1),
                        u["y"].as_i64().unwrap_or(-1),
                        u["health"].as_u64().unwrap_or(0),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

fn frame_results(frame: &Value) -> BTreeMap<u64, String> {
    frame["results"]
        .as_array()
        .map(|rs| {
            rs.iter()
                .map(|r| (r["id"].as_u64().unwrap_or(0), our_word(&r["result"])))
                .collect()
        })
        .unwrap_or_default()
}

/// Compares our frames with a recorded game, turn by turn; the first
/// difference fails with both sides.
fn compare(rec: &Recorded, frames: &[Value]) {
    let turns = rec.turns().len();
    assert_eq!(frames.len() + 1, turns, "{}: turns played", rec.name);
    for (k, frame) in frames.iter().enumerate() {
        assert_eq!(
            frame_results(frame),
            rec.results(k),
            "{}: actions of turn {}",
            rec.name,
            k + 1
        );
        assert_eq!(
            frame_units(frame),
            rec.units(k + 1),
            "{}: units at the start of turn {}",
            rec.name,
            k + 2
        );
    }
    let ours = frames
        .last()
        .and_then(|f| f["winner"].as_str())
        .map(str::to_string);
    assert_eq!(ours, rec.winner(), "{}: winner", rec.name);
}

fn fixtures() -> Vec<Recorded> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(data("robotrumble"))
        .expect("tests/data/robotrumble")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    paths.sort();
    assert!(
        !paths.is_empty(),
        "no recorded games in tests/data/robotrumble"
    );
    paths.iter().map(|p| Recorded::load(p)).collect()
}

/// The recorded actions, fed to the rules: every turn's units must match.
#[test]
fn recorded_actions_replay_exactly() {
    for rec in fixtures() {
        let spawns = rec.spawns().iter().map(|p| Coords(p[0], p[1])).collect();
        let setup = RumbleSetup {
            plan: SpawnPlan::Scripted(spawns),
            ..RumbleSetup::new("blue", "red")
        };
        let mut game = Match::<RobotRumble>::new(0, setup);
        let mut frames = Vec::new();
        for k in 0..rec.turns().len() - 1 {
            let mut teams: BTreeMap<&str, BTreeMap<u32, UnitAnswerKind>> = BTreeMap::new();
            let units = rec.units(k);
            for (id, r) in rec.turns()[k]["robot_actions"]
                .as_object()
                .into_iter()
                .flatten()
            {
                let id: u64 = id.parse().expect("numeric id");
                let team = units
                    .iter()
                    .find(|u| u.0 == id)
                    .map_or("Blue", |u| if u.1 == "Red" { "Red" } else { "Blue" });
                let answer = match r.get("Ok") {
                    Some(Value::Null) => UnitAnswerKind::Idle,
                    Some(a) => UnitAnswerKind::Act(Order {
                        kind: serde_json::from_value(a["type"].clone()).expect("action type"),
                        direction: serde_json::from_value::<Direction>(a["direction"].clone())
                            .expect("direction"),
                    }),
                    None => UnitAnswerKind::Error(
                        r["Err"]["RuntimeError"]["summary"]
                            .as_str()
                            .unwrap_or("?")
                            .into(),
                    ),
                };
                teams.entry(team).or_default().insert(id as u32, answer);
            }
            let action = |seat: u8, team: &str| {
                (
                    Seat(seat),
                    TeamAction::Orders {
                        units: teams.get(team).cloned().unwrap_or_default(),
                        logs: Vec::new(),
                    },
                )
            };
            let frame = game
                .step(vec![action(0, "Blue"), action(1, "Red")])
                .expect("the game goes on");
            frames.push(serde_json::to_value(frame).expect("frame"));
        }
        compare(&rec, &frames);
    }
}

/// Plays `blue` against `red` through the real plug-in with `spawns`.
fn play_ours(blue: &Path, red: &Path, spawns: &[[i32; 2]]) -> Vec<Value> {
    let game = arena::games::find("robotrumble").expect("registered");
    let mut section = toml::Table::new();
    section.insert(
        "spawns".into(),
        toml::Value::Array(
            spawns
                .iter()
                .map(|p| toml::Value::Array(vec![p[0].into(), p[1].into()]))
                .collect(),
        ),
    );
    // Generous: this compares outcomes, not speed, on a busy machine.
    section.insert("turn_timeout_ms".into(), 10_000.into());
    let config = game
        .configure(Some(toml::Value::Table(section)), 2)
        .expect("config");
    let envs = crate::util::environments();
    let entrant = |name: &str, p: &Path| {
        let codebase = Snapshot::read(p, &Limits::default()).expect("codebase");
        let prepared = arena::games::prepare(&*config, &envs, &codebase)
            .unwrap_or_else(|e| panic!("{}: {e}", p.display()));
        Entrant::codebase(name, codebase, prepared)
    };
    let entrants = [entrant("blue", blue), entrant("red", red)];
    let table = config.table(&entrants, 1).expect("table");
    let sim = Sim {
        seed: 1,
        game_id: "parity".into(),
        seats: vec![0, 1],
    };
    table.play(&sim, &mut Unwatched).expect("played").frames
}

/// The recorded games' bots, through our adapter: the same games.
#[test]
fn same_bots_play_the_same_games() {
    for rec in fixtures() {
        let frames = play_ours(&rec.bot("blue"), &rec.bot("red"), &rec.spawns());
        compare(&rec, &frames);
    }
}

/// Live: records games with `rumblebot` now and compares.
#[test]
fn live_against_rumblebot() {
    let rumblebot = PathBuf::from(
        std::env::var("RUMBLEBOT").unwrap_or_else(|_| "/work/rumblebot/rumblebot".into()),
    );
    let rumblelib = rumblebot.with_file_name("rumblelib.py");
    if !rumblebot.exists() || !rumblelib.exists() {
        eprintln!(
            "live_against_rumblebot: no {} (build it with tools/build-rumblebot.sh); compared with the recorded games only",
            rumblebot.display()
        );
        return;
    }
    let chaser = repo("examples/robotrumble/chaser");
    let jostle = data("robotrumble/bots/jostle");
    for (blue, red, seed) in [(&jostle, &chaser, "live-1"), (&chaser, &jostle, "live-2")] {
        let command = |bot: &Path| {
            format!(
                "command:python3 {} {}",
                rumblelib.display(),
                bot.join("robot.py").display()
            )
        };
        let out = std::process::Command::new(&rumblebot)
            .args(["run", "term", "--raw", "--seed", seed])
            .arg(command(blue))
            .arg(command(red))
            .output()
            .expect("run rumblebot");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let mut game: Value = serde_json::from_slice(&out.stdout).expect("rumblebot --raw is JSON");
        game["fixture"] = serde_json::json!({"blue": "", "red": ""});
        let rec = Recorded {
            name: format!("rumblebot --seed {seed}"),
            game,
        };
        let frames = play_ours(blue, red, &rec.spawns());
        compare(&rec, &frames);
    }
}
