//! BattleSnake, following the official engine (BattlesnakeOfficial/rules):
//! the standard, royale, constrictor, wrapped (and wrapped constrictor and
//! solo) rulesets, the standard map's placement and food, and the HTTP API's
//! objects.
//!
//! - [`api`]: the JSON objects bots receive and answer with.
//! - [`board`]: the rules' state ([`BoardState`]) and eliminations.
//! - [`stages`]: one function per official pipeline stage.
//! - [`ruleset`]: rulesets as stage lists; the pure API ([`execute`],
//!   [`apply_moves`], [`setup_game`]).
//! - [`placement`]: start positions and food, the maps.
//! - [`rand`]: the randomness the rules draw from.
//! - [`game`]: the ECS game ([`BattleSnake`]) the arena plays.

pub mod api;
pub mod board;
pub mod game;
pub mod placement;
pub mod rand;
pub mod ruleset;
pub mod stages;

pub use api::{Coord, Move};
pub use board::{Board, BoardState, EliminatedCause, Elimination, RulesError, Snake, SnakeMut};
pub use game::{BattleSnake, BattleSnakeSetup, Frame, Player, Rules};
pub use placement::GameMap;
pub use rand::{MaxRand, MinRand, RandSource, RulesRng, ScriptRand, SeedRand};
pub use ruleset::{
    Ruleset, RulesetName, Settings, SnakeMove, Stage, apply_moves, execute, run_stages, setup_game,
    update_map,
};
