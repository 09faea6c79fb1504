//! RobotRumble as an arena game on `bevy_ecs`.
//!
//! Walls and units are entities with an [`ObjId`] (numbered as the
//! reference numbers them: walls first, `x` then `y`, then units in the
//! order they spawn) and a [`Pos`]; units also carry their [`Team`] and
//! [`Health`]. The two players are entities with a [`Seat`] and a team. A
//! step of the engine plays one RobotRumble turn with chained systems:
//! `read_orders`, `move_units`, `attack_units`, `advance_turn`,
//! `spawn_units`, `decide_outcome`; the first spawn happens at setup, so a
//! team's request always shows the turn's state after its spawn.

use std::collections::{BTreeMap, VecDeque};

use bevy_ecs::prelude::*;
use serde::Serialize;

use super::api::{ActionKind, Team};
use super::map::{self, Coords, Direction, GRID_SIZE};
use crate::engine::{Actions, EndReason, Game, MatchResult, MatchRng, Outcome, Seat};

/// The RobotRumble rules for the engine.
pub struct RobotRumble;

/// A unit's starting health.
pub const UNIT_HEALTH: u8 = 5;

/// Damage of one attack.
const ATTACK_POWER: u8 = 1;

/// An object's id, as bots and the reference see it.
#[derive(Component, Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct ObjId(pub u32);

/// Where an object stands.
#[derive(Component, Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pos(pub Coords);

/// A wall.
#[derive(Component, Clone, Copy, Debug)]
pub struct Wall;

/// A unit's health; it dies at 0.
#[derive(Component, Clone, Copy, Debug, PartialEq, Eq)]
pub struct Health(pub u8);

/// A player's name.
#[derive(Component, Clone, Debug, PartialEq, Eq)]
pub struct PlayerName(pub String);

/// How units spawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct SpawnRules {
    /// Pairs spawned before turn 1.
    pub initial: u32,
    /// Pairs spawned every `every` turns after that.
    pub recurrent: u32,
    /// Spawn before turns 1 + k·every (0: only the first spawn).
    pub every: u32,
}

impl Default for SpawnRules {
    fn default() -> Self {
        SpawnRules {
            initial: 4,
            recurrent: 4,
            every: 10,
        }
    }
}

/// The settings a match is played under.
#[derive(Resource, Clone, Copy, Debug, PartialEq, Eq)]
pub struct RumbleRules {
    /// Turns played (100).
    pub turn_limit: u32,
    pub spawn: SpawnRules,
}

/// Where spawned pairs go.
#[derive(Resource, Clone, Debug, PartialEq, Eq)]
pub enum SpawnPlan {
    /// Drawn from the match's seed: for each pair, `i = rng.below(n)` over
    /// the `n` free spawn points sorted by `x` then `y`; Blue takes point
    /// `i`, Red its mirror, and both leave the list.
    Seeded,
    /// Blue's points in spawn order, taken from a recorded game (the
    /// parity check); a point that is not free is skipped, and once the
    /// list is empty no more units spawn.
    Scripted(VecDeque<Coords>),
}

/// Everything a match needs before its first turn.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RumbleSetup {
    /// Seat 0 (Blue) and seat 1 (Red).
    pub players: [String; 2],
    pub turn_limit: u32,
    pub spawn: SpawnRules,
    pub plan: SpawnPlan,
    /// Units on the grid before the first spawn (the reference's
    /// `grid_init` setting; empty in the normal game), numbered after the
    /// walls.
    pub placed: Vec<(Team, Coords)>,
}

impl RumbleSetup {
    /// A 100-turn game with the reference's spawns, seeded.
    pub fn new(blue: impl Into<String>, red: impl Into<String>) -> Self {
        RumbleSetup {
            players: [blue.into(), red.into()],
            turn_limit: 100,
            spawn: SpawnRules::default(),
            plan: SpawnPlan::Seeded,
            placed: Vec::new(),
        }
    }
}

/// Which object holds each cell (row-major).
#[derive(Resource, Clone, Debug)]
pub struct Grid(Vec<Option<Entity>>);

impl Grid {
    fn empty() -> Grid {
        Grid(vec![None; (GRID_SIZE * GRID_SIZE) as usize])
    }

    /// The object in a cell.
    pub fn get(&self, c: Coords) -> Option<Entity> {
        c.index().and_then(|i| self.0[i])
    }

    fn set(&mut self, c: Coords, e: Option<Entity>) {
        if let Some(i) = c.index() {
            self.0[i] = e;
        }
    }
}

/// The next object id to give.
#[derive(Resource, Clone, Copy, Debug)]
struct NextId(u32);

impl NextId {
    fn take(&mut self) -> ObjId {
        let id = ObjId(self.0);
        self.0 += 1;
        id
    }
}

/// The RobotRumble turn to be played next (from 1; past the limit once the
/// game is over).
#[derive(Resource, Clone, Copy, Debug, PartialEq, Eq)]
pub struct RumbleTurn(pub u32);

/// One unit's order for a turn.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Order {
    pub kind: ActionKind,
    pub direction: Direction,
}

/// What became of one unit's answer this turn.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub enum UnitResult {
    /// No action (`robot` returned `None`).
    Idle,
    /// An action.
    Act(Order),
    /// `robot` raised (the summary; the traceback is in the team's record).
    Error(String),
    /// The answer named a unit the team may not command.
    Invalid(String),
}

/// A team's program failing as a whole: the reference ends the game there,
/// and the team loses.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "message", rename_all = "snake_case")]
pub enum TeamFailure {
    /// `robot.py` did not load, lacks `robot`, or `init_turn` raised.
    InitError(String),
    /// No answer within the turn's deadline.
    Timeout,
    /// The program's process died.
    Crashed(String),
    /// The answer was not an answer.
    InvalidData(String),
}

impl TeamFailure {
    /// How the seat's result records it.
    pub fn end_reason(&self) -> EndReason {
        match self {
            TeamFailure::InitError(_) | TeamFailure::Crashed(_) => EndReason::Crashed,
            TeamFailure::Timeout => EndReason::Timeout,
            TeamFailure::InvalidData(_) => EndReason::Invalid,
        }
    }

    /// The word tables and the store use.
    pub fn word(&self) -> &'static str {
        match self {
            TeamFailure::InitError(_) => "init-error",
            TeamFailure::Timeout => "timeout",
            TeamFailure::Crashed(_) => "crashed",
            TeamFailure::InvalidData(_) => "invalid-data",
        }
    }
}

/// A team's part of a turn, as the engine receives it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TeamAction {
    /// Each unit's answer by id (ids as the team's program named them), and
    /// the lines it printed.
    Orders {
        units: BTreeMap<u32, UnitAnswerKind>,
        logs: Vec<String>,
    },
    /// The program failed as a whole.
    Failed(TeamFailure),
}

/// A unit's answer before the rules check whose unit it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UnitAnswerKind {
    Idle,
    Act(Order),
    Error(String),
}

/// What the turn just played did: each unit's result by id, each team's
/// printed lines, and failures.
#[derive(Resource, Clone, Debug, Default, PartialEq, Eq)]
pub struct TurnRecord {
    pub units: BTreeMap<ObjId, UnitResult>,
    pub logs: BTreeMap<Team, Vec<String>>,
    pub failures: BTreeMap<Team, TeamFailure>,
}

/// How the game ended.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "by", rename_all = "snake_case")]
pub enum Ending {
    /// The turn limit: the team with more units wins (equal: nobody).
    Units { blue: u32, red: u32 },
    /// A program failed: the other team wins (both failed: nobody).
    Failure {
        failures: BTreeMap<Team, TeamFailure>,
    },
}

impl Ending {
    /// The winning team, if any.
    pub fn winner(&self) -> Option<Team> {
        match self {
            Ending::Units { blue, red } => match blue.cmp(red) {
                std::cmp::Ordering::Greater => Some(Team::Blue),
                std::cmp::Ordering::Less => Some(Team::Red),
                std::cmp::Ordering::Equal => None,
            },
            Ending::Failure { failures } => match failures.len() {
                1 => failures.keys().next().map(|t| t.opposite()),
                _ => None,
            },
        }
    }

    /// Each seat's score (units left; on a failure 1 for a team that did
    /// not fail, 0 for one that did) and the seats' reasons.
    pub fn result(&self, turns: u64) -> MatchResult {
        match self {
            Ending::Units { blue, red } => {
                MatchResult::from_scores(turns, &[f64::from(*blue), f64::from(*red)], &[])
            }
            Ending::Failure { failures } => {
                let teams = [Team::Blue, Team::Red];
                let scores: Vec<f64> = teams
                    .iter()
                    .map(|t| if failures.contains_key(t) { 0.0 } else { 1.0 })
                    .collect();
                let reasons: Vec<Option<EndReason>> = teams
                    .iter()
                    .map(|t| failures.get(t).map(TeamFailure::end_reason))
                    .collect();
                MatchResult::from_scores(turns, &scores, &reasons)
            }
        }
    }
}

/// Set once the game is decided.
#[derive(Resource, Clone, Debug, Default, PartialEq, Eq)]
pub struct Verdict(pub Option<Ending>);

/// A unit as frames show it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct UnitView {
    pub id: u32,
    pub team: Team,
    pub x: i32,
    pub y: i32,
    pub health: u8,
}

/// A unit's result as frames show it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ResultView {
    pub id: u32,
    pub result: UnitResult,
}

/// What a replay records after each turn.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RumbleFrame {
    /// The turn whose start this frame shows (2 after the first turn; one
    /// past the limit at the end).
    pub turn: u32,
    /// Every unit, by id.
    pub units: Vec<UnitView>,
    /// The turn just played: each unit's result, by id.
    pub results: Vec<ResultView>,
    /// Lines the teams' programs printed in the turn just played.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub logs: BTreeMap<Team, Vec<String>>,
    /// On the last frame: how the game ended and who won.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ending: Option<Ending>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub winner: Option<Team>,
}

/// The turn's orders, checked: a team may command only its own units;
/// anything else is recorded as the reference records it.
fn read_orders(
    actions: Res<Actions<TeamAction>>,
    objects: Query<(&ObjId, Option<&Team>)>,
    mut record: ResMut<TurnRecord>,
) {
    *record = TurnRecord::default();
    let owner: BTreeMap<ObjId, Option<Team>> =
        objects.iter().map(|(id, t)| (*id, t.copied())).collect();
    for (seat, action) in &actions.0 {
        let team = Team::of_seat(seat.0);
        match action {
            TeamAction::Failed(f) => {
                record.failures.insert(team, f.clone());
            }
            TeamAction::Orders { units, logs } => {
                record.logs.insert(team, logs.clone());
                for (&id, answer) in units {
                    let id = ObjId(id);
                    let result = match owner.get(&id) {
                        None => {
                            UnitResult::Invalid("Action ID points to nonexistent object".into())
                        }
                        Some(None) => UnitResult::Invalid("Action ID points to terrain".into()),
                        Some(Some(t)) if *t != team => {
                            UnitResult::Invalid("Action ID points to unit on other team".into())
                        }
                        Some(Some(_)) => match answer {
                            UnitAnswerKind::Idle => UnitResult::Idle,
                            UnitAnswerKind::Act(o) => UnitResult::Act(*o),
                            UnitAnswerKind::Error(e) => UnitResult::Error(e.clone()),
                        },
                    };
                    record.units.insert(id, result);
                }
            }
        }
    }
    // A seat with no action at all (never the case through the bot loop)
    // counts as a program that gave no data.
    for team in [Team::Blue, Team::Red] {
        if !record.logs.contains_key(&team) && !record.failures.contains_key(&team) {
            record
                .failures
                .insert(team, TeamFailure::InvalidData("no answer".into()));
        }
    }
}

/// A unit's move this turn.
#[derive(Clone, Copy, Debug)]
struct Mover {
    entity: Entity,
    from: Coords,
    dir: Direction,
}

/// Moves resolve as the reference resolves them:
/// 1. each target cell goes to one mover, the one moving north, else east,
///    else south, else west;
/// 2. a chosen move is cancelled as a swap when the first unit (lowest id)
///    that wanted to move into its origin was coming the opposite way;
/// 3. the chosen movers leave their cells; a move into a cell still held
///    (by a wall, a unit that stays or one that bounced back) bounces back
///    to its origin, repeatedly until no move is blocked; the rest move.
fn move_units(
    record: Res<TurnRecord>,
    mut grid: ResMut<Grid>,
    mut units: Query<(Entity, &ObjId, &mut Pos), With<Health>>,
) {
    if !record.failures.is_empty() {
        return;
    }
    let by_id: BTreeMap<ObjId, (Entity, Coords)> =
        units.iter().map(|(e, id, p)| (*id, (e, p.0))).collect();
    // Target cell -> movers, in id order.
    let mut wanted: BTreeMap<Coords, Vec<Mover>> = BTreeMap::new();
    for (id, result) in &record.units {
        let UnitResult::Act(Order {
            kind: ActionKind::Move,
            direction,
        }) = result
        else {
            continue;
        };
        if let Some(&(entity, from)) = by_id.get(id) {
            wanted
                .entry(from.step(*direction))
                .or_default()
                .push(Mover {
                    entity,
                    from,
                    dir: *direction,
                });
        }
    }
    let chosen: Vec<(Coords, Mover)> = wanted
        .iter()
        .filter_map(|(&to, movers)| {
            let first = movers.iter().min_by_key(|m| m.dir.priority())?;
            let origin = to.step(first.dir.opposite());
            let swap = wanted
                .get(&origin)
                .and_then(|into| into.first())
                .is_some_and(|other| other.dir == first.dir.opposite());
            (!swap).then_some((to, *first))
        })
        .collect();
    for (_, m) in &chosen {
        if grid.get(m.from) == Some(m.entity) {
            grid.set(m.from, None);
        }
    }
    let mut pending = chosen;
    loop {
        let (blocked, free): (Vec<_>, Vec<_>) = pending
            .into_iter()
            .partition(|(to, _)| grid.get(*to).is_some());
        if blocked.is_empty() {
            for (to, m) in free {
                grid.set(to, Some(m.entity));
                if let Ok((_, _, mut pos)) = units.get_mut(m.entity) {
                    pos.0 = to;
                }
            }
            break;
        }
        for (_, m) in blocked {
            grid.set(m.from, Some(m.entity));
        }
        pending = free;
    }
}

/// Attacks land after moves, on whatever unit then stands in the target
/// cell (either team's): one damage per attack; a unit at 0 dies.
fn attack_units(
    record: Res<TurnRecord>,
    mut grid: ResMut<Grid>,
    mut units: Query<(&ObjId, &Pos, &mut Health)>,
    mut commands: Commands,
) {
    if !record.failures.is_empty() {
        return;
    }
    let pos: BTreeMap<ObjId, Coords> = units.iter().map(|(id, p, _)| (*id, p.0)).collect();
    let mut hits: BTreeMap<Coords, u32> = BTreeMap::new();
    for (id, result) in &record.units {
        if let UnitResult::Act(Order {
            kind: ActionKind::Attack,
            direction,
        }) = result
            && let Some(from) = pos.get(id)
        {
            *hits.entry(from.step(*direction)).or_default() += 1;
        }
    }
    for (cell, n) in hits {
        let Some(target) = grid.get(cell) else {
            continue;
        };
        let Ok((_, _, mut health)) = units.get_mut(target) else {
            continue;
        };
        let damage = u8::try_from(n)
            .unwrap_or(u8::MAX)
            .saturating_mul(ATTACK_POWER);
        health.0 = health.0.saturating_sub(damage);
        if health.0 == 0 {
            grid.set(cell, None);
            commands.entity(target).despawn();
        }
    }
}

/// The next turn begins.
fn advance_turn(record: Res<TurnRecord>, mut turn: ResMut<RumbleTurn>) {
    if record.failures.is_empty() {
        turn.0 += 1;
    }
}

/// Before turns 1 + k·every (within the limit), units standing on spawn
/// points die and new pairs spawn.
#[allow(clippy::too_many_arguments)]
fn spawn_units(
    record: Res<TurnRecord>,
    turn: Res<RumbleTurn>,
    rules: Res<RumbleRules>,
    mut grid: ResMut<Grid>,
    mut next_id: ResMut<NextId>,
    mut plan: ResMut<SpawnPlan>,
    mut rng: ResMut<MatchRng>,
    units: Query<(), With<Health>>,
    mut commands: Commands,
) {
    let every = rules.spawn.every;
    if !record.failures.is_empty()
        || turn.0 > rules.turn_limit
        || every == 0
        || !(turn.0 - 1).is_multiple_of(every)
    {
        return;
    }
    for point in map::spawn_points() {
        if let Some(e) = grid.get(point)
            && units.contains(e)
        {
            grid.set(point, None);
            commands.entity(e).despawn();
        }
    }
    let pairs = pick_spawns(&grid, rules.spawn.recurrent, &mut plan, &mut rng);
    for (team, at) in pairs {
        let id = next_id.take();
        let e = commands
            .spawn((id, Pos(at), team, Health(UNIT_HEALTH)))
            .id();
        grid.set(at, Some(e));
    }
}

/// Where `pairs` pairs spawn: (team, cell) in spawn (and id) order, Blue
/// then Red for each pair.
fn pick_spawns(
    grid: &Grid,
    pairs: u32,
    plan: &mut SpawnPlan,
    rng: &mut MatchRng,
) -> Vec<(Team, Coords)> {
    let mut free: Vec<Coords> = map::spawn_points()
        .into_iter()
        .filter(|&p| grid.get(p).is_none() && grid.get(p.mirror()).is_none())
        .collect();
    let mut out = Vec::new();
    for _ in 0..pairs {
        let point = match plan {
            SpawnPlan::Seeded => {
                if free.is_empty() {
                    break;
                }
                free[rng.below(free.len() as u64) as usize]
            }
            SpawnPlan::Scripted(queue) => loop {
                match queue.pop_front() {
                    Some(p) if free.contains(&p) => break Some(p),
                    Some(_) => continue,
                    None => break None,
                }
            }
            .unwrap_or(Coords(-1, -1)),
        };
        if !free.contains(&point) {
            break;
        }
        free.retain(|&p| p != point && p != point.mirror());
        out.push((Team::Blue, point));
        out.push((Team::Red, point.mirror()));
    }
    out
}

/// The game ends when a program fails or after the last turn.
fn decide_outcome(
    record: Res<TurnRecord>,
    turn: Res<RumbleTurn>,
    rules: Res<RumbleRules>,
    engine_turn: Res<crate::engine::Turn>,
    units: Query<&Team, With<Health>>,
    mut verdict: ResMut<Verdict>,
    mut outcome: ResMut<Outcome>,
) {
    let ending = if !record.failures.is_empty() {
        Ending::Failure {
            failures: record.failures.clone(),
        }
    } else if turn.0 > rules.turn_limit {
        let blue = units.iter().filter(|t| **t == Team::Blue).count() as u32;
        let red = units.iter().filter(|t| **t == Team::Red).count() as u32;
        Ending::Units { blue, red }
    } else {
        return;
    };
    outcome.0 = Some(ending.result(engine_turn.0 + 1));
    verdict.0 = Some(ending);
}

impl Game for RobotRumble {
    type Setup = RumbleSetup;
    type Action = TeamAction;
    type Frame = RumbleFrame;
    const NAME: &'static str = "robotrumble";

    fn setup(world: &mut World, setup: RumbleSetup) {
        for (seat, name) in setup.players.into_iter().enumerate() {
            world.spawn((
                Seat(seat as u8),
                Team::of_seat(seat as u8),
                PlayerName(name),
            ));
        }
        let mut grid = Grid::empty();
        let mut next_id = NextId(1);
        for at in map::walls() {
            let e = world.spawn((next_id.take(), Pos(at), Wall)).id();
            grid.set(at, Some(e));
        }
        for (team, at) in setup.placed {
            if grid.get(at).is_none() && at.index().is_some() {
                let e = world
                    .spawn((next_id.take(), Pos(at), team, Health(UNIT_HEALTH)))
                    .id();
                grid.set(at, Some(e));
            }
        }
        let mut plan = setup.plan;
        let rules = RumbleRules {
            turn_limit: setup.turn_limit,
            spawn: setup.spawn,
        };
        if rules.turn_limit > 0 {
            let pairs = {
                let mut rng = world.resource_mut::<MatchRng>();
                pick_spawns(&grid, rules.spawn.initial, &mut plan, &mut rng)
            };
            for (team, at) in pairs {
                let e = world
                    .spawn((next_id.take(), Pos(at), team, Health(UNIT_HEALTH)))
                    .id();
                grid.set(at, Some(e));
            }
        }
        world.insert_resource(grid);
        world.insert_resource(next_id);
        world.insert_resource(plan);
        world.insert_resource(rules);
        world.insert_resource(RumbleTurn(1));
        world.insert_resource(TurnRecord::default());
        let ending = (rules.turn_limit == 0).then_some(Ending::Units { blue: 0, red: 0 });
        if let Some(e) = &ending {
            world.resource_mut::<Outcome>().0 = Some(e.result(0));
        }
        world.insert_resource(Verdict(ending));
    }

    fn build_turn(schedule: &mut Schedule) {
        schedule.add_systems(
            (
                read_orders,
                move_units,
                attack_units,
                advance_turn,
                spawn_units,
                decide_outcome,
            )
                .chain(),
        );
    }

    fn frame(world: &mut World) -> RumbleFrame {
        let turn = world.resource::<RumbleTurn>().0;
        let record = world.resource::<TurnRecord>().clone();
        let ending = world.resource::<Verdict>().0.clone();
        RumbleFrame {
            turn,
            units: RobotRumble::units(world),
            results: record
                .units
                .into_iter()
                .map(|(id, result)| ResultView { id: id.0, result })
                .collect(),
            logs: record
                .logs
                .into_iter()
                .filter(|(_, l)| !l.is_empty())
                .collect(),
            winner: ending.as_ref().and_then(Ending::winner),
            ending,
        }
    }
}

impl RobotRumble {
    /// Every unit, by id.
    pub fn units(world: &mut World) -> Vec<UnitView> {
        let mut q = world.query::<(&ObjId, &Pos, &Team, &Health)>();
        let mut v: Vec<UnitView> = q
            .iter(world)
            .map(|(id, p, t, h)| UnitView {
                id: id.0,
                team: *t,
                x: p.0.0,
                y: p.0.1,
                health: h.0,
            })
            .collect();
        v.sort_by_key(|u| u.id);
        v
    }

    /// Every wall as (id, cell), by id.
    pub fn walls(world: &mut World) -> Vec<(ObjId, Coords)> {
        let mut q = world.query_filtered::<(&ObjId, &Pos), With<Wall>>();
        let mut v: Vec<_> = q.iter(world).map(|(id, p)| (*id, p.0)).collect();
        v.sort();
        v
    }

    /// How the game ended, once it has.
    pub fn ending(world: &World) -> Option<&Ending> {
        world.resource::<Verdict>().0.as_ref()
    }

    /// The turn to be played next.
    pub fn turn(world: &World) -> u32 {
        world.resource::<RumbleTurn>().0
    }
}
