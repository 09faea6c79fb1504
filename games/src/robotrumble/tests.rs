//! The rules, case by case, as the reference engine plays them.

use super::*;
use crate::engine::{Match, Seat};
use crate::robotrumble::api::ActionKind;
use std::collections::BTreeMap;

/// A game with these units placed and no spawns.
fn game(units: &[(Team, (i32, i32))]) -> Match<RobotRumble> {
    let setup = RumbleSetup {
        spawn: SpawnRules {
            initial: 0,
            recurrent: 0,
            every: 0,
        },
        placed: units.iter().map(|&(t, (x, y))| (t, Coords(x, y))).collect(),
        ..RumbleSetup::new("blue", "red")
    };
    Match::new(1, setup)
}

/// The id of the unit at (x, y).
fn id_at(m: &mut Match<RobotRumble>, x: i32, y: i32) -> u32 {
    RobotRumble::units(m.world_mut())
        .iter()
        .find(|u| (u.x, u.y) == (x, y))
        .map(|u| u.id)
        .unwrap_or_else(|| panic!("no unit at ({x}, {y})"))
}

/// Units as (x, y, health), sorted.
fn where_units(m: &mut Match<RobotRumble>) -> Vec<(i32, i32, u8)> {
    let mut v: Vec<_> = RobotRumble::units(m.world_mut())
        .iter()
        .map(|u| (u.x, u.y, u.health))
        .collect();
    v.sort();
    v
}

fn mv(d: Direction) -> UnitAnswerKind {
    UnitAnswerKind::Act(Order {
        kind: ActionKind::Move,
        direction: d,
    })
}

fn attack(d: Direction) -> UnitAnswerKind {
    UnitAnswerKind::Act(Order {
        kind: ActionKind::Attack,
        direction: d,
    })
}

/// Plays one turn: orders given as ((x, y) of the unit, order); each team
/// commands its own units.
fn turn(m: &mut Match<RobotRumble>, orders: &[((i32, i32), UnitAnswerKind)]) {
    let units = RobotRumble::units(m.world_mut());
    let mut by_team: BTreeMap<Team, BTreeMap<u32, UnitAnswerKind>> = BTreeMap::new();
    for ((x, y), o) in orders {
        let u = units
            .iter()
            .find(|u| (u.x, u.y) == (*x, *y))
            .unwrap_or_else(|| panic!("no unit at ({x}, {y})"));
        by_team.entry(u.team).or_default().insert(u.id, o.clone());
    }
    let actions = [Team::Blue, Team::Red]
        .into_iter()
        .map(|t| {
            (
                Seat(t.seat()),
                TeamAction::Orders {
                    units: by_team.remove(&t).unwrap_or_default(),
                    logs: Vec::new(),
                },
            )
        })
        .collect();
    m.step(actions);
}

use Direction::{East, North, South, West};
use Team::{Blue, Red};

#[test]
fn a_free_move_moves() {
    let mut m = game(&[(Blue, (9, 9))]);
    turn(&mut m, &[((9, 9), mv(North))]);
    assert_eq!(where_units(&mut m), vec![(9, 8, 5)]);
}

#[test]
fn a_swap_is_cancelled() {
    let mut m = game(&[(Blue, (8, 9)), (Red, (9, 9))]);
    turn(&mut m, &[((8, 9), mv(East)), ((9, 9), mv(West))]);
    assert_eq!(where_units(&mut m), vec![(8, 9, 5), (9, 9, 5)]);
}

#[test]
fn a_contested_cell_goes_north_then_east_then_south_then_west() {
    // Four units around (9, 9) all move into it: the one moving north wins.
    let all = [
        ((9, 10), North),
        ((8, 9), East),
        ((9, 8), South),
        ((10, 9), West),
    ];
    for skip in 0..4 {
        let movers: Vec<_> = all.iter().skip(skip).collect();
        let mut m = game(&movers.iter().map(|(c, _)| (Blue, *c)).collect::<Vec<_>>());
        let orders: Vec<_> = movers.iter().map(|(c, d)| (*c, mv(*d))).collect();
        turn(&mut m, &orders);
        let (winner, _) = movers[0];
        let mut expected: Vec<_> = movers[1..].iter().map(|(c, _)| (c.0, c.1, 5)).collect();
        expected.push((9, 9, 5));
        expected.sort();
        assert_eq!(where_units(&mut m), expected, "winner from {winner:?}");
    }
}

#[test]
fn a_unit_moving_into_one_that_stays_bounces_back() {
    let mut m = game(&[(Blue, (8, 9)), (Red, (9, 9))]);
    turn(&mut m, &[((8, 9), mv(East))]);
    assert_eq!(where_units(&mut m), vec![(8, 9, 5), (9, 9, 5)]);
}

#[test]
fn a_unit_may_follow_one_that_leaves() {
    let mut m = game(&[(Blue, (7, 9)), (Blue, (8, 9))]);
    turn(&mut m, &[((7, 9), mv(East)), ((8, 9), mv(East))]);
    assert_eq!(where_units(&mut m), vec![(8, 9, 5), (9, 9, 5)]);
}

#[test]
fn bounces_cascade_down_a_line() {
    // (7,9) -> (8,9) -> (9,9), which stays: both bounce.
    let mut m = game(&[(Blue, (7, 9)), (Blue, (8, 9)), (Red, (9, 9))]);
    turn(&mut m, &[((7, 9), mv(East)), ((8, 9), mv(East))]);
    assert_eq!(where_units(&mut m), vec![(7, 9, 5), (8, 9, 5), (9, 9, 5)]);
}

#[test]
fn a_loser_of_a_contest_blocks_the_unit_behind_it() {
    // (9,10) north into (9,9) beats (8,9) east into it; (7,9) east into
    // (8,9) then bounces because the loser stayed.
    let mut m = game(&[(Blue, (9, 10)), (Blue, (8, 9)), (Blue, (7, 9))]);
    turn(
        &mut m,
        &[((9, 10), mv(North)), ((8, 9), mv(East)), ((7, 9), mv(East))],
    );
    assert_eq!(where_units(&mut m), vec![(7, 9, 5), (8, 9, 5), (9, 9, 5)]);
}

#[test]
fn a_rotating_square_all_moves() {
    let mut m = game(&[
        (Blue, (8, 8)),
        (Blue, (9, 8)),
        (Blue, (9, 9)),
        (Blue, (8, 9)),
    ]);
    turn(
        &mut m,
        &[
            ((8, 8), mv(East)),
            ((9, 8), mv(South)),
            ((9, 9), mv(West)),
            ((8, 9), mv(North)),
        ],
    );
    assert_eq!(
        where_units(&mut m),
        vec![(8, 8, 5), (8, 9, 5), (9, 8, 5), (9, 9, 5)]
    );
    // Same cells, but each unit moved on.
    assert_eq!(
        id_at(&mut m, 9, 8),
        id_at_start(&[(8, 8), (9, 8), (9, 9), (8, 9)], 0)
    );
}

/// The id a unit placed `i`-th gets: after the walls.
fn id_at_start(_placed: &[(i32, i32)], i: u32) -> u32 {
    crate::robotrumble::map::walls().len() as u32 + 1 + i
}

#[test]
fn a_move_into_a_wall_bounces() {
    let mut m = game(&[(Blue, (1, 9))]);
    turn(&mut m, &[((1, 9), mv(West))]);
    assert_eq!(where_units(&mut m), vec![(1, 9, 5)]);
}

#[test]
fn attacks_stack_and_kill_at_zero() {
    let mut m = game(&[(Blue, (8, 9)), (Blue, (10, 9)), (Red, (9, 9))]);
    turn(&mut m, &[((8, 9), attack(East)), ((10, 9), attack(West))]);
    assert_eq!(where_units(&mut m), vec![(8, 9, 5), (9, 9, 3), (10, 9, 5)]);
    turn(&mut m, &[((8, 9), attack(East)), ((10, 9), attack(West))]);
    turn(&mut m, &[((8, 9), attack(East)), ((10, 9), attack(West))]);
    assert_eq!(where_units(&mut m), vec![(8, 9, 5), (10, 9, 5)]);
}

#[test]
fn attacks_land_after_moves_on_whoever_is_there() {
    // Red moves out of the attacked cell; Blue's own unit moves into it
    // and takes the hit (friendly fire).
    let mut m = game(&[(Blue, (8, 9)), (Red, (9, 9)), (Blue, (9, 10))]);
    turn(
        &mut m,
        &[
            ((8, 9), attack(East)),
            ((9, 9), mv(North)),
            ((9, 10), mv(North)),
        ],
    );
    assert_eq!(where_units(&mut m), vec![(8, 9, 5), (9, 8, 5), (9, 9, 4)]);
}

#[test]
fn a_unit_can_be_commanded_only_by_its_team() {
    let mut m = game(&[(Blue, (8, 9)), (Red, (12, 9))]);
    let red = id_at(&mut m, 12, 9);
    let wall = 1;
    m.step(vec![
        (
            Seat(0),
            TeamAction::Orders {
                units: [(red, mv(West)), (wall, mv(East)), (9999, mv(East))].into(),
                logs: Vec::new(),
            },
        ),
        (
            Seat(1),
            TeamAction::Orders {
                units: BTreeMap::new(),
                logs: Vec::new(),
            },
        ),
    ]);
    assert_eq!(where_units(&mut m), vec![(8, 9, 5), (12, 9, 5)]);
    let frame = <RobotRumble as crate::engine::Game>::frame(m.world_mut());
    let text = serde_json::to_string(&frame.results).unwrap_or_default();
    assert!(text.contains("unit on other team"), "{text}");
    assert!(text.contains("terrain"), "{text}");
    assert!(text.contains("nonexistent object"), "{text}");
}

#[test]
fn a_failed_program_loses_at_once_and_nothing_moves() {
    let mut m = game(&[(Blue, (8, 9)), (Red, (12, 9))]);
    let blue = id_at(&mut m, 8, 9);
    m.step(vec![
        (
            Seat(0),
            TeamAction::Orders {
                units: [(blue, mv(East))].into(),
                logs: Vec::new(),
            },
        ),
        (Seat(1), TeamAction::Failed(TeamFailure::Timeout)),
    ]);
    assert_eq!(where_units(&mut m), vec![(8, 9, 5), (12, 9, 5)]);
    assert!(m.is_over());
    let result = m.result().cloned().expect("over");
    assert_eq!(result.players[0].placement, 1);
    assert_eq!(result.players[1].reason, crate::engine::EndReason::Timeout);
    assert_eq!(
        RobotRumble::ending(m.world()).and_then(Ending::winner),
        Some(Blue)
    );
}

#[test]
fn both_failing_is_a_draw() {
    let mut m = game(&[(Blue, (8, 9))]);
    m.step(vec![
        (Seat(0), TeamAction::Failed(TeamFailure::Timeout)),
        (
            Seat(1),
            TeamAction::Failed(TeamFailure::Crashed("x".into())),
        ),
    ]);
    assert_eq!(
        RobotRumble::ending(m.world()).and_then(Ending::winner),
        None
    );
}

/// A seeded normal game with idle teams.
fn idle_game(seed: u64) -> (Match<RobotRumble>, Vec<RumbleFrame>) {
    let mut m = Match::<RobotRumble>::new(seed, RumbleSetup::new("b", "r"));
    let mut frames = Vec::new();
    while !m.is_over() {
        let idle = |s| {
            (
                Seat(s),
                TeamAction::Orders {
                    units: BTreeMap::new(),
                    logs: Vec::new(),
                },
            )
        };
        if let Some(f) = m.step(vec![idle(0), idle(1)]) {
            frames.push(f);
        }
    }
    (m, frames)
}

#[test]
fn four_mirrored_pairs_spawn_before_turn_one() {
    let mut m = Match::<RobotRumble>::new(5, RumbleSetup::new("b", "r"));
    let units = RobotRumble::units(m.world_mut());
    assert_eq!(units.len(), 8);
    let spawns = crate::robotrumble::map::spawn_points();
    let first = crate::robotrumble::map::walls().len() as u32 + 1;
    for pair in units.chunks(2) {
        let (b, r) = (pair[0], pair[1]);
        assert_eq!((b.team, r.team), (Blue, Red));
        assert_eq!(r.id, b.id + 1);
        assert_eq!(Coords(r.x, r.y), Coords(b.x, b.y).mirror());
        assert!(spawns.contains(&Coords(b.x, b.y)));
        assert!(b.id >= first);
    }
}

#[test]
fn spawns_every_ten_turns_for_a_hundred_turns_then_units_decide() {
    let (m, frames) = idle_game(9);
    assert_eq!(m.turns(), 100);
    assert_eq!(frames.len(), 100);
    // Idle units stay on their spawn points and are cleared before each
    // spawn: always 8 units, with new ids at turns 11, 21, ..., 91.
    for f in &frames {
        assert_eq!(f.units.len(), 8, "turn {}", f.turn);
    }
    let ids: std::collections::BTreeSet<u32> = frames
        .iter()
        .flat_map(|f| f.units.iter().map(|u| u.id))
        .collect();
    assert_eq!(ids.len(), 8 * 10);
    let last = frames.last().expect("frames");
    assert_eq!(last.turn, 101);
    assert_eq!(last.ending, Some(Ending::Units { blue: 4, red: 4 }));
    assert_eq!(last.winner, None);
    let result = m.result().expect("over");
    assert_eq!(result.players[0].placement, 1);
    assert_eq!(result.players[1].placement, 1);
}

#[test]
fn the_seed_decides_the_spawns() {
    let (a, _) = idle_game(3);
    let (b, _) = idle_game(3);
    let (c, _) = idle_game(4);
    let pos = |mut m: Match<RobotRumble>| RobotRumble::units(m.world_mut());
    let (pa, pb, pc) = (pos(a), pos(b), pos(c));
    assert_eq!(pa, pb);
    assert_ne!(pa, pc);
}

#[test]
fn scripted_spawns_go_where_the_script_says() {
    let script = [Coords(1, 9), Coords(9, 1), Coords(17, 5), Coords(3, 3)];
    let setup = RumbleSetup {
        plan: SpawnPlan::Scripted(script.iter().copied().collect()),
        ..RumbleSetup::new("b", "r")
    };
    let mut m = Match::<RobotRumble>::new(0, setup);
    let blue: Vec<Coords> = RobotRumble::units(m.world_mut())
        .iter()
        .filter(|u| u.team == Blue)
        .map(|u| Coords(u.x, u.y))
        .collect();
    assert_eq!(blue, script.to_vec());
}

#[test]
fn the_team_with_more_units_wins() {
    let mut m = game(&[(Blue, (8, 9)), (Blue, (8, 10)), (Red, (12, 9))]);
    let setup_turns = 100;
    for _ in 0..setup_turns {
        turn(&mut m, &[]);
    }
    assert!(m.is_over());
    assert_eq!(
        RobotRumble::ending(m.world()),
        Some(&Ending::Units { blue: 2, red: 1 })
    );
    let r = m.result().expect("over");
    assert_eq!((r.players[0].placement, r.players[1].placement), (1, 2));
}
