//! BattleSnake as an arena game on `bevy_ecs`. Snakes are entities (seat,
//! id, name, body, health, elimination); the board (turn, size, food,
//! hazards) and the rules are resources. A turn is one system per official
//! stage, chained in the official order, each calling the same stage
//! function as the pure rules in [`super::ruleset`], over the snakes sorted
//! by seat.

use bevy_ecs::prelude::*;
use serde::Serialize;

use super::api::{self, Coord, Move};
use super::board::{Board, EliminatedCause, Elimination, RulesError, SnakeMut};
use super::placement::GameMap;
use super::rand::RulesRng;
use super::ruleset::{Ruleset, RulesetName, Settings, Stage, setup_game};
use super::stages;
use crate::engine::{
    Actions, BotGame, EndReason, Game, MatchResult, MatchRng, Outcome, Phase, Seat, Silence,
};

/// The BattleSnake rules for the engine.
pub struct BattleSnake;

/// A player as the game needs it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Player {
    pub name: String,
    pub customizations: api::Customizations,
}

impl Player {
    pub fn named(name: impl Into<String>) -> Self {
        Player {
            name: name.into(),
            customizations: api::Customizations::default(),
        }
    }
}

/// Everything a game needs before its first turn.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BattleSnakeSetup {
    pub ruleset: RulesetName,
    pub settings: Settings,
    /// `None`: the ruleset's default map.
    pub map: Option<GameMap>,
    pub width: i32,
    pub height: i32,
    /// In seat order.
    pub players: Vec<Player>,
    /// `game.id` in requests.
    pub game_id: String,
    /// `game.timeout` in requests, in milliseconds.
    pub timeout_ms: i32,
}

impl BattleSnakeSetup {
    /// A game with the CLI's default settings.
    pub fn new(ruleset: RulesetName, width: i32, height: i32, names: &[&str]) -> Self {
        BattleSnakeSetup {
            ruleset,
            settings: Settings::default(),
            map: None,
            width,
            height,
            players: names.iter().map(|n| Player::named(*n)).collect(),
            game_id: String::new(),
            timeout_ms: 500,
        }
    }
}

/// A snake's id (`snake-<seat>`), as requests show it.
#[derive(Component, Clone, Debug, PartialEq, Eq)]
pub struct SnakeId(pub String);

/// A snake's name and looks, as requests show them.
#[derive(Component, Clone, Debug, PartialEq, Eq)]
pub struct SnakeInfo {
    pub name: String,
    pub customizations: api::Customizations,
}

/// The cells a snake covers, head first.
#[derive(Component, Clone, Debug, Default, PartialEq, Eq)]
pub struct Body(pub Vec<Coord>);

/// A snake's health (0..=100).
#[derive(Component, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Health(pub i32);

/// The rules of this game.
#[derive(Resource, Clone, Debug)]
pub struct Rules {
    pub ruleset: Ruleset,
    pub map: GameMap,
    /// `game` in requests.
    pub game: api::Game,
}

impl Rules {
    fn has(&self, stage: Stage) -> bool {
        self.ruleset.name.stages().contains(&stage)
    }
}

/// Set when the rules could not go on (placement impossible, or a stage's
/// error); the match then ends.
#[derive(Resource, Clone, Debug, Default)]
pub struct RulesFault(pub Option<RulesError>);

/// What a replay records after a turn: the board as the API shows it, and
/// every elimination so far.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Frame {
    pub turn: i32,
    pub board: api::Board,
    pub eliminated: Vec<EliminatedSnake>,
}

/// A snake out of the game.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct EliminatedSnake {
    pub seat: u8,
    pub id: String,
    pub cause: EliminatedCause,
    pub by: String,
    pub turn: i32,
}

type SnakeQuery<'w, 's> = Query<
    'w,
    's,
    (
        &'static Seat,
        &'static SnakeId,
        &'static mut Body,
        &'static mut Health,
        &'static mut Elimination,
    ),
>;

/// The snakes' views sorted by seat (storage order is not deterministic).
fn sorted<'a>(query: &'a mut SnakeQuery<'_, '_>) -> Vec<(Seat, SnakeMut<'a>)> {
    let mut v: Vec<(Seat, SnakeMut<'a>)> = query
        .iter_mut()
        .map(|(seat, id, body, health, elimination)| {
            let view = SnakeMut {
                id: &id.0,
                body: &mut body.into_inner().0,
                health: &mut health.into_inner().0,
                elimination: elimination.into_inner(),
            };
            (*seat, view)
        })
        .collect();
    v.sort_by_key(|(seat, _)| *seat);
    v
}

fn views<'a>(query: &'a mut SnakeQuery<'_, '_>) -> Vec<SnakeMut<'a>> {
    sorted(query).into_iter().map(|(_, v)| v).collect()
}

fn record(fault: &mut RulesFault, r: Result<(), RulesError>) {
    if let Err(e) = r {
        fault.0.get_or_insert(e);
    }
}

/// `movement.standard` / `movement.wrap_boundaries`: a seat without an
/// action this turn makes the default move.
fn move_snakes(
    actions: Res<Actions<Move>>,
    rules: Res<Rules>,
    board: Res<Board>,
    mut fault: ResMut<RulesFault>,
    mut query: SnakeQuery,
) {
    let snakes = sorted(&mut query);
    let moves: Vec<Option<Move>> = snakes
        .iter()
        .map(|(seat, _)| actions.0.iter().find(|(s, _)| s == seat).map(|(_, m)| *m))
        .collect();
    let mut snakes: Vec<SnakeMut> = snakes.into_iter().map(|(_, v)| v).collect();
    let wrap = rules.has(Stage::MovementWrapBoundaries);
    record(
        &mut fault,
        stages::move_snakes(&board, &mut snakes, &moves, wrap),
    );
}

/// `starvation.standard`.
fn reduce_health(mut query: SnakeQuery) {
    stages::reduce_health(&mut views(&mut query));
}

/// `hazard_damage.standard`.
fn damage_hazards(rules: Res<Rules>, board: Res<Board>, mut query: SnakeQuery) {
    let damage = rules.ruleset.settings.hazard_damage_per_turn;
    stages::damage_hazards(&board, &mut views(&mut query), damage);
}

/// `feed_snakes.standard`.
fn feed_snakes(mut board: ResMut<Board>, mut query: SnakeQuery) {
    stages::feed_snakes(&mut board, &mut views(&mut query));
}

/// `elimination.standard`.
fn eliminate_snakes(board: Res<Board>, mut fault: ResMut<RulesFault>, mut query: SnakeQuery) {
    let r = stages::eliminate_snakes(&board, &mut views(&mut query));
    record(&mut fault, r);
}

/// `spawn_food.no_food` (constrictor).
fn remove_food(rules: Res<Rules>, mut board: ResMut<Board>) {
    if rules.has(Stage::SpawnFoodNoFood) {
        stages::remove_food(&mut board);
    }
}

/// `modify_snakes.always_grow` (constrictor).
fn grow_snakes(rules: Res<Rules>, mut fault: ResMut<RulesFault>, mut query: SnakeQuery) {
    if rules.has(Stage::ModifySnakesAlwaysGrow) {
        let r = stages::grow_snakes(&mut views(&mut query));
        record(&mut fault, r);
    }
}

/// `spawn_hazards.shrink_map` (royale), and the royale map's own update.
fn shrink_hazards(rules: Res<Rules>, mut board: ResMut<Board>, mut fault: ResMut<RulesFault>) {
    let every = rules.ruleset.settings.shrink_every_n_turns;
    let by_map = rules.map == GameMap::Royale && board.turn + 1 >= every;
    if rules.has(Stage::SpawnHazardsShrinkMap) || by_map {
        let mut sides = rules.ruleset.get_rand(0);
        let r = stages::shrink_hazards(&mut board, every, &mut sides);
        record(&mut fault, r);
    }
}

/// The map's food after the turn, from the match's generator.
fn spawn_food(
    rules: Res<Rules>,
    mut board: ResMut<Board>,
    mut rng: ResMut<MatchRng>,
    mut query: SnakeQuery,
) {
    if rules.map == GameMap::Empty {
        return;
    }
    let s = &rules.ruleset.settings;
    let snakes = views(&mut query);
    let rng: &mut dyn RulesRng = &mut *rng;
    stages::spawn_food(
        &mut board,
        &snakes,
        s.minimum_food,
        s.food_spawn_chance,
        rng,
    );
}

/// The turn is over.
fn advance_turn(mut board: ResMut<Board>) {
    board.turn += 1;
}

/// Ends the match when the ruleset says the game is over.
fn decide_outcome(
    rules: Res<Rules>,
    board: Res<Board>,
    fault: Res<RulesFault>,
    mut outcome: ResMut<Outcome>,
    query: Query<(&Seat, &Elimination)>,
) {
    let mut snakes: Vec<(Seat, &Elimination)> = query.iter().map(|(s, e)| (*s, e)).collect();
    snakes.sort_by_key(|(s, _)| *s);
    let alive = snakes.iter().filter(|(_, e)| !e.is_eliminated()).count();
    let over = if rules.ruleset.solo {
        alive == 0
    } else {
        alive <= 1
    };
    if over || fault.0.is_some() {
        let elims: Vec<&Elimination> = snakes.iter().map(|(_, e)| *e).collect();
        outcome.0 = Some(match_result(board.turn, &elims));
    }
}

/// Placements by elimination order: the last snake in wins, snakes out on
/// the same turn share a place; score = turns survived.
pub fn match_result(turns: i32, snakes: &[&Elimination]) -> MatchResult {
    let scores: Vec<f64> = snakes
        .iter()
        .map(|e| match e.cause {
            Some(_) => f64::from(e.on_turn - 1),
            None => f64::from(turns),
        })
        .collect();
    let mut result = MatchResult::from_scores(turns.max(0) as u64, &scores, &[]);
    let lone = snakes.len() == 1;
    for (p, e) in result.players.iter_mut().zip(snakes) {
        if e.is_eliminated() && (p.placement != 1 || lone) {
            p.reason = EndReason::Eliminated;
        }
    }
    result
}

impl Game for BattleSnake {
    type Setup = BattleSnakeSetup;
    type Action = Move;
    type Frame = Frame;
    const NAME: &'static str = "battlesnake";

    fn setup(world: &mut World, setup: BattleSnakeSetup) {
        let map = setup.map.unwrap_or(setup.ruleset.default_map());
        let mut ruleset = Ruleset::new(setup.ruleset, setup.settings);
        ruleset.solo = ruleset.solo || setup.players.len() < 2;
        let ids: Vec<String> = (0..setup.players.len())
            .map(|seat| format!("snake-{seat}"))
            .collect();
        let placed = {
            let mut rng = world.resource_mut::<MatchRng>();
            ruleset.seed = rng.next_u64();
            let rng: &mut dyn RulesRng = &mut *rng;
            setup_game(&ruleset, map, setup.width, setup.height, &ids, rng)
        };
        let game = api::Game {
            id: setup.game_id.clone(),
            ruleset: api::Ruleset {
                name: ruleset.name.as_str().to_string(),
                version: "arena".to_string(),
                settings: ruleset.settings.to_api(),
            },
            map: map.id().to_string(),
            timeout: setup.timeout_ms,
            source: "arena".to_string(),
        };
        let (fault, state) = match placed {
            Ok((_, state)) => (None, state),
            Err(e) => (
                Some(e),
                super::board::BoardState::new(setup.width, setup.height),
            ),
        };
        for (seat, player) in setup.players.into_iter().enumerate() {
            let id = ids.get(seat).cloned().unwrap_or_default();
            let snake = state.snakes.iter().find(|s| s.id == id);
            world.spawn((
                Seat(seat as u8),
                SnakeId(id),
                SnakeInfo {
                    name: player.name,
                    customizations: player.customizations,
                },
                Body(snake.map(|s| s.body.clone()).unwrap_or_default()),
                Health(snake.map_or(0, |s| s.health)),
                snake.map(|s| s.elimination.clone()).unwrap_or_default(),
            ));
        }
        let over = fault.is_some() || ruleset.is_game_over(&state);
        world.insert_resource(state.board);
        world.insert_resource(RulesFault(fault));
        world.insert_resource(Rules { ruleset, map, game });
        if over {
            let mut q = world.query::<(&Seat, &Elimination)>();
            let mut v: Vec<(Seat, Elimination)> =
                q.iter(world).map(|(s, e)| (*s, e.clone())).collect();
            v.sort_by_key(|(s, _)| *s);
            let elims: Vec<&Elimination> = v.iter().map(|(_, e)| e).collect();
            world.resource_mut::<Outcome>().0 = Some(match_result(0, &elims));
        }
    }

    fn build_turn(schedule: &mut Schedule) {
        schedule.add_systems(
            (
                move_snakes,
                reduce_health,
                damage_hazards,
                feed_snakes,
                eliminate_snakes,
                remove_food,
                grow_snakes,
                shrink_hazards,
                spawn_food,
                advance_turn,
                decide_outcome,
            )
                .chain(),
        );
    }

    fn frame(world: &mut World) -> Frame {
        let board = world.resource::<Board>().clone();
        let mut q = world.query::<(&Seat, &SnakeId, &SnakeInfo, &Body, &Health, &Elimination)>();
        let mut rows: Vec<_> = q.iter(world).collect();
        rows.sort_by_key(|(seat, ..)| **seat);
        let snakes = rows
            .iter()
            .filter(|(.., e)| !e.is_eliminated())
            .map(|(_, id, info, body, health, _)| api_snake(id, info, body, health.0))
            .collect();
        let eliminated = rows
            .iter()
            .filter_map(|(seat, id, _, _, _, e)| {
                e.cause.map(|cause| EliminatedSnake {
                    seat: seat.0,
                    id: id.0.clone(),
                    cause,
                    by: e.by.clone(),
                    turn: e.on_turn,
                })
            })
            .collect();
        Frame {
            turn: board.turn,
            board: api::Board {
                height: board.height,
                width: board.width,
                snakes,
                food: board.food,
                hazards: board.hazards,
            },
            eliminated,
        }
    }
}

/// A snake as the API shows it.
fn api_snake(id: &SnakeId, info: &SnakeInfo, body: &Body, health: i32) -> api::Snake {
    api::Snake {
        id: id.0.clone(),
        name: info.name.clone(),
        latency: "0".to_string(),
        health,
        body: body.0.clone(),
        head: body.0.first().copied().unwrap_or_default(),
        length: body.0.len() as i32,
        shout: String::new(),
        squad: String::new(),
        customizations: info.customizations.clone(),
    }
}

impl BattleSnake {
    /// The request body a seat's bot gets now (`/start` before the first
    /// turn, `/move` during the game, `/end` after it).
    pub fn request(world: &mut World, seat: Seat) -> Option<api::SnakeRequest> {
        let frame = Self::frame(world);
        let game = world.resource::<Rules>().game.clone();
        let mut q = world.query::<(&Seat, &SnakeId, &SnakeInfo, &Body, &Health)>();
        let you = q
            .iter(world)
            .find(|(s, ..)| **s == seat)
            .map(|(_, id, info, body, health)| api_snake(id, info, body, health.0))?;
        Some(api::SnakeRequest {
            game,
            turn: frame.turn,
            board: frame.board,
            you,
        })
    }

    /// Every snake's elimination so far, by seat (`None`: still in).
    pub fn eliminations(world: &mut World) -> Vec<(Seat, Elimination)> {
        let mut q = world.query::<(&Seat, &Elimination)>();
        let mut v: Vec<_> = q.iter(world).map(|(s, e)| (*s, e.clone())).collect();
        v.sort_by_key(|(s, _)| *s);
        v
    }

    /// The game as the pure rules see it (snakes in seat order).
    pub fn state(world: &mut World) -> super::board::BoardState {
        let board = world.resource::<Board>().clone();
        let mut q = world.query::<(&Seat, &SnakeId, &Body, &Health, &Elimination)>();
        let mut rows: Vec<_> = q.iter(world).collect();
        rows.sort_by_key(|(seat, ..)| **seat);
        let snakes = rows
            .into_iter()
            .map(|(_, id, body, health, e)| super::board::Snake {
                id: id.0.clone(),
                body: body.0.clone(),
                health: health.0,
                elimination: e.clone(),
            })
            .collect();
        super::board::BoardState { board, snakes }
    }

    /// The rules in force.
    pub fn rules(world: &World) -> &Rules {
        world.resource::<Rules>()
    }
}

impl BotGame for BattleSnake {
    type Request = api::SnakeRequest;
    type Answer = api::RawMoveResponse;

    fn asked(world: &mut World) -> Vec<Seat> {
        Self::eliminations(world)
            .into_iter()
            .filter(|(_, e)| !e.is_eliminated())
            .map(|(s, _)| s)
            .collect()
    }

    /// The same body for `/start`, `/move` and `/end`, as upstream sends it.
    fn request(world: &mut World, seat: Seat, _phase: Phase) -> Option<api::SnakeRequest> {
        Self::request(world, seat)
    }

    fn action(
        _world: &mut World,
        _seat: Seat,
        answer: api::RawMoveResponse,
    ) -> Result<Move, String> {
        answer.parsed().ok_or_else(|| {
            format!(
                "move {:?} is not one of up, down, left, right",
                answer.direction
            )
        })
    }

    /// A snake whose bot is late or gone makes the engine's default move,
    /// as upstream's does.
    fn silent(_world: &mut World, _seat: Seat, _why: &Silence) -> Option<Move> {
        None
    }
}
