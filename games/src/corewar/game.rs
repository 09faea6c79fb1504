//! Core War as an arena game on `bevy_ecs`: a match is one pMARS battle of
//! several rounds. Warriors are entities; the MARS (core, queues, P-space)
//! is a resource the hot loop owns. A turn runs a slice of cycles, so the
//! schedule runs per turn, never per instruction.

use bevy_ecs::prelude::*;
use serde::Serialize;
use std::collections::VecDeque;

use super::mars::{Mars, RoundPlan};
use super::{Settings, Warrior};
use crate::engine::{EndReason, Game, MatchResult, Outcome, Seat, Turn};

/// The Core War rules for the engine.
pub struct CoreWar;

/// Everything a battle needs before its first cycle.
pub struct BattleSetup {
    pub settings: Settings,
    pub warriors: Vec<Warrior>,
    /// Each round's positions and starter, in order (see [`super::placement`]).
    pub plans: Vec<RoundPlan>,
    /// Executions per turn; `u64::MAX` plays a whole round per turn.
    pub cycles_per_turn: u64,
    /// pMARS's score formula, evaluated for each number of survivors
    /// `1..=warriors` (default `(W*W-1)/S`).
    pub points: Vec<i64>,
}

/// A warrior in the battle.
#[derive(Component, Debug)]
pub struct WarriorName(pub String);

/// pMARS's `score[]` array for one warrior: entries `0..W` count rounds it
/// survived with `k+1` survivors; entries `W..2W-1` count its deaths, by how
/// many warriors were left when it died.
#[derive(Component, Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Tally(pub Vec<u64>);

/// The rounds still to play.
#[derive(Resource, Debug)]
pub struct RoundQueue {
    pub plans: VecDeque<RoundPlan>,
    pub cycles_per_turn: u64,
    /// Whether a round is loaded and not yet scored.
    pub in_round: bool,
    pub rounds_done: u64,
    pub points: Vec<i64>,
}

/// The MARS, as a resource.
#[derive(Resource, Debug)]
pub struct Machine(pub Mars);

/// What a Core War replay records per turn.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Frame {
    /// Rounds finished.
    pub rounds_done: u64,
    /// Executions left in the current round.
    pub cycles_left: i64,
    /// Processes per warrior, by seat.
    pub processes: Vec<usize>,
}

/// Loads the next round when none is in progress.
fn start_round(mut queue: ResMut<RoundQueue>, mut machine: ResMut<Machine>) {
    if queue.in_round {
        return;
    }
    if let Some(plan) = queue.plans.pop_front() {
        machine.0.start_round(&plan);
        queue.in_round = true;
    }
}

/// Runs the turn's slice of cycles: the hot loop.
fn execute_cycles(queue: Res<RoundQueue>, mut machine: ResMut<Machine>) {
    if queue.in_round {
        machine.0.run(queue.cycles_per_turn);
    }
}

/// Scores a finished round into each warrior's tally, as pMARS does.
fn score_round(
    mut queue: ResMut<RoundQueue>,
    machine: Res<Machine>,
    mut warriors: Query<(&Seat, &mut Tally)>,
) {
    if !queue.in_round || !machine.0.round_over() {
        return;
    }
    let n = warriors.iter().len();
    let survivors = machine.0.survivors();
    let left = survivors.iter().filter(|&&s| s).count();
    for (k, &dead) in machine.0.deaths().iter().enumerate() {
        for (seat, mut tally) in &mut warriors {
            if usize::from(seat.0) == dead {
                tally.0[(n - k) + n - 2] += 1;
            }
        }
    }
    for (seat, mut tally) in &mut warriors {
        if survivors.get(usize::from(seat.0)).copied().unwrap_or(false) {
            tally.0[left - 1] += 1;
        }
    }
    queue.in_round = false;
    queue.rounds_done += 1;
}

/// Ends the match when every round is scored.
fn finish_battle(
    queue: Res<RoundQueue>,
    turn: Res<Turn>,
    mut outcome: ResMut<Outcome>,
    warriors: Query<(&Seat, &Tally)>,
) {
    if queue.in_round || !queue.plans.is_empty() {
        return;
    }
    let mut tallies: Vec<(Seat, &Tally)> = warriors.iter().map(|(s, t)| (*s, t)).collect();
    tallies.sort_by_key(|(s, _)| *s);
    let scores: Vec<f64> = tallies
        .iter()
        .map(|(_, t)| score(&t.0, &queue.points) as f64)
        .collect();
    outcome.0 = Some(MatchResult::from_scores(turn.0 + 1, &scores, &[]));
    // A one-round battle says how each warrior ended that round.
    if queue.rounds_done == 1
        && let Some(result) = outcome.0.as_mut()
    {
        let n = tallies.len();
        for (p, (_, t)) in result.players.iter_mut().zip(&tallies) {
            if t.0[n..].iter().any(|&d| d > 0) {
                p.reason = EndReason::Eliminated;
            }
        }
    }
}

/// pMARS's `score()`: survivals weighted by the formula's points.
pub fn score(tally: &[u64], points: &[i64]) -> i64 {
    points
        .iter()
        .zip(tally)
        .map(|(&p, &rounds)| p.wrapping_mul(rounds as i64))
        .fold(0i64, i64::wrapping_add)
}

impl Game for CoreWar {
    type Setup = BattleSetup;
    type Action = ();
    type Frame = Frame;
    const NAME: &'static str = "corewar";

    fn setup(world: &mut World, setup: BattleSetup) {
        let n = setup.warriors.len();
        for (seat, w) in setup.warriors.iter().enumerate() {
            world.spawn((
                Seat(seat as u8),
                WarriorName(w.name.clone()),
                Tally(vec![0; 2 * n.max(1) - 1]),
            ));
        }
        world.insert_resource(Machine(Mars::new(&setup.settings, &setup.warriors)));
        world.insert_resource(RoundQueue {
            plans: setup.plans.into(),
            cycles_per_turn: setup.cycles_per_turn.max(1),
            in_round: false,
            rounds_done: 0,
            points: setup.points,
        });
    }

    fn build_turn(schedule: &mut Schedule) {
        schedule.add_systems((start_round, execute_cycles, score_round, finish_battle).chain());
    }

    fn frame(world: &mut World) -> Frame {
        let queue = world.resource::<RoundQueue>();
        let machine = world.resource::<Machine>();
        Frame {
            rounds_done: queue.rounds_done,
            cycles_left: machine.0.cycles_left(),
            processes: machine.0.process_counts(),
        }
    }
}

/// The tallies of a finished battle, by seat.
pub fn tallies(world: &mut World) -> Vec<Vec<u64>> {
    let mut q = world.query::<(&Seat, &Tally)>();
    let mut v: Vec<_> = q.iter(world).map(|(s, t)| (*s, t.0.clone())).collect();
    v.sort_by_key(|(s, _)| *s);
    v.into_iter().map(|(_, t)| t).collect()
}
