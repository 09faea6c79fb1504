//! Halite I as a plug-in: the official environment's rules
//! (`games/src/halite/`), each player a program speaking Halite I's own
//! stdin/stdout protocol unchanged (so official starter kits run as they
//! are), one fresh sandboxed process per game as the environment starts
//! one per game.

use std::any::Any;
use std::sync::Arc;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use arena_agents::codebase::Snapshot;
use arena_agents::contract::{Entry, Launch, Protocol, Rejection};
use arena_agents::play;
use arena_agents::runner;
use arena_games::engine::{EndReason, Match, MatchResult};
use arena_games::halite::map::SIZE_CHOICES;
use arena_games::halite::{Halite, HaliteSetup, Map, Mt19937};
use arena_replays::ReplayHeader;

use super::bots::{BotSource, start_all};
use super::{
    Columns, Entrant, GameConfig, GamePlugin, KeyError, Result, SeatOutcome, Sim, SimOutcome,
    Table, Watch, parse_section, seated,
};
use crate::environments::{BuildNeeds, Language, Needs, build};

/// Halite I, as the official environment plays it.
pub struct HaliteGame;

/// `[halite]`: the game's settings.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct HaliteConfig {
    /// Map width asked for (`-d "W H"`); with `height`, or neither: then
    /// each game draws a size from the environment's choices (20 to 50,
    /// square), from its seed.
    pub width: Option<u16>,
    pub height: Option<u16>,
    /// Time for a bot's init answer (the environment: 30000).
    pub init_timeout_ms: u64,
    /// Time for a frame's moves (the environment: 1500).
    pub turn_timeout_ms: u64,
}

impl Default for HaliteConfig {
    fn default() -> Self {
        HaliteConfig {
            width: None,
            height: None,
            init_timeout_ms: 30_000,
            turn_timeout_ms: 1_500,
        }
    }
}

impl HaliteConfig {
    /// The map seed (the environment's `-s`, an unsigned int; 0 would mean
    /// "from the clock" there) and size for a simulation's seed.
    pub fn map_for(&self, seed: u64, players: u8) -> Result<Map> {
        let map_seed = (seed % u64::from(u32::MAX)) as u32;
        let map_seed = if map_seed == 0 { 1 } else { map_seed };
        let (w, h) = match (self.width, self.height) {
            (Some(w), Some(h)) => (w, h),
            _ => {
                let side =
                    SIZE_CHOICES[(Mt19937::new(map_seed ^ 0x4A11_7E00).next_u32() % 16) as usize];
                (side, side)
            }
        };
        Ok(Map::generate(w, h, players, map_seed)?)
    }
}

impl GamePlugin for HaliteGame {
    fn name(&self) -> &'static str {
        "halite"
    }

    fn rules_version(&self) -> &'static str {
        "halite-1.2"
    }

    fn players(&self) -> std::ops::RangeInclusive<usize> {
        2..=6
    }

    fn configure(
        &self,
        section: Option<toml::Value>,
        players: usize,
    ) -> Result<Arc<dyn GameConfig>, KeyError> {
        let c: HaliteConfig = parse_section("halite", section)?;
        match (c.width, c.height) {
            (Some(_), None) | (None, Some(_)) => {
                return Err(KeyError::new(
                    "halite.width",
                    "give width and height together, or neither (a size drawn per game)",
                ));
            }
            (Some(w), Some(h)) => {
                let p = players.clamp(2, 6) as u8;
                Map::generate(w, h, p, 1)
                    .map_err(|e| KeyError::new("halite.width", e.to_string()))?;
            }
            _ => {}
        }
        if c.turn_timeout_ms == 0 || c.init_timeout_ms == 0 {
            return Err(KeyError::new(
                "halite.turn_timeout_ms",
                "timeouts must be at least 1 millisecond",
            ));
        }
        Ok(Arc::new(HaliteSettings(c)))
    }

    fn viewer_js(&self) -> Option<&'static str> {
        Some(include_str!("halite.viewer.js"))
    }

    fn columns(&self) -> Columns {
        Columns {
            causes: Some("ejected"),
            late_moves: false,
        }
    }
}

/// Halite with its settings.
#[derive(Debug)]
struct HaliteSettings(HaliteConfig);

/// What a Halite codebase's bot is: where its source is (`""` or
/// `"submission/"`) and in which language (`None`: Python).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct HaliteBot {
    dir: &'static str,
    language: Option<Language>,
}

/// A Halite codebase, as CodeClash lays one out: `submission/main.py` or a
/// `main.py` (run by python3), or `main.c` / `main.cpp` / `main.rs`
/// (built once when the codebase is validated: a compile error rejects it
/// with the compiler's message).
fn bot(codebase: &Snapshot) -> Result<HaliteBot, Rejection> {
    for dir in ["", "submission/"] {
        if codebase.get(&format!("{dir}main.py")).is_some() {
            return Ok(HaliteBot {
                dir,
                language: None,
            });
        }
        for language in Language::ALL {
            if codebase
                .get(&format!("{dir}{}", language.source()))
                .is_some()
            {
                return Ok(HaliteBot {
                    dir,
                    language: Some(language),
                });
            }
        }
    }
    Err(Rejection(
        "no main.py, main.c, main.cpp or main.rs (at the top or in submission/): a Halite codebase is a program speaking Halite I's stdin/stdout protocol".into(),
    ))
}

/// How a Halite bot starts: in its source's folder, `python3 main.py` or
/// the program built at validation.
fn contract(codebase: &Snapshot) -> Result<Entry, Rejection> {
    let b = bot(codebase)?;
    let cd = match b.dir {
        "" => String::new(),
        dir => format!("cd {} && ", dir.trim_end_matches('/')),
    };
    let run = match b.language {
        None => "exec python3 main.py".to_string(),
        Some(_) => format!("exec ./{}", build::PROGRAM),
    };
    Ok(Entry::Program(Launch {
        command: vec!["sh".into(), "-c".into(), format!("{cd}{run}")],
        protocol: Protocol::Lines,
    }))
}

impl GameConfig for HaliteSettings {
    fn game(&self) -> &'static dyn GamePlugin {
        &HaliteGame
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

    fn needs(&self, codebase: &Snapshot) -> Needs {
        match bot(codebase) {
            Ok(HaliteBot {
                dir,
                language: None,
            }) => Needs::python(codebase, &[], &[dir, ""]),
            Ok(HaliteBot {
                dir,
                language: Some(language),
            }) => Needs::Build(BuildNeeds {
                language,
                dir: dir.to_string(),
            }),
            Err(_) => Needs::Nothing,
        }
    }

    fn table(&self, entrants: &[Entrant], _games: u32) -> Result<Box<dyn Table>> {
        let bots = entrants
            .iter()
            .map(|e| BotSource::prepare(e, contract, &[]))
            .collect::<Result<Vec<_>>>()?;
        Ok(Box::new(HaliteTable {
            config: self.0.clone(),
            who: Entrant::who(entrants),
            bots,
        }))
    }
}

/// Bots ready for games.
struct HaliteTable {
    config: HaliteConfig,
    who: Vec<(String, String)>,
    bots: Vec<BotSource>,
}

/// The runner's limits for a Halite bot: the init time as start-up time,
/// and room for a long game's output.
pub fn limits(config: &HaliteConfig) -> runner::Limits {
    let mut l = runner::Limits::default();
    l.startup = Duration::from_millis(config.init_timeout_ms);
    l.stdout_bytes = 1 << 32;
    l.cpu_time = l.cpu_time.max(Duration::from_secs(3600));
    l
}

impl Table for HaliteTable {
    fn play(&self, sim: &Sim, watch: &mut dyn Watch) -> Result<SimOutcome> {
        let n = sim.seats.len();
        let map = self.config.map_for(sim.seed, n as u8)?;
        let header = ReplayHeader::new(
            HaliteGame.name(),
            HaliteGame.rules_version(),
            sim.seed,
            seated(sim, &self.who),
            serde_json::to_value(&self.config)?,
        );
        watch.start(&header);
        let seated_bots: Vec<&BotSource> = sim.seats.iter().map(|&k| &self.bots[k]).collect();
        let bots = start_all(&seated_bots, &limits(&self.config));
        let played = play::play(
            Match::<Halite>::new(
                sim.seed,
                HaliteSetup {
                    map,
                    players: n as u8,
                },
            ),
            bots,
            Duration::from_millis(self.config.turn_timeout_ms),
            &mut |turn, frame| watch.frame(turn, frame),
        );
        let result =
            played.game.result().cloned().unwrap_or_else(|| {
                MatchResult::from_scores(played.game.turns(), &vec![0.0; n], &[])
            });
        let seats = (0..n)
            .map(|seat| {
                let mut o = SeatOutcome::from_result(&result, seat, n, played.seats.get(seat));
                o.cause = match o.reason {
                    EndReason::Timeout => Some("timeout".into()),
                    EndReason::Crashed => Some("crashed".into()),
                    EndReason::Invalid => Some("bad-moves".into()),
                    _ => None,
                };
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

/// Why a stored Halite replay cannot be written as `.hlt`: its frames are
/// not what the game stores (the database was changed by something else).
#[derive(Debug, thiserror::Error)]
#[error("this replay's frames are not Halite's: {0}")]
pub struct HltError(String);

/// A stored Halite replay as the environment's `.hlt`: the first frame's
/// `start` gives the productions and the map before the first turn, each
/// frame the owners, strengths and moves after its turn (hex, as
/// `HaliteFrame` stores them). The names are the seated players' (the
/// store keeps the tournament's names, not what the bots sent at init).
pub fn hlt_from_frames(
    names: Vec<String>,
    frames: impl IntoIterator<Item = Value>,
) -> Result<arena_games::halite::HltGame, HltError> {
    let bad = |what: &str| HltError(what.to_string());
    fn digits(s: &str, per: usize) -> Result<Vec<u8>, HltError> {
        if per == 1 {
            return s
                .chars()
                .map(|c| {
                    c.to_digit(16)
                        .map(|d| d as u8)
                        .ok_or_else(|| HltError("a bad owner digit".into()))
                })
                .collect();
        }
        if !s.len().is_multiple_of(2) {
            return Err(HltError("odd hex length".into()));
        }
        (0..s.len())
            .step_by(2)
            .map(|i| {
                s.get(i..i + 2)
                    .and_then(|h| u8::from_str_radix(h, 16).ok())
                    .ok_or_else(|| HltError("a bad hex byte".into()))
            })
            .collect()
    }
    let text = |v: &Value, k: &str| -> Result<String, HltError> {
        Ok(v[k]
            .as_str()
            .ok_or_else(|| HltError(format!("a frame without {k}")))?
            .to_string())
    };
    let mut game = arena_games::halite::HltGame {
        player_names: names,
        ..Default::default()
    };
    for (i, f) in frames.into_iter().enumerate() {
        if i == 0 {
            let start = &f["start"];
            if !start.is_object() {
                return Err(bad(
                    "the first frame has no start (productions and the map before the first turn)",
                ));
            }
            game.width = f["width"].as_u64().ok_or_else(|| bad("width"))? as u16;
            game.height = f["height"].as_u64().ok_or_else(|| bad("height"))? as u16;
            game.productions = digits(&text(start, "productions")?, 2)?;
            let owners = digits(&text(start, "owners")?, 1)?;
            let strengths = digits(&text(start, "strengths")?, 2)?;
            game.frames
                .push(owners.into_iter().zip(strengths).collect());
        }
        let owners = digits(&text(&f, "owners")?, 1)?;
        let strengths = digits(&text(&f, "strengths")?, 2)?;
        let cells = game.productions.len();
        if owners.len() != cells || strengths.len() != cells {
            return Err(HltError(format!(
                "frame {i} has {} cells, the map {cells}",
                owners.len()
            )));
        }
        game.moves.push(digits(&text(&f, "moves")?, 2)?);
        game.frames
            .push(owners.into_iter().zip(strengths).collect());
    }
    if game.frames.is_empty() {
        return Err(bad("a replay without frames"));
    }
    Ok(game)
}
