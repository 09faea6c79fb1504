//! BattleSnake as a plug-in: the official rules (`games/src/battlesnake/`)
//! with each snake's bot a sandboxed program speaking the official HTTP API
//! (or JSON lines), driven turn by turn by `arena_agents::play`.

use std::any::Any;
use std::sync::Arc;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use arena_agents::codebase::Snapshot;
use arena_agents::contract::{self, Entry, Rejection};
use arena_agents::play;
use arena_agents::runner;
use arena_games::battlesnake::{BattleSnake, BattleSnakeSetup, RulesetName};
use arena_games::engine::Match;
use arena_replays::ReplayHeader;

use super::bots::{BotLifetime, BotSource, runs_python, start_all};
use super::{
    Columns, Entrant, GameConfig, GamePlugin, KeyError, Result, SeatOutcome, Sim, SimOutcome,
    Table, Watch, parse_section, seated,
};
use crate::environments::Needs;

/// BattleSnake, as BattlesnakeOfficial/rules plays it.
pub struct BattleSnakeGame;

/// What every Python bot's environment has: the official starter's server.
pub const BASE_PACKAGES: &[&str] = &["flask"];

/// The rulesets a config may name.
const RULESETS: [&str; 6] = [
    "standard",
    "royale",
    "constrictor",
    "wrapped",
    "wrapped_constrictor",
    "solo",
];

/// `[battlesnake]`: the game's settings.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct BattlesnakeConfig {
    pub ruleset: String,
    pub width: i32,
    pub height: i32,
    /// Each move's deadline; a late bot's snake makes the default move.
    pub timeout_ms: u64,
    /// How long an HTTP bot's process lives: `"round"` (one per player,
    /// serving the round's games, as upstream runs bots) or `"game"` (a
    /// fresh sandbox per game).
    pub bot_lifetime: BotLifetime,
}

impl Default for BattlesnakeConfig {
    fn default() -> Self {
        BattlesnakeConfig {
            ruleset: "standard".into(),
            width: 11,
            height: 11,
            timeout_ms: 500,
            bot_lifetime: BotLifetime::Round,
        }
    }
}

impl GamePlugin for BattleSnakeGame {
    fn name(&self) -> &'static str {
        "battlesnake"
    }

    fn rules_version(&self) -> &'static str {
        "battlesnake-rules-1"
    }

    fn players(&self) -> std::ops::RangeInclusive<usize> {
        2..=8
    }

    fn configure(
        &self,
        section: Option<toml::Value>,
        _players: usize,
    ) -> Result<Arc<dyn GameConfig>, KeyError> {
        let c: BattlesnakeConfig = parse_section("battlesnake", section)?;
        if !RULESETS.contains(&c.ruleset.as_str()) {
            return Err(KeyError::new(
                "battlesnake.ruleset",
                format!("{:?} is not one of {}", c.ruleset, RULESETS.join(", ")),
            ));
        }
        if !(2..=25).contains(&c.width) || !(2..=25).contains(&c.height) {
            return Err(KeyError::new(
                "battlesnake.width",
                "width and height must be 2 to 25",
            ));
        }
        if c.timeout_ms == 0 {
            return Err(KeyError::new(
                "battlesnake.timeout_ms",
                "must be at least 1 (milliseconds a bot has for a move)",
            ));
        }
        Ok(Arc::new(BattlesnakeSetup(c)))
    }

    fn viewer_js(&self) -> Option<&'static str> {
        Some(include_str!("battlesnake.viewer.js"))
    }

    fn columns(&self) -> Columns {
        Columns {
            causes: Some("eliminated"),
            late_moves: true,
        }
    }
}

/// BattleSnake with its settings.
#[derive(Debug)]
struct BattlesnakeSetup(BattlesnakeConfig);

impl GameConfig for BattlesnakeSetup {
    fn game(&self) -> &'static dyn GamePlugin {
        &BattleSnakeGame
    }

    fn settings_json(&self) -> Value {
        // The shape replays have always stored: the section under its name.
        serde_json::json!({ "battlesnake": self.0 })
    }

    fn settings_any(&self) -> &dyn Any {
        &self.0
    }

    fn validate(&self, codebase: &Snapshot) -> Result<(), Rejection> {
        contract::program(codebase).map(|_| ())
    }

    /// A Python bot gets Flask (the official starter's server) and its
    /// `requirements.txt`.
    fn needs(&self, codebase: &Snapshot) -> Needs {
        match contract::program(codebase) {
            Ok(Entry::Program(launch)) if runs_python(&launch.command, codebase) => {
                Needs::python(codebase, BASE_PACKAGES, &[""])
            }
            _ => Needs::Nothing,
        }
    }

    fn table(&self, entrants: &[Entrant], games: u32) -> Result<Box<dyn Table>> {
        let bots = entrants
            .iter()
            .map(|e| {
                BotSource::prepare_for(
                    e,
                    contract::program,
                    &[],
                    self.0.bot_lifetime,
                    &BotLifetime::round_limits(&runner::Limits::default(), games),
                )
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(Box::new(BattlesnakeTable {
            config: self.0.clone(),
            who: Entrant::who(entrants),
            bots,
        }))
    }
}

/// A group's bots, ready for games.
struct BattlesnakeTable {
    config: BattlesnakeConfig,
    who: Vec<(String, String)>,
    bots: Vec<BotSource>,
}

impl Table for BattlesnakeTable {
    fn play(&self, sim: &Sim, watch: &mut dyn Watch) -> Result<SimOutcome> {
        let c = &self.config;
        let names: Vec<&str> = sim.seats.iter().map(|&k| self.who[k].0.as_str()).collect();
        let mut setup =
            BattleSnakeSetup::new(RulesetName::parse(&c.ruleset), c.width, c.height, &names);
        setup.timeout_ms = i32::try_from(c.timeout_ms).unwrap_or(i32::MAX);
        setup.game_id = sim.game_id.clone();
        let header = ReplayHeader::new(
            BattleSnakeGame.name(),
            BattleSnakeGame.rules_version(),
            sim.seed,
            seated(sim, &self.who),
            serde_json::json!({ "battlesnake": c }),
        );
        watch.start(&header);
        let seated: Vec<&BotSource> = sim.seats.iter().map(|&k| &self.bots[k]).collect();
        let bots = start_all(&seated, &runner::Limits::default());
        let game = Match::<BattleSnake>::new(sim.seed, setup);
        let mut played = play::play(
            game,
            bots,
            Duration::from_millis(c.timeout_ms),
            &mut |turn, frame| watch.frame(turn, frame),
        );
        let n = sim.seats.len();
        let result = played.game.result().cloned().unwrap_or_else(|| {
            arena_games::engine::MatchResult::from_scores(played.game.turns(), &vec![0.0; n], &[])
        });
        let eliminations = BattleSnake::eliminations(played.game.world_mut());
        let seats = (0..n)
            .map(|seat| {
                let mut o = SeatOutcome::from_result(&result, seat, n, played.seats.get(seat));
                o.cause = eliminations
                    .get(seat)
                    .and_then(|(_, e)| e.cause.map(|c| c.as_str().to_string()));
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

/// A [`safe_move`] for each of the first `snakes` seats the match asks.
pub fn safe_actions(
    m: &mut Match<BattleSnake>,
    snakes: usize,
    rng: &mut arena_games::engine::MatchRng,
) -> Vec<(arena_games::engine::Seat, arena_games::battlesnake::Move)> {
    use arena_games::engine::Seat;
    (0..snakes)
        .filter_map(|seat| {
            let seat = Seat(u8::try_from(seat).ok()?);
            let req = BattleSnake::request(m.world_mut(), seat)?;
            Some((seat, safe_move(&req, rng)))
        })
        .collect()
}

/// A move that leaves the board and every body but tails alone, chosen by
/// the match's own generator: the in-process bot of the engine and spectator benchmarks.
pub fn safe_move(
    req: &arena_games::battlesnake::api::SnakeRequest,
    rng: &mut arena_games::engine::MatchRng,
) -> arena_games::battlesnake::Move {
    use arena_games::battlesnake::Move;
    let board = &req.board;
    let blocked: std::collections::HashSet<(i32, i32)> = board
        .snakes
        .iter()
        .flat_map(|s| s.body.iter().take(s.body.len().saturating_sub(1)))
        .map(|c| (c.x, c.y))
        .collect();
    let safe: Vec<Move> = Move::ALL
        .into_iter()
        .filter(|m| {
            let c = m.step(req.you.head);
            c.x >= 0
                && c.y >= 0
                && c.x < board.width
                && c.y < board.height
                && !blocked.contains(&(c.x, c.y))
        })
        .collect();
    safe.get(rng.below(safe.len().max(1) as u64) as usize)
        .copied()
        .unwrap_or(Move::Up)
}
