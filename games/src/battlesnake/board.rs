//! The rules' own view of a game: the board (size, turn, food, hazards) and
//! the snakes with their elimination bookkeeping, as the official engine's
//! `BoardState` keeps them. Everything here may come from outside (bots'
//! simulations, fixtures), so nothing assumes a snake has a body or stays on
//! the board.

use bevy_ecs::prelude::*;
use serde::{Deserialize, Serialize};

use super::api::Coord;

/// The most health a snake can have.
pub const SNAKE_MAX_HEALTH: i32 = 100;
/// The length a snake starts with.
pub const SNAKE_START_SIZE: usize = 3;

/// Why a snake left the game, with the official strings.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum EliminatedCause {
    #[serde(rename = "snake-collision")]
    Collision,
    #[serde(rename = "snake-self-collision")]
    SelfCollision,
    #[serde(rename = "out-of-health")]
    OutOfHealth,
    #[serde(rename = "head-collision")]
    HeadToHeadCollision,
    #[serde(rename = "wall-collision")]
    OutOfBounds,
    /// Hazard damage took the last health (the engine's `hazard`).
    #[serde(rename = "hazard")]
    Hazard,
}

impl EliminatedCause {
    /// The official string.
    pub fn as_str(self) -> &'static str {
        match self {
            EliminatedCause::Collision => "snake-collision",
            EliminatedCause::SelfCollision => "snake-self-collision",
            EliminatedCause::OutOfHealth => "out-of-health",
            EliminatedCause::HeadToHeadCollision => "head-collision",
            EliminatedCause::OutOfBounds => "wall-collision",
            EliminatedCause::Hazard => "hazard",
        }
    }
}

/// Whether, why, by whom and when a snake was eliminated.
#[derive(Component, Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Elimination {
    /// `None` while the snake is in the game.
    #[serde(
        rename = "eliminatedCause",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub cause: Option<EliminatedCause>,
    /// The id of the snake that eliminated it (empty if none).
    #[serde(
        rename = "eliminatedBy",
        default,
        skip_serializing_if = "String::is_empty"
    )]
    pub by: String,
    /// The turn it was eliminated on (the turn being played, 1-based).
    #[serde(rename = "eliminatedOnTurn", default, skip_serializing_if = "is_zero")]
    pub on_turn: i32,
}

fn is_zero(n: &i32) -> bool {
    *n == 0
}

impl Elimination {
    pub fn is_eliminated(&self) -> bool {
        self.cause.is_some()
    }

    /// The official `EliminateSnake`.
    pub fn eliminate(&mut self, cause: EliminatedCause, by: &str, turn: i32) {
        self.cause = Some(cause);
        self.by.clear();
        self.by.push_str(by);
        self.on_turn = turn;
    }
}

/// A snake in the rules' state.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Snake {
    pub id: String,
    /// Head first. May be empty or off the board in states from outside.
    pub body: Vec<Coord>,
    pub health: i32,
    #[serde(flatten)]
    pub elimination: Elimination,
}

impl Snake {
    /// A snake in the game with full health.
    pub fn new(id: impl Into<String>, body: Vec<Coord>) -> Self {
        Snake {
            id: id.into(),
            body,
            health: SNAKE_MAX_HEALTH,
            elimination: Elimination::default(),
        }
    }

    /// The mutable view the stage functions work on.
    pub fn view(&mut self) -> SnakeMut<'_> {
        SnakeMut {
            id: &self.id,
            body: &mut self.body,
            health: &mut self.health,
            elimination: &mut self.elimination,
        }
    }

    pub fn is_alive(&self) -> bool {
        !self.elimination.is_eliminated()
    }
}

/// A snake as the stage functions see it, borrowed from a [`Snake`] or from
/// an entity's components, so that the pure rules and the ECS systems run the
/// same code.
#[derive(Debug)]
pub struct SnakeMut<'a> {
    pub id: &'a str,
    pub body: &'a mut Vec<Coord>,
    pub health: &'a mut i32,
    pub elimination: &'a mut Elimination,
}

impl SnakeMut<'_> {
    pub fn is_alive(&self) -> bool {
        !self.elimination.is_eliminated()
    }

    pub fn head(&self) -> Option<Coord> {
        self.body.first().copied()
    }
}

/// The board without its snakes: what the ECS keeps as a resource.
#[derive(Resource, Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Board {
    /// Turns played so far.
    #[serde(default)]
    pub turn: i32,
    pub width: i32,
    pub height: i32,
    #[serde(default)]
    pub food: Vec<Coord>,
    #[serde(default)]
    pub hazards: Vec<Coord>,
}

impl Board {
    pub fn new(width: i32, height: i32) -> Self {
        Board {
            turn: 0,
            width,
            height,
            food: Vec::new(),
            hazards: Vec::new(),
        }
    }

    pub fn in_bounds(&self, c: Coord) -> bool {
        c.x >= 0 && c.x < self.width && c.y >= 0 && c.y < self.height
    }

    /// The number of cells (0 for degenerate sizes).
    pub fn cells(&self) -> usize {
        (self.width.max(0) as usize) * (self.height.max(0) as usize)
    }

    /// The index of an in-bounds cell in x-major order (the order the
    /// official engine lists free cells in).
    pub fn index(&self, c: Coord) -> Option<usize> {
        self.in_bounds(c)
            .then(|| c.x as usize * self.height as usize + c.y as usize)
    }
}

/// The whole state of a game, as the official `BoardState`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BoardState {
    #[serde(flatten)]
    pub board: Board,
    #[serde(default)]
    pub snakes: Vec<Snake>,
}

impl BoardState {
    pub fn new(width: i32, height: i32) -> Self {
        BoardState {
            board: Board::new(width, height),
            snakes: Vec::new(),
        }
    }

    /// Views of every snake, in order, for the stage functions.
    pub fn split(&mut self) -> (&mut Board, Vec<SnakeMut<'_>>) {
        let views = self.snakes.iter_mut().map(Snake::view).collect();
        (&mut self.board, views)
    }

    /// Snakes still in the game.
    pub fn alive(&self) -> impl Iterator<Item = &Snake> {
        self.snakes.iter().filter(|s| s.is_alive())
    }

    pub fn snake(&self, id: &str) -> Option<&Snake> {
        self.snakes.iter().find(|s| s.id == id)
    }
}

/// The official engine's errors, with its messages.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RulesError {
    #[error("too many snakes for fixed start positions")]
    TooManySnakes,
    #[error("not enough space to place snake")]
    NoRoomForSnake,
    #[error("not enough space to place food")]
    NoRoomForFood,
    #[error("move not provided for snake")]
    NoMoveFound,
    #[error("snake is length zero")]
    ZeroLengthSnake,
    #[error("royale game can't shrink more frequently than every turn")]
    ShrinkTooFrequent,
    #[error("no more positions available")]
    NoMorePositions,
}
