//! Core War as a plug-in: a simulation is a one-round battle of every
//! warrior (pMARS's rules, `games/src/corewar/`), load order and so who
//! moves first and where shuffled from the seed. Warriors are data, so a
//! battle is played by the MARS directly (`arena_replays::corewar`
//! records it), not through the bot loop.

use std::any::Any;
use std::path::Path;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use arena_agents::codebase::{File, Snapshot};
use arena_agents::contract::{self, Entry, Rejection};
use arena_agents::runner::StopKind;
use arena_games::corewar::battle::{Battle, default_points};
use arena_games::corewar::placement::SeedSource;
use arena_games::corewar::{Settings, Warrior};
use arena_games::engine::EndReason;
use arena_replays::Replay;

use super::{
    Entrant, GameConfig, GameError, GamePlugin, KeyError, Result, SeatOutcome, Sim, SimOutcome,
    Table, Watch, parse_section, seated,
};

/// Core War, as pMARS 0.9.2 plays it.
pub struct CoreWarGame;

/// `[corewar]`: the battle settings (pMARS's defaults).
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct CorewarConfig {
    pub core_size: u32,
    pub max_cycles: u64,
    pub max_processes: u32,
    pub max_length: u32,
    pub min_distance: u32,
}

impl Default for CorewarConfig {
    fn default() -> Self {
        CorewarConfig {
            core_size: 8000,
            max_cycles: 80000,
            max_processes: 8000,
            max_length: 100,
            min_distance: 100,
        }
    }
}

impl GamePlugin for CoreWarGame {
    fn name(&self) -> &'static str {
        "corewar"
    }

    fn rules_version(&self) -> &'static str {
        "pmars-0.9.2-icws94"
    }

    fn players(&self) -> std::ops::RangeInclusive<usize> {
        2..=36
    }

    fn configure(
        &self,
        section: Option<toml::Value>,
        players: usize,
    ) -> Result<Arc<dyn GameConfig>, KeyError> {
        let c: CorewarConfig = parse_section("corewar", section)?;
        if c.core_size == 0 || c.max_processes == 0 || c.max_cycles == 0 || c.max_length == 0 {
            return Err(KeyError::new(
                "corewar",
                "core_size, max_cycles, max_processes and max_length must be at least 1",
            ));
        }
        if c.min_distance < c.max_length {
            return Err(KeyError::new(
                "corewar.min_distance",
                format!("must be at least max_length ({})", c.max_length),
            ));
        }
        if u64::from(c.core_size) < players as u64 * u64::from(c.min_distance) {
            return Err(KeyError::new(
                "corewar.core_size",
                format!(
                    "too small for {players} warriors {} cells apart",
                    c.min_distance
                ),
            ));
        }
        let settings = Settings {
            core_size: c.core_size,
            max_cycles: c.max_cycles,
            max_processes: c.max_processes,
            max_length: c.max_length,
            min_distance: c.min_distance,
            rounds: 1,
            pspace_size: Settings::default_pspace_size(c.core_size),
            warriors: players as u32,
            icws88: false,
        };
        Ok(Arc::new(CorewarSetup {
            config: c,
            settings,
        }))
    }

    /// A `.red` file is a codebase of one `warrior.red`.
    fn codebase_from_file(&self, _path: &Path, bytes: Vec<u8>) -> Option<Snapshot> {
        Some(Snapshot::from_files(
            [(
                contract::WARRIOR.to_string(),
                File {
                    bytes,
                    executable: false,
                },
            )]
            .into(),
        ))
    }

    fn verify(&self, replay: &Replay) -> Option<Result<String, String>> {
        Some(
            arena_replays::corewar::verify_corewar(replay)
                .map(|()| format!("re-simulated {} round(s), identical", replay.frame_count()))
                .map_err(|m| m.to_string()),
        )
    }

    fn viewer_js(&self) -> Option<&'static str> {
        Some(include_str!("corewar.viewer.js"))
    }

    /// `?round=R&at=E&trail=T`: the core of round R after E executions with
    /// owners and the writes of the last T (default 64), and the round's
    /// timeline (its length in executions and each death).
    fn viewer_data(
        &self,
        replay: &Replay,
        query: &std::collections::BTreeMap<String, String>,
    ) -> Option<Result<Value, String>> {
        Some(core_view(replay, query))
    }
}

/// [`CoreWarGame::viewer_data`].
fn core_view(
    replay: &Replay,
    query: &std::collections::BTreeMap<String, String>,
) -> Result<Value, String> {
    let number = |key: &str, default: u64| -> Result<u64, String> {
        query.get(key).map_or(Ok(default), |v| {
            v.parse::<u64>()
                .map_err(|_| format!("{key}={v:?} is not a whole number"))
        })
    };
    if let Some(k) = query
        .keys()
        .find(|k| !["round", "at", "trail"].contains(&k.as_str()))
    {
        return Err(format!(
            "unknown parameter {k:?}; Core War's view takes round, at and trail"
        ));
    }
    let round = number("round", 0)?;
    let at = number("at", 0)?;
    let trail = number("trail", 64)?.min(4096);
    let timeline =
        arena_replays::corewar::round_timeline(replay, round).map_err(|m| m.to_string())?;
    let trace =
        arena_replays::corewar::core_trace(replay, round, at, trail).map_err(|m| m.to_string())?;
    Ok(serde_json::json!({
        "rounds": replay.frame_count(),
        "timeline": {
            "executions": timeline.executions,
            "deaths": timeline.deaths,
        },
        "core": trace,
    }))
}

/// Core War with its settings.
#[derive(Debug)]
struct CorewarSetup {
    config: CorewarConfig,
    /// The battle settings for one round of every player's warrior.
    settings: Settings,
}

impl GameConfig for CorewarSetup {
    fn game(&self) -> &'static dyn GamePlugin {
        &CoreWarGame
    }

    fn settings_json(&self) -> Value {
        serde_json::to_value(&self.config).unwrap_or(Value::Null)
    }

    fn settings_any(&self) -> &dyn Any {
        &self.settings
    }

    fn validate(&self, codebase: &Snapshot) -> Result<(), Rejection> {
        contract::corewar(codebase, &self.settings).map(|_| ())
    }

    fn table(&self, entrants: &[Entrant], _games: u32) -> Result<Box<dyn Table>> {
        let warriors = entrants
            .iter()
            .map(
                |e| match contract::corewar(e.snapshot("corewar")?, &self.settings) {
                    Ok(Entry::Warrior(w)) => Ok(w),
                    Ok(Entry::Program(_)) => Err(GameError::WrongKind {
                        player: e.name.clone(),
                        wanted: "warrior",
                    }),
                    Err(rejection) => Err(GameError::Rejected {
                        player: e.name.clone(),
                        rejection,
                    }),
                },
            )
            .collect::<Result<Vec<_>>>()?;
        Ok(Box::new(CorewarTable {
            settings: self.settings.clone(),
            rules_version: CoreWarGame.rules_version(),
            warriors,
            who: Entrant::who(entrants),
        }))
    }
}

/// Assembled warriors, ready for battles.
struct CorewarTable {
    settings: Settings,
    rules_version: &'static str,
    warriors: Vec<Warrior>,
    /// Names and hashes (the codebases are not needed once assembled).
    who: Vec<(String, String)>,
}

impl Table for CorewarTable {
    fn play(&self, sim: &Sim, _watch: &mut dyn Watch) -> Result<SimOutcome> {
        let n = sim.seats.len();
        let battle = Battle {
            settings: Settings {
                rounds: 1,
                warriors: n as u32,
                ..self.settings.clone()
            },
            warriors: sim
                .seats
                .iter()
                .map(|&k| self.warriors[k].clone())
                .collect(),
            // pMARS's generator needs a seed in 1..2^31-1.
            seed: SeedSource::Seed((sim.seed % 2_147_483_646) as i64 + 1),
            permutate: false,
            points: default_points(n),
        };
        let header = arena_replays::corewar::corewar_header(
            &battle,
            self.rules_version,
            sim.seed,
            seated(sim, &self.who),
        )?;
        // A battle takes about a millisecond: spectators replay it once it
        // is stored rather than follow it live, so the watch is not told.
        // One play gives both the result and the replay's frames.
        let record = arena_replays::corewar::record_corewar(&battle, 1);
        let outcome = &record.outcome;
        let survivors = (0..n).filter(|&s| outcome.survivals(s) > 0).count();
        let seats = (0..n)
            .map(|seat| {
                let placements = outcome.placements(seat);
                let placement = placements.iter().position(|&c| c > 0).map_or(n, |k| k + 1);
                let reason = match (placement, survivors) {
                    (1, 1) => EndReason::Won,
                    (1, _) => EndReason::Drew,
                    _ => EndReason::Eliminated,
                };
                SeatOutcome {
                    placement: placement as u32,
                    score: outcome.scores[seat] as f64,
                    reason,
                    cause: None,
                    stop: (reason == EndReason::Eliminated).then_some(StopKind::Killed),
                    late: 0,
                    stderr_tail: String::new(),
                }
            })
            .collect();
        Ok(SimOutcome {
            turns: 1,
            seats,
            header,
            frames: record.frames,
        })
    }
}
