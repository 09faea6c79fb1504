//! RobotRumble for bot programs ([`BotGame`]): each turn both teams are
//! asked at once with the state the Python API reads; a team's answer
//! becomes its units' orders, and a team without an answer has failed as a
//! whole (the reference ends the game there, and that team loses).

use std::collections::BTreeMap;

use bevy_ecs::prelude::*;

use super::api::{
    ActionAnswer, ObjType, ObjView, ProgramFailure, RumbleAnswer, RumbleMessage, RumbleRequest,
    Team, UnitAnswer,
};
use super::game::{
    Health, ObjId, Order, Pos, RobotRumble, TeamAction, TeamFailure, UnitAnswerKind, Verdict,
};
use super::map::GRID_SIZE;
use crate::engine::{BotGame, EndReason, Phase, Seat, Silence};

impl RobotRumble {
    /// The state `team`'s program is given for the turn about to be played.
    pub fn request(world: &mut World, team: Team) -> RumbleRequest {
        let turn = RobotRumble::turn(world);
        let size = GRID_SIZE as usize;
        let mut grid = vec![vec![None; size]; size];
        let mut objs = BTreeMap::new();
        let mut teams: BTreeMap<Team, Vec<(u32, String)>> =
            [(Team::Red, Vec::new()), (Team::Blue, Vec::new())].into();
        let mut q = world.query::<(&ObjId, &Pos, Option<&Team>, Option<&Health>)>();
        for (id, pos, unit_team, health) in q.iter(world) {
            let key = id.0.to_string();
            let (x, y) = (pos.0.0, pos.0.1);
            if let (Ok(x), Ok(y)) = (usize::try_from(x), usize::try_from(y))
                && x < size
                && y < size
            {
                grid[y][x] = Some(key.clone());
            }
            let view = match (unit_team, health) {
                (Some(t), Some(h)) => {
                    teams.entry(*t).or_default().push((id.0, key.clone()));
                    ObjView {
                        id: key.clone(),
                        coords: pos.0,
                        obj_type: ObjType::Unit,
                        kind: "Soldier".into(),
                        team: Some(*t),
                        health: Some(h.0),
                    }
                }
                _ => ObjView {
                    id: key.clone(),
                    coords: pos.0,
                    obj_type: ObjType::Terrain,
                    kind: "Wall".into(),
                    team: None,
                    health: None,
                },
            };
            objs.insert(key, view);
        }
        let teams = teams
            .into_iter()
            .map(|(t, mut ids)| {
                ids.sort();
                (t, ids.into_iter().map(|(_, k)| k).collect())
            })
            .collect();
        RumbleRequest {
            turn,
            team,
            grid_size: GRID_SIZE as u32,
            objs,
            grid,
            teams,
        }
    }
}

/// A team's answer as the engine's action. `Err`: the answer breaks the
/// protocol (an id that is not a number), which the reference treats as
/// invalid data from the program.
pub fn team_action(answer: RumbleAnswer) -> Result<TeamAction, String> {
    match answer {
        RumbleAnswer::Err(ProgramFailure::InitError(e)) => {
            Ok(TeamAction::Failed(TeamFailure::InitError(e.summary)))
        }
        RumbleAnswer::Ok(out) => {
            let mut units = BTreeMap::new();
            for (key, unit) in out.robot_actions {
                let id: u32 = key
                    .parse()
                    .map_err(|_| format!("robot_actions names unit {key:?}, not an id"))?;
                let kind = match unit {
                    UnitAnswer::Ok(None) => UnitAnswerKind::Idle,
                    UnitAnswer::Ok(Some(ActionAnswer { kind, direction })) => {
                        UnitAnswerKind::Act(Order { kind, direction })
                    }
                    UnitAnswer::Err(e) => UnitAnswerKind::Error(e.summary),
                };
                units.insert(id, kind);
            }
            Ok(TeamAction::Orders {
                units,
                logs: out.logs,
            })
        }
    }
}

impl BotGame for RobotRumble {
    type Request = RumbleMessage;
    type Answer = RumbleAnswer;

    fn asked(world: &mut World) -> Vec<Seat> {
        if world.resource::<Verdict>().0.is_some() {
            return Vec::new();
        }
        vec![Seat(0), Seat(1)]
    }

    fn request(world: &mut World, seat: Seat, phase: Phase) -> Option<RumbleMessage> {
        let team = Team::of_seat(seat.0);
        Some(match phase {
            Phase::Start => RumbleMessage::Start { team },
            Phase::Move => RumbleMessage::Move(Box::new(RobotRumble::request(world, team))),
            Phase::End => RumbleMessage::End,
        })
    }

    fn action(_world: &mut World, _seat: Seat, answer: RumbleAnswer) -> Result<TeamAction, String> {
        team_action(answer)
    }

    fn silent(_world: &mut World, _seat: Seat, why: &Silence) -> Option<TeamAction> {
        Some(TeamAction::Failed(match why {
            Silence::Late | Silence::Stopped(EndReason::Timeout) => TeamFailure::Timeout,
            Silence::Stopped(EndReason::Invalid) => {
                TeamFailure::InvalidData("the program broke the protocol".into())
            }
            Silence::Stopped(_) => TeamFailure::Crashed("the program stopped".into()),
            Silence::Malformed(what) => TeamFailure::InvalidData(what.clone()),
        }))
    }
}
