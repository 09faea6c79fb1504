//! The Battlesnake HTTP API's objects, spelled exactly as the official JSON
//! spells them (BattlesnakeOfficial/rules, `client/models.go`): the request
//! body of `/start`, `/move` and `/end`, the `/move` response and the `GET /`
//! info response. Shared by the rules (frames), the bot runner (requests) and
//! the arena.

use serde::{Deserialize, Serialize};

/// A cell of the board; `(0, 0)` is the bottom-left corner, `y` grows upwards.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
pub struct Coord {
    pub x: i32,
    pub y: i32,
}

impl Coord {
    pub const fn new(x: i32, y: i32) -> Self {
        Coord { x, y }
    }
}

/// One of the four moves; lower-case in JSON.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Move {
    Up,
    Down,
    Left,
    Right,
}

impl Move {
    pub const ALL: [Move; 4] = [Move::Up, Move::Down, Move::Left, Move::Right];

    /// The official spelling (`"up"`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            Move::Up => "up",
            Move::Down => "down",
            Move::Left => "left",
            Move::Right => "right",
        }
    }

    /// Parses the official spelling; anything else (the engine then applies
    /// its default move) is `None`.
    pub fn parse(s: &str) -> Option<Move> {
        match s {
            "up" => Some(Move::Up),
            "down" => Some(Move::Down),
            "left" => Some(Move::Left),
            "right" => Some(Move::Right),
            _ => None,
        }
    }

    /// The cell one step from `c` in this direction (no wrapping).
    pub fn step(self, c: Coord) -> Coord {
        match self {
            Move::Up => Coord::new(c.x, c.y + 1),
            Move::Down => Coord::new(c.x, c.y - 1),
            Move::Left => Coord::new(c.x - 1, c.y),
            Move::Right => Coord::new(c.x + 1, c.y),
        }
    }
}

/// The body of `POST /start`, `/move` and `/end`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SnakeRequest {
    pub game: Game,
    pub turn: i32,
    pub board: Board,
    pub you: Snake,
}

/// The game being played.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Game {
    pub id: String,
    pub ruleset: Ruleset,
    pub map: String,
    /// Milliseconds a snake has to answer.
    pub timeout: i32,
    pub source: String,
}

/// The ruleset's name, version and settings.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Ruleset {
    pub name: String,
    pub version: String,
    pub settings: RulesetSettings,
}

/// The settings the API exposes.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RulesetSettings {
    pub food_spawn_chance: i32,
    pub minimum_food: i32,
    pub hazard_damage_per_turn: i32,
    /// Deprecated upstream (replaced by `game.map`), kept for compatibility.
    #[serde(default)]
    pub hazard_map: String,
    /// Deprecated upstream, kept for compatibility.
    #[serde(default)]
    pub hazard_map_author: String,
    #[serde(default)]
    pub royale: RoyaleSettings,
    /// Deprecated upstream, sent with default fields for compatibility.
    #[serde(default)]
    pub squad: SquadSettings,
}

/// Settings specific to royale.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RoyaleSettings {
    pub shrink_every_n_turns: i32,
}

/// Settings of the retired squad mode, still part of the API.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SquadSettings {
    pub allow_body_collisions: bool,
    pub shared_elimination: bool,
    pub shared_health: bool,
    pub shared_length: bool,
}

/// The board as snakes see it: only snakes still in the game are listed.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Board {
    pub height: i32,
    pub width: i32,
    pub snakes: Vec<Snake>,
    pub food: Vec<Coord>,
    pub hazards: Vec<Coord>,
}

/// A snake as the API shows it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Snake {
    pub id: String,
    pub name: String,
    /// The last response time in milliseconds, as a string (`"0"` when unknown).
    pub latency: String,
    pub health: i32,
    pub body: Vec<Coord>,
    pub head: Coord,
    pub length: i32,
    pub shout: String,
    #[serde(default)]
    pub squad: String,
    #[serde(default)]
    pub customizations: Customizations,
}

/// How a snake looks.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Customizations {
    pub color: String,
    pub head: String,
    pub tail: String,
}

/// The response to `POST /move`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MoveResponse {
    #[serde(rename = "move")]
    pub direction: Move,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub shout: String,
}

/// The response to `POST /move` as received: the move is kept as a string so
/// that an invalid one can be told apart from an unreadable body.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RawMoveResponse {
    #[serde(rename = "move", default)]
    pub direction: String,
    #[serde(default)]
    pub shout: String,
}

impl RawMoveResponse {
    /// The move, if it is one of the four.
    pub fn parsed(&self) -> Option<Move> {
        Move::parse(&self.direction)
    }
}

/// The response to `GET /`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct InfoResponse {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub apiversion: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub author: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub color: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub head: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub tail: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub version: String,
}

impl InfoResponse {
    /// The customizations this info response asks for.
    pub fn customizations(&self) -> Customizations {
        Customizations {
            color: self.color.clone(),
            head: self.head.clone(),
            tail: self.tail.clone(),
        }
    }
}
