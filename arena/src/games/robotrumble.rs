//! RobotRumble as a plug-in: robot-rumble/logic's rules
//! (`games/src/robotrumble/`), each team a CodeClash `robot.py` defining
//! `robot(state, unit)` (and maybe `init_turn(state)`), run sandboxed
//! behind the game's adapter (`games/src/robotrumble/adapter.py`), one
//! fresh process per team per game as the reference runs one per battle.

use std::any::Any;
use std::sync::Arc;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use arena_agents::codebase::Snapshot;
use arena_agents::contract::{Entry, Rejection};
use arena_agents::play;
use arena_agents::runner;
use arena_games::engine::{Match, MatchResult};
use arena_games::robotrumble::map;
use arena_games::robotrumble::{
    ADAPTER_JS, ADAPTER_PY, Coords, Ending, RobotRumble, RumbleSetup, SpawnPlan, Team,
};
use arena_replays::ReplayHeader;

use super::bots::{BotSource, adapter_entry, start_all};
use super::{
    Columns, Entrant, GameConfig, GameError, GamePlugin, KeyError, Result, SeatOutcome, Sim,
    SimOutcome, Table, Watch, parse_section, seated,
};
use crate::environments::Needs;

/// RobotRumble, as robot-rumble/logic plays its normal mode.
pub struct RobotRumbleGame;

/// The adapters' file names in a bot's folder.
const ADAPTER: &str = "arena_robotrumble_adapter.py";
const ADAPTER_JS_FILE: &str = "arena_robotrumble_adapter.js";

/// The bot's file, as CodeClash lays a RobotRumble codebase out.
const ROBOT: &str = "robot.py";

/// `[robotrumble]`: the game's settings.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct RobotRumbleConfig {
    /// Turns played (`rumblebot run term --turn-num`, 100).
    pub turn_limit: u32,
    /// Time a team's program has for one turn (all its units). The
    /// reference CLI sets none; a program past it loses the game, as the
    /// reference's `Timeout` program error does where one is set.
    pub turn_timeout_ms: u64,
    /// Blue's spawn points, `[x, y]`, in the order the reference spawned
    /// them in a recorded game (Red spawns at each one's mirror): replays
    /// that game's spawns instead of drawing them from the seed, to compare
    /// with the reference turn by turn (docs/robotrumble.md).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub spawns: Option<Vec<[i32; 2]>>,
}

impl Default for RobotRumbleConfig {
    fn default() -> Self {
        RobotRumbleConfig {
            turn_limit: 100,
            turn_timeout_ms: 1000,
            spawns: None,
        }
    }
}

impl GamePlugin for RobotRumbleGame {
    fn name(&self) -> &'static str {
        "robotrumble"
    }

    fn rules_version(&self) -> &'static str {
        "robotrumble-normal-1"
    }

    fn players(&self) -> std::ops::RangeInclusive<usize> {
        2..=2
    }

    fn configure(
        &self,
        section: Option<toml::Value>,
        _players: usize,
    ) -> Result<Arc<dyn GameConfig>, KeyError> {
        let c: RobotRumbleConfig = parse_section("robotrumble", section)?;
        if !(1..=1000).contains(&c.turn_limit) {
            return Err(KeyError::new(
                "robotrumble.turn_limit",
                "must be 1 to 1000 (turns in a game; RobotRumble plays 100)",
            ));
        }
        if c.turn_timeout_ms == 0 {
            return Err(KeyError::new(
                "robotrumble.turn_timeout_ms",
                "must be at least 1 (milliseconds a team's program has for a turn)",
            ));
        }
        let spawn_points = map::spawn_points();
        if let Some(bad) = c
            .spawns
            .iter()
            .flatten()
            .find(|p| !spawn_points.contains(&Coords(p[0], p[1])))
        {
            return Err(KeyError::new(
                "robotrumble.spawns",
                format!(
                    "[{}, {}] is not a spawn point (the cells inside the wall circle next to it, e.g. [1, 9])",
                    bad[0], bad[1]
                ),
            ));
        }
        Ok(Arc::new(RobotRumbleSettings(c)))
    }

    fn viewer_js(&self) -> Option<&'static str> {
        Some(include_str!("robotrumble.viewer.js"))
    }

    fn columns(&self) -> Columns {
        Columns {
            causes: Some("failed"),
            late_moves: false,
        }
    }
}

/// RobotRumble with its settings.
#[derive(Debug)]
struct RobotRumbleSettings(RobotRumbleConfig);

/// The JavaScript bot's file.
const ROBOT_JS: &str = "robot.js";

/// Whether Node.js runs here (`node --version` succeeds).
fn node_available() -> bool {
    static NODE: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *NODE.get_or_init(|| {
        std::process::Command::new("node")
            .arg("--version")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    })
}

/// A RobotRumble codebase: `robot.py` (or `robot.js` where Node.js runs),
/// run through the game's adapter.
fn contract(codebase: &Snapshot) -> Result<Entry, Rejection> {
    let how = "define robot(state, unit) returning an Action or None";
    if let Some(entry) = adapter_entry(codebase, ROBOT, "robot", how, &["python3", ADAPTER])? {
        return Ok(entry);
    }
    if codebase.get(ROBOT_JS).is_some() && !node_available() {
        return Err(Rejection(format!(
            "{ROBOT_JS}: JavaScript robots need Node.js (`node` on the PATH), which this machine lacks; install it or write {ROBOT} defining robot(state, unit)"
        )));
    }
    let how = "define function robot(state, unit) returning an Action or null";
    adapter_entry(codebase, ROBOT_JS, "robot", how, &["node", ADAPTER_JS_FILE])?.ok_or_else(|| {
        Rejection(format!(
            "no {ROBOT}: a RobotRumble codebase is a {ROBOT} defining robot(state, unit) -> Action or None, as CodeClash's (or a {ROBOT_JS})"
        ))
    })
}

impl GameConfig for RobotRumbleSettings {
    fn game(&self) -> &'static dyn GamePlugin {
        &RobotRumbleGame
    }

    fn settings_json(&self) -> Value {
        serde_json::to_value(&self.0).unwrap_or(Value::Null)
    }

    fn settings_any(&self) -> &dyn Any {
        &self.0
    }

    fn validate(&self, codebase: &Snapshot) -> Result<(), Rejection> {
        contract(codebase).map(|_| ())
    }

    /// A `robot.py` runs in a Python environment (the adapter needs only
    /// the standard library) with its `requirements.txt`; a `robot.js`
    /// runs under the host's `node`.
    fn needs(&self, codebase: &Snapshot) -> Needs {
        if codebase.get(ROBOT).is_some() {
            Needs::python(codebase, &[], &[""])
        } else {
            Needs::Nothing
        }
    }

    fn table(&self, entrants: &[Entrant], _games: u32) -> Result<Box<dyn Table>> {
        let bots = entrants
            .iter()
            .map(|e| {
                BotSource::prepare(
                    e,
                    contract,
                    &[
                        (ADAPTER, ADAPTER_PY.as_bytes()),
                        (ADAPTER_JS_FILE, ADAPTER_JS.as_bytes()),
                    ],
                )
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(Box::new(RobotRumbleTable {
            config: self.0.clone(),
            who: Entrant::who(entrants),
            bots,
        }))
    }
}

/// Two teams, ready for games.
struct RobotRumbleTable {
    config: RobotRumbleConfig,
    who: Vec<(String, String)>,
    bots: Vec<BotSource>,
}

impl Table for RobotRumbleTable {
    fn play(&self, sim: &Sim, watch: &mut dyn Watch) -> Result<SimOutcome> {
        let names: Vec<String> = sim.seats.iter().map(|&k| self.who[k].0.clone()).collect();
        let [blue, red] = <[String; 2]>::try_from(names).map_err(|n| GameError::Seats {
            game: "robotrumble",
            wanted: 2,
            seated: n.len(),
        })?;
        let plan = match &self.config.spawns {
            Some(points) => {
                SpawnPlan::Scripted(points.iter().map(|p| Coords(p[0], p[1])).collect())
            }
            None => SpawnPlan::Seeded,
        };
        let setup = RumbleSetup {
            turn_limit: self.config.turn_limit,
            plan,
            ..RumbleSetup::new(blue, red)
        };
        let header = ReplayHeader::new(
            RobotRumbleGame.name(),
            RobotRumbleGame.rules_version(),
            sim.seed,
            seated(sim, &self.who),
            serde_json::to_value(&self.config)?,
        );
        watch.start(&header);
        let seated_bots: Vec<&BotSource> = sim.seats.iter().map(|&k| &self.bots[k]).collect();
        let bots = start_all(&seated_bots, &runner::Limits::default());
        let mut played = play::play(
            Match::<RobotRumble>::new(sim.seed, setup),
            bots,
            Duration::from_millis(self.config.turn_timeout_ms),
            &mut |turn, frame| watch.frame(turn, frame),
        );
        let n = sim.seats.len();
        let result = played
            .game
            .result()
            .cloned()
            .unwrap_or_else(|| MatchResult::from_scores(played.game.turns(), &[0.0, 0.0], &[]));
        let ending = RobotRumble::ending(played.game.world_mut()).cloned();
        let seats = (0..n)
            .map(|seat| {
                let mut o = SeatOutcome::from_result(&result, seat, n, played.seats.get(seat));
                if let Some(Ending::Failure { failures }) = &ending {
                    o.cause = failures
                        .get(&Team::of_seat(seat as u8))
                        .map(|f| f.word().to_string());
                }
                o
            })
            .collect();
        Ok(SimOutcome {
            turns: played.game.turns(),
            seats,
            header,
            frames: played.frames,
        })
    }
}
