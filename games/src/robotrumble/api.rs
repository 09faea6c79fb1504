//! What crosses the wire between the arena and a team's `adapter.py`.
//!
//! The request is the state RobotRumble hands a team's program each turn
//! (its `ProgramInput`: every object by id, the grid as rows of ids, the
//! ids of each team, the turn, the grid's size and the team), so the
//! adapter's Python API reads exactly what the reference's does. The answer
//! has the reference's `ProgramResult` shape: `{"Ok": {"robot_actions":
//! {id: {"Ok": action-or-null} | {"Err": error}}, "logs": [...], ...}}`, or
//! `{"Err": {"InitError": error}}` when the program failed as a whole.
//! Ids are strings on the wire, as in the reference.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::map::{Coords, Direction};

/// A team. Blue is seat 0 (the reference CLI's first robot), Red seat 1.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    bevy_ecs::component::Component,
)]
pub enum Team {
    Red,
    Blue,
}

impl Team {
    /// The team playing `seat`.
    pub fn of_seat(seat: u8) -> Team {
        if seat == 0 { Team::Blue } else { Team::Red }
    }

    /// The seat playing this team.
    pub fn seat(self) -> u8 {
        match self {
            Team::Blue => 0,
            Team::Red => 1,
        }
    }

    /// The other team.
    pub fn opposite(self) -> Team {
        match self {
            Team::Red => Team::Blue,
            Team::Blue => Team::Red,
        }
    }
}

/// What a team's program is sent each turn (with `"type": "move"` added).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RumbleRequest {
    /// The turn about to be played, from 1.
    pub turn: u32,
    /// The team this request is for.
    pub team: Team,
    /// Cells per side (19).
    pub grid_size: u32,
    /// Every object (walls and units) by id.
    pub objs: BTreeMap<String, ObjView>,
    /// `grid[y][x]`: the id of the object in the cell, or null.
    pub grid: Vec<Vec<Option<String>>>,
    /// Each team's unit ids, ascending.
    pub teams: BTreeMap<Team, Vec<String>>,
}

/// An object as the Python API reads it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ObjView {
    pub id: String,
    pub coords: Coords,
    /// `"Unit"` or `"Terrain"`.
    pub obj_type: ObjType,
    /// `"Soldier"` (units) or `"Wall"` (terrain).
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub team: Option<Team>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub health: Option<u8>,
}

/// The two kinds of object.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ObjType {
    Unit,
    Terrain,
}

/// Every message the adapter reads, tagged by `"type"`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum RumbleMessage {
    /// Before the first turn: the team (the adapter loads `robot.py`).
    Start { team: Team },
    /// A turn.
    Move(Box<RumbleRequest>),
    /// After the game.
    End,
}

/// A team's answer to a turn: the reference's `ProgramResult`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum RumbleAnswer {
    /// The program ran: an answer per unit.
    Ok(TurnOutput),
    /// The program failed as a whole.
    Err(ProgramFailure),
}

/// A program's output for one turn.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TurnOutput {
    /// Unit id -> what `robot(state, unit)` gave.
    pub robot_actions: BTreeMap<String, UnitAnswer>,
    /// The program's printed lines this turn.
    #[serde(default)]
    pub logs: Vec<String>,
    /// `debug.inspect(key, value)` per unit.
    #[serde(default)]
    pub debug_inspect_tables: BTreeMap<String, BTreeMap<String, String>>,
    /// `debug.locate(unit)` ids.
    #[serde(default)]
    pub debug_locate_queries: Vec<String>,
}

/// One unit's result: an action, no action (`null`), or the error its
/// `robot` call raised.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum UnitAnswer {
    Ok(Option<ActionAnswer>),
    Err(RobotError),
}

/// An action as the API returns it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActionAnswer {
    #[serde(rename = "type")]
    pub kind: ActionKind,
    pub direction: Direction,
}

/// What a unit does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ActionKind {
    Move,
    Attack,
    /// Only the reference's `NormalHeal` mode heals; in the normal game a
    /// heal is accepted and does nothing.
    Heal,
}

/// An exception, as the API reports it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RobotError {
    /// The exception's last traceback line (`ZeroDivisionError: division by zero`).
    pub summary: String,
    /// The traceback.
    #[serde(default)]
    pub details: Option<String>,
    /// Where in `robot.py`: `{"start": [line, null], "end": null}`.
    #[serde(default)]
    pub loc: Option<ErrorLoc>,
}

/// A place in the source.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorLoc {
    pub start: (u64, Option<u64>),
    #[serde(default)]
    pub end: Option<(u64, Option<u64>)>,
}

/// Why a program failed as a whole (the reference's `ProgramError`s a
/// Python program can cause).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ProgramFailure {
    /// `robot.py` failed to load, lacks `robot(state, unit)`, or
    /// `init_turn(state)` raised.
    InitError(RobotError),
}
