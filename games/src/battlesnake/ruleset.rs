//! Rulesets as the official engine builds them: a named list of stages run
//! in order over a copy of the board, plus the map's update after the turn.
//! This is the pure API: no ECS, usable by tests and by bots simulating
//! turns.

use serde::{Deserialize, Serialize};

use super::api::{self, Move};
use super::board::{BoardState, RulesError};
use super::placement::GameMap;
use super::rand::{AnyRand, RandSource, RulesRng};
use super::stages;

/// The official game types.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RulesetName {
    #[default]
    Standard,
    Royale,
    Constrictor,
    Wrapped,
    WrappedConstrictor,
    Solo,
}

impl RulesetName {
    /// The name as the API spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            RulesetName::Standard => "standard",
            RulesetName::Royale => "royale",
            RulesetName::Constrictor => "constrictor",
            RulesetName::Wrapped => "wrapped",
            RulesetName::WrappedConstrictor => "wrapped_constrictor",
            RulesetName::Solo => "solo",
        }
    }

    /// Parses a name; unknown names are standard, as upstream.
    pub fn parse(s: &str) -> RulesetName {
        match s {
            "royale" => RulesetName::Royale,
            "constrictor" => RulesetName::Constrictor,
            "wrapped" => RulesetName::Wrapped,
            "wrapped_constrictor" => RulesetName::WrappedConstrictor,
            "solo" => RulesetName::Solo,
            _ => RulesetName::Standard,
        }
    }

    /// The stages after the game-over check, in order.
    pub fn stages(self) -> &'static [Stage] {
        use Stage::*;
        match self {
            RulesetName::Standard | RulesetName::Solo => &[
                MovementStandard,
                StarvationStandard,
                HazardDamageStandard,
                FeedSnakesStandard,
                EliminationStandard,
            ],
            RulesetName::Royale => &[
                MovementStandard,
                StarvationStandard,
                HazardDamageStandard,
                FeedSnakesStandard,
                EliminationStandard,
                SpawnHazardsShrinkMap,
            ],
            RulesetName::Constrictor => &[
                MovementStandard,
                StarvationStandard,
                HazardDamageStandard,
                FeedSnakesStandard,
                EliminationStandard,
                SpawnFoodNoFood,
                ModifySnakesAlwaysGrow,
            ],
            RulesetName::Wrapped => &[
                MovementWrapBoundaries,
                StarvationStandard,
                HazardDamageStandard,
                FeedSnakesStandard,
                EliminationStandard,
            ],
            RulesetName::WrappedConstrictor => &[
                MovementWrapBoundaries,
                StarvationStandard,
                HazardDamageStandard,
                FeedSnakesStandard,
                EliminationStandard,
                SpawnFoodNoFood,
                ModifySnakesAlwaysGrow,
            ],
        }
    }

    /// The map a game of this ruleset uses unless told otherwise: the
    /// constrictors get the empty map (no food is ever spawned), the others
    /// the standard one.
    pub fn default_map(self) -> GameMap {
        match self {
            RulesetName::Constrictor | RulesetName::WrappedConstrictor => GameMap::Empty,
            _ => GameMap::Standard,
        }
    }
}

/// The official stages, named as upstream registers them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Stage {
    #[serde(rename = "game_over.standard")]
    GameOverStandard,
    #[serde(rename = "game_over.solo_snake")]
    GameOverSoloSnake,
    #[serde(rename = "movement.standard")]
    MovementStandard,
    #[serde(rename = "movement.wrap_boundaries")]
    MovementWrapBoundaries,
    #[serde(rename = "starvation.standard")]
    StarvationStandard,
    #[serde(rename = "hazard_damage.standard")]
    HazardDamageStandard,
    #[serde(rename = "feed_snakes.standard")]
    FeedSnakesStandard,
    #[serde(rename = "elimination.standard")]
    EliminationStandard,
    #[serde(rename = "spawn_food.standard")]
    SpawnFoodStandard,
    #[serde(rename = "spawn_food.no_food")]
    SpawnFoodNoFood,
    #[serde(rename = "modify_snakes.always_grow")]
    ModifySnakesAlwaysGrow,
    #[serde(rename = "spawn_hazards.shrink_map")]
    SpawnHazardsShrinkMap,
}

/// The game settings (upstream's parameters). `Default` is the CLI's
/// defaults; a stage run without a value uses upstream's stage default
/// (see [`Settings::stage_defaults`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Settings {
    pub food_spawn_chance: i32,
    pub minimum_food: i32,
    pub hazard_damage_per_turn: i32,
    pub shrink_every_n_turns: i32,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            food_spawn_chance: 15,
            minimum_food: 1,
            hazard_damage_per_turn: 14,
            shrink_every_n_turns: 25,
        }
    }
}

impl Settings {
    /// What upstream's stages use when a setting is absent (`Settings{}`).
    pub fn stage_defaults() -> Self {
        Settings {
            food_spawn_chance: 0,
            minimum_food: 0,
            hazard_damage_per_turn: 0,
            shrink_every_n_turns: 20,
        }
    }

    /// The settings as the API shows them.
    pub fn to_api(&self) -> api::RulesetSettings {
        api::RulesetSettings {
            food_spawn_chance: self.food_spawn_chance,
            minimum_food: self.minimum_food,
            hazard_damage_per_turn: self.hazard_damage_per_turn,
            royale: api::RoyaleSettings {
                shrink_every_n_turns: self.shrink_every_n_turns,
            },
            ..api::RulesetSettings::default()
        }
    }
}

/// A ruleset: its name, settings, whether a lone snake plays on (solo), and
/// where its own randomness (royale's sides) comes from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ruleset {
    pub name: RulesetName,
    #[serde(default)]
    pub settings: Settings,
    /// The game ends only when no snake is left (upstream: one player).
    #[serde(default)]
    pub solo: bool,
    /// Seeds the generator of royale's shrinking sides.
    #[serde(default)]
    pub seed: u64,
    /// Upstream's `Settings.WithRand`, for tests.
    #[serde(default = "seeded")]
    pub rand: RandSource,
}

fn seeded() -> RandSource {
    RandSource::Seeded
}

impl Ruleset {
    pub fn new(name: RulesetName, settings: Settings) -> Self {
        Ruleset {
            name,
            settings,
            solo: name == RulesetName::Solo,
            seed: 0,
            rand: RandSource::Seeded,
        }
    }

    /// Upstream's `GetRand(turn)`.
    pub fn get_rand(&self, turn: i32) -> AnyRand {
        self.rand.get(self.seed, turn)
    }

    /// The full list of stages, game-over check first.
    pub fn pipeline(&self) -> Vec<Stage> {
        let mut v = Vec::with_capacity(8);
        v.push(if self.solo || self.name == RulesetName::Solo {
            Stage::GameOverSoloSnake
        } else {
            Stage::GameOverStandard
        });
        v.extend_from_slice(self.name.stages());
        v
    }

    /// Whether the game is over: no snake left in solo, at most one otherwise.
    pub fn is_game_over(&self, state: &BoardState) -> bool {
        let alive = state.alive().count();
        if self.solo || self.name == RulesetName::Solo {
            alive == 0
        } else {
            alive <= 1
        }
    }
}

/// One snake's move for a turn; `None` is a missing or invalid move (the
/// default move is made).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SnakeMove {
    pub id: String,
    #[serde(rename = "move")]
    pub direction: Option<Move>,
}

impl SnakeMove {
    pub fn new(id: impl Into<String>, direction: Move) -> Self {
        SnakeMove {
            id: id.into(),
            direction: Some(direction),
        }
    }
}

/// Runs `stages` over `state` in place, as upstream's pipeline: stops at the
/// first error or at a stage that ends the game, and says whether it did.
/// `rng` is this turn's generator (used only by `spawn_food.standard`).
pub fn run_stages(
    state: &mut BoardState,
    stages_list: &[Stage],
    moves: &[SnakeMove],
    ruleset: &Ruleset,
    rng: &mut dyn RulesRng,
) -> Result<bool, RulesError> {
    let init = state.board.turn <= 0 && moves.is_empty();
    for &stage in stages_list {
        let ended = match stage {
            Stage::GameOverStandard => state.alive().count() <= 1,
            Stage::GameOverSoloSnake => state.alive().count() == 0,
            _ => {
                run_stage(state, stage, moves, init, ruleset, rng)?;
                false
            }
        };
        if ended {
            return Ok(true);
        }
    }
    Ok(false)
}

fn run_stage(
    state: &mut BoardState,
    stage: Stage,
    moves: &[SnakeMove],
    init: bool,
    ruleset: &Ruleset,
    rng: &mut dyn RulesRng,
) -> Result<(), RulesError> {
    let settings = &ruleset.settings;
    match stage {
        Stage::MovementStandard | Stage::MovementWrapBoundaries if !init && !moves.is_empty() => {
            let aligned = align_moves(state, moves)?;
            let (board, mut snakes) = state.split();
            let wrap = stage == Stage::MovementWrapBoundaries;
            stages::move_snakes(board, &mut snakes, &aligned, wrap)?;
        }
        Stage::StarvationStandard if !init => stages::reduce_health(&mut state.split().1),
        Stage::HazardDamageStandard if !init => {
            let (board, mut snakes) = state.split();
            stages::damage_hazards(board, &mut snakes, settings.hazard_damage_per_turn);
        }
        Stage::FeedSnakesStandard => {
            let (board, mut snakes) = state.split();
            stages::feed_snakes(board, &mut snakes);
        }
        Stage::EliminationStandard if !init => {
            let (board, mut snakes) = state.split();
            stages::eliminate_snakes(board, &mut snakes)?;
        }
        Stage::SpawnFoodStandard if !init => {
            let (board, snakes) = state.split();
            let (min, chance) = (settings.minimum_food, settings.food_spawn_chance);
            stages::spawn_food_stage(board, &snakes, min, chance, rng);
        }
        Stage::SpawnFoodNoFood => stages::remove_food(&mut state.board),
        Stage::ModifySnakesAlwaysGrow => stages::grow_snakes(&mut state.split().1)?,
        Stage::SpawnHazardsShrinkMap if !init => {
            let mut sides = ruleset.get_rand(0);
            let every = settings.shrink_every_n_turns;
            stages::shrink_hazards(&mut state.board, every, &mut sides)?;
        }
        _ => {}
    }
    Ok(())
}

/// The moves lined up with the snakes; upstream's checks: every snake in
/// the game needs a body and a move (extra moves are ignored).
fn align_moves(state: &BoardState, moves: &[SnakeMove]) -> Result<Vec<Option<Move>>, RulesError> {
    let mut aligned = Vec::with_capacity(state.snakes.len());
    for snake in &state.snakes {
        if !snake.is_alive() {
            aligned.push(None);
            continue;
        }
        if snake.body.is_empty() {
            return Err(RulesError::ZeroLengthSnake);
        }
        match moves.iter().find(|m| m.id == snake.id) {
            Some(m) => aligned.push(m.direction),
            None => return Err(RulesError::NoMoveFound),
        }
    }
    Ok(aligned)
}

/// Upstream's `Ruleset.Execute`: the ruleset's pipeline over a copy of
/// `state`. Returns whether the game was already over (then nothing ran)
/// and the next state. No map update and no turn increment: see
/// [`apply_moves`] for a whole turn.
pub fn execute(
    state: &BoardState,
    moves: &[SnakeMove],
    ruleset: &Ruleset,
) -> Result<(bool, BoardState), RulesError> {
    let mut next = state.clone();
    let mut rng = ruleset.get_rand(state.board.turn);
    let over = run_stages(&mut next, &ruleset.pipeline(), moves, ruleset, &mut rng)?;
    Ok((over, next))
}

/// The map's update after the ruleset ran (`PostUpdateBoard`): food for the
/// standard and royale maps, and royale's hazards for the royale map.
pub fn update_map(
    state: &mut BoardState,
    map: GameMap,
    ruleset: &Ruleset,
    rng: &mut dyn RulesRng,
) -> Result<(), RulesError> {
    if map == GameMap::Empty {
        return Ok(());
    }
    let s = &ruleset.settings;
    let (board, snakes) = state.split();
    stages::spawn_food(board, &snakes, s.minimum_food, s.food_spawn_chance, rng);
    if map == GameMap::Royale && board.turn + 1 >= s.shrink_every_n_turns {
        let mut sides = ruleset.get_rand(0);
        stages::shrink_hazards(board, s.shrink_every_n_turns, &mut sides)?;
    }
    Ok(())
}

/// One whole turn as upstream's CLI plays it: if the game is not over, the
/// ruleset's pipeline, the map's update (food from `rng`) and the turn
/// count. A finished game comes back unchanged.
pub fn apply_moves(
    state: &BoardState,
    moves: &[SnakeMove],
    ruleset: &Ruleset,
    map: GameMap,
    rng: &mut dyn RulesRng,
) -> Result<BoardState, RulesError> {
    let mut next = state.clone();
    if run_stages(&mut next, &ruleset.pipeline(), moves, ruleset, rng)? {
        return Ok(state.clone());
    }
    update_map(&mut next, map, ruleset, rng)?;
    next.board.turn += 1;
    Ok(next)
}

/// Sets a game up: the map places snakes (and food), then the ruleset's
/// initialisation pass (constrictor clears the food). Returns the state and
/// whether the game is over before it starts.
pub fn setup_game(
    ruleset: &Ruleset,
    map: GameMap,
    width: i32,
    height: i32,
    ids: &[String],
    rng: &mut dyn RulesRng,
) -> Result<(bool, BoardState), RulesError> {
    let state = map.setup_board(rng, width, height, ids)?;
    execute(&state, &[], ruleset)
}
