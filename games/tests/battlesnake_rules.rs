//! Conformance with the official BattleSnake engine: every case in
//! tests/data/battlesnake/rules/*.json (transcribed from the official tests,
//! see the README there) is run through the pure rules, and the ECS game is
//! checked for determinism, placement and whole games.

use std::path::{Path, PathBuf};

use arena_games::battlesnake::placement::GameMap;
use arena_games::battlesnake::{
    BattleSnake, BattleSnakeSetup, Board, BoardState, Coord, EliminatedCause, Elimination, Move,
    RandSource, Ruleset, RulesetName, Settings, Snake, SnakeMove, Stage, apply_moves, run_stages,
    update_map,
};
use arena_games::engine::{EndReason, Match, MatchRng, Seat};
use serde::Deserialize;
use serde_json::Value;

fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/data/battlesnake/rules")
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    source: String,
    name: String,
    #[serde(default)]
    ruleset: Option<String>,
    #[serde(default)]
    solo: bool,
    #[serde(default)]
    settings: Option<Value>,
    #[serde(default)]
    stages: Option<Vec<Stage>>,
    #[serde(default)]
    map: Option<GameMap>,
    #[serde(default)]
    rand: Option<RandSource>,
    #[serde(default)]
    seed: u64,
    board: FBoard,
    #[serde(default)]
    moves: Option<Vec<(String, String)>>,
    #[serde(default)]
    expect: Option<Expect>,
    #[serde(default)]
    steps: Vec<Step>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Step {
    #[serde(default)]
    moves: Vec<(String, String)>,
    expect: Expect,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct Expect {
    #[serde(default)]
    error: Option<String>,
    #[serde(default)]
    game_over: Option<bool>,
    #[serde(default)]
    food: Option<Vec<[i32; 2]>>,
    #[serde(default)]
    food_count: Option<usize>,
    #[serde(default)]
    hazards: Option<Vec<[i32; 2]>>,
    #[serde(default)]
    snakes: Option<Vec<ESnake>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FBoard {
    #[serde(default)]
    turn: i32,
    #[serde(default)]
    width: i32,
    #[serde(default)]
    height: i32,
    #[serde(default)]
    food: Vec<[i32; 2]>,
    #[serde(default)]
    hazards: Vec<[i32; 2]>,
    #[serde(default)]
    snakes: Vec<FSnake>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct FSnake {
    #[serde(default)]
    id: String,
    #[serde(default)]
    body: Vec<[i32; 2]>,
    #[serde(default)]
    health: i32,
    #[serde(default)]
    eliminated_cause: Option<EliminatedCause>,
    #[serde(default)]
    eliminated_by: String,
    #[serde(default)]
    eliminated_on_turn: i32,
}

/// Expected snake: fields left out are not checked (as in the Go test).
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct ESnake {
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    body: Option<Vec<[i32; 2]>>,
    #[serde(default)]
    health: Option<i32>,
    /// `""` for a snake still in the game.
    #[serde(default)]
    eliminated_cause: Option<String>,
    #[serde(default)]
    eliminated_by: Option<String>,
    #[serde(default)]
    eliminated_on_turn: Option<i32>,
}

fn coords(v: &[[i32; 2]]) -> Vec<Coord> {
    v.iter().map(|&[x, y]| Coord::new(x, y)).collect()
}

fn board_state(b: &FBoard) -> BoardState {
    BoardState {
        board: Board {
            turn: b.turn,
            width: b.width,
            height: b.height,
            food: coords(&b.food),
            hazards: coords(&b.hazards),
        },
        snakes: b
            .snakes
            .iter()
            .map(|s| Snake {
                id: s.id.clone(),
                body: coords(&s.body),
                health: s.health,
                elimination: Elimination {
                    cause: s.eliminated_cause,
                    by: s.eliminated_by.clone(),
                    on_turn: s.eliminated_on_turn,
                },
            })
            .collect(),
    }
}

fn settings(v: &Option<Value>) -> Settings {
    let mut s = Settings::stage_defaults();
    if let Some(Value::Object(m)) = v {
        let get = |k: &str, d: i32| m.get(k).and_then(Value::as_i64).map_or(d, |n| n as i32);
        s.food_spawn_chance = get("foodSpawnChance", s.food_spawn_chance);
        s.minimum_food = get("minimumFood", s.minimum_food);
        s.hazard_damage_per_turn = get("hazardDamagePerTurn", s.hazard_damage_per_turn);
        s.shrink_every_n_turns = get("shrinkEveryNTurns", s.shrink_every_n_turns);
    }
    s
}

fn check(case: &str, state: &BoardState, over: bool, expect: &Expect) -> Vec<String> {
    let mut errs = Vec::new();
    if let Some(g) = expect.game_over
        && g != over
    {
        errs.push(format!("{case}: game over {over}, expected {g}"));
    }
    if let Some(f) = &expect.food
        && coords(f) != state.board.food
    {
        errs.push(format!(
            "{case}: food {:?}, expected {f:?}",
            state.board.food
        ));
    }
    if let Some(n) = expect.food_count
        && n != state.board.food.len()
    {
        errs.push(format!(
            "{case}: {} food, expected {n}",
            state.board.food.len()
        ));
    }
    if let Some(h) = &expect.hazards
        && coords(h) != state.board.hazards
    {
        errs.push(format!(
            "{case}: hazards {:?}, expected {h:?}",
            state.board.hazards
        ));
    }
    if let Some(snakes) = &expect.snakes {
        if snakes.len() != state.snakes.len() {
            errs.push(format!(
                "{case}: {} snakes, expected {}",
                state.snakes.len(),
                snakes.len()
            ));
        }
        for (i, (e, s)) in snakes.iter().zip(&state.snakes).enumerate() {
            let cause = s.elimination.cause.map_or("", EliminatedCause::as_str);
            let mut bad = Vec::new();
            if e.id.as_ref().is_some_and(|id| *id != s.id) {
                bad.push("id");
            }
            if e.body.as_ref().is_some_and(|b| coords(b) != s.body) {
                bad.push("body");
            }
            if e.health.is_some_and(|h| h != s.health) {
                bad.push("health");
            }
            if e.eliminated_cause.as_ref().is_some_and(|c| c != cause) {
                bad.push("eliminatedCause");
            }
            if e.eliminated_by
                .as_ref()
                .is_some_and(|b| *b != s.elimination.by)
            {
                bad.push("eliminatedBy");
            }
            if e.eliminated_on_turn
                .is_some_and(|t| t != s.elimination.on_turn)
            {
                bad.push("eliminatedOnTurn");
            }
            if !bad.is_empty() {
                errs.push(format!("{case}: snake {i} differs in {bad:?}: {s:?}"));
            }
        }
    }
    errs
}

fn run_case(c: &Case) -> Vec<String> {
    let label = format!("{} [{}]", c.name, c.source);
    let name = RulesetName::parse(c.ruleset.as_deref().unwrap_or("standard"));
    let mut ruleset = Ruleset::new(name, settings(&c.settings));
    ruleset.solo = c.solo || name == RulesetName::Solo;
    ruleset.seed = c.seed;
    if let Some(r) = &c.rand {
        ruleset.rand = r.clone();
    }
    let stages = c.stages.clone().unwrap_or_else(|| ruleset.pipeline());
    let mut steps: Vec<(Vec<(String, String)>, &Expect)> = Vec::new();
    if let Some(e) = &c.expect {
        steps.push((c.moves.clone().unwrap_or_default(), e));
    }
    steps.extend(c.steps.iter().map(|s| (s.moves.clone(), &s.expect)));
    let mut state = board_state(&c.board);
    let mut errs = Vec::new();
    for (n, (moves, expect)) in steps.into_iter().enumerate() {
        let label = format!("{label} step {n}");
        let moves: Vec<SnakeMove> = moves
            .iter()
            .map(|(id, m)| SnakeMove {
                id: id.clone(),
                direction: Move::parse(m),
            })
            .collect();
        // As upstream's pipeline: stages run on a copy of the state.
        let mut next = state.clone();
        let mut rng = ruleset.get_rand(state.board.turn);
        let mut result = run_stages(&mut next, &stages, &moves, &ruleset, &mut rng);
        if let (Ok(false), Some(map)) = (&result, c.map) {
            result = update_map(&mut next, map, &ruleset, &mut rng).map(|()| false);
        }
        match (result, &expect.error) {
            (Err(e), Some(want)) if e.to_string() == *want => {}
            (Err(e), _) => errs.push(format!("{label}: error {e}, expected {:?}", expect.error)),
            (Ok(_), Some(want)) => errs.push(format!("{label}: no error, expected {want}")),
            (Ok(over), None) => {
                errs.extend(check(&label, &next, over, expect));
                state = next;
            }
        }
    }
    errs
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct SetupCase {
    source: String,
    name: String,
    width: i32,
    height: i32,
    snakes: usize,
    rand: RandSource,
    #[serde(default)]
    map: Option<GameMap>,
    #[serde(default)]
    error: Option<String>,
    #[serde(default)]
    heads: Option<Vec<[i32; 2]>>,
    #[serde(default)]
    food: Option<Vec<[i32; 2]>>,
    #[serde(default)]
    food_count: Option<usize>,
}

fn run_setup_case(c: &SetupCase) -> Vec<String> {
    let label = format!("{} [{}]", c.name, c.source);
    let ids: Vec<String> = (1..=c.snakes).map(|i| i.to_string()).collect();
    let mut rng = c.rand.get(0, 0);
    let map = c.map.unwrap_or(GameMap::Standard);
    let mut errs = Vec::new();
    match (map.setup_board(&mut rng, c.width, c.height, &ids), &c.error) {
        (Err(e), Some(want)) if e.to_string() == *want => {}
        (Err(e), _) => errs.push(format!("{label}: error {e}, expected {:?}", c.error)),
        (Ok(_), Some(want)) => errs.push(format!("{label}: no error, expected {want}")),
        (Ok(state), None) => {
            let heads: Vec<Coord> = state
                .snakes
                .iter()
                .filter_map(|s| s.body.first().copied())
                .collect();
            if let Some(h) = &c.heads
                && coords(h) != heads
            {
                errs.push(format!("{label}: heads {heads:?}, expected {h:?}"));
            }
            if let Some(f) = &c.food
                && coords(f) != state.board.food
            {
                errs.push(format!(
                    "{label}: food {:?}, expected {f:?}",
                    state.board.food
                ));
            }
            if let Some(n) = c.food_count
                && n != state.board.food.len()
            {
                errs.push(format!(
                    "{label}: {} food, expected {n}",
                    state.board.food.len()
                ));
            }
            for s in &state.snakes {
                if s.body.len() != 3 || s.health != 100 || s.body.iter().any(|&p| p != s.body[0]) {
                    errs.push(format!(
                        "{label}: snake {} not a stack of 3 at full health",
                        s.id
                    ));
                }
            }
        }
    }
    errs
}

#[test]
fn official_cases() {
    let mut files: Vec<PathBuf> = std::fs::read_dir(data_dir())
        .expect("fixture directory")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    let (mut cases, mut setups, mut errs) = (0, 0, Vec::new());
    for file in &files {
        let text = std::fs::read_to_string(file).expect("readable fixture");
        let what = file.display().to_string();
        if file.file_name().is_some_and(|n| n == "placement.json") {
            let list: Vec<SetupCase> = serde_json::from_str(&text).expect(&what);
            for c in &list {
                errs.extend(run_setup_case(c));
            }
            setups += list.len();
        } else {
            let list: Vec<Case> = serde_json::from_str(&text).expect(&what);
            for c in &list {
                errs.extend(run_case(c));
            }
            cases += list.len();
        }
    }
    eprintln!(
        "{cases} rules cases, {setups} setup cases in {} files",
        files.len()
    );
    assert!(cases >= 100, "only {cases} cases");
    assert!(
        errs.is_empty(),
        "{} failures:\n{}",
        errs.len(),
        errs.join("\n")
    );
}

// ---- the ECS game ----

/// Random moves; now and then a seat sends nothing (a timeout).
fn random_moves(rng: &mut MatchRng, seats: u8) -> Vec<(Seat, Move)> {
    let mut moves = Vec::new();
    for s in 0..seats {
        let m = Move::ALL[rng.below(4) as usize];
        if rng.below(10) != 0 {
            moves.push((Seat(s), m));
        }
    }
    moves
}

fn play(setup: BattleSnakeSetup, seed: u64, mover_seed: u64) -> (Vec<String>, Match<BattleSnake>) {
    let seats = setup.players.len() as u8;
    let mut m = Match::<BattleSnake>::new(seed, setup);
    let mut movers = MatchRng::new(mover_seed);
    let mut frames = Vec::new();
    for _ in 0..5000 {
        let moves = random_moves(&mut movers, seats);
        match m.step(moves) {
            Some(f) => frames.push(serde_json::to_string(&f).expect("frame serialises")),
            None => break,
        }
    }
    (frames, m)
}

fn setup(ruleset: RulesetName, size: i32, n: usize) -> BattleSnakeSetup {
    let names: Vec<String> = (0..n).map(|i| format!("p{i}")).collect();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let mut s = BattleSnakeSetup::new(ruleset, size, size, &names);
    s.settings.shrink_every_n_turns = 5;
    s
}

#[test]
fn same_seed_same_game() {
    for ruleset in [
        RulesetName::Standard,
        RulesetName::Royale,
        RulesetName::Wrapped,
    ] {
        let (a, _) = play(setup(ruleset, 11, 4), 7, 1);
        let (b, _) = play(setup(ruleset, 11, 4), 7, 1);
        let (c, _) = play(setup(ruleset, 11, 4), 8, 1);
        assert_eq!(a, b);
        assert_ne!(a, c);
    }
}

#[test]
fn random_games_end_on_every_board_and_ruleset() {
    let rulesets = [
        RulesetName::Standard,
        RulesetName::Royale,
        RulesetName::Constrictor,
        RulesetName::Wrapped,
        RulesetName::WrappedConstrictor,
    ];
    for ruleset in rulesets {
        for size in [7, 11, 19] {
            for seed in 0..5 {
                let (frames, mut m) = play(setup(ruleset, size, 4), seed, seed + 100);
                let result = m.result().cloned().expect("the game ended");
                assert_eq!(result.turns as usize, frames.len());
                assert_eq!(result.players.len(), 4);
                let winners: Vec<_> = result.players.iter().filter(|p| p.placement == 1).collect();
                assert!(!winners.is_empty());
                let alive = BattleSnake::eliminations(m.world_mut())
                    .iter()
                    .filter(|(_, e)| e.cause.is_none())
                    .count();
                assert!(alive <= 1, "{ruleset:?} {size}: {alive} alive at the end");
                for p in &result.players {
                    match p.reason {
                        EndReason::Won => assert!(p.placement == 1 && winners.len() == 1),
                        EndReason::Drew => assert!(p.placement == 1 && winners.len() > 1),
                        EndReason::Eliminated => assert!(p.placement > 1),
                        r => panic!("unexpected reason {r:?}"),
                    }
                }
                let state = BattleSnake::state(m.world_mut());
                if matches!(
                    ruleset,
                    RulesetName::Constrictor | RulesetName::WrappedConstrictor
                ) {
                    assert!(state.board.food.is_empty());
                }
            }
        }
    }
}

#[test]
fn placement_follows_the_fixed_start_points() {
    for size in [7, 11, 19] {
        for n in 1..=8 {
            for seed in 0..10 {
                let mut m = Match::<BattleSnake>::new(seed, setup(RulesetName::Standard, size, n));
                let state = BattleSnake::state(m.world_mut());
                let (mn, md, mx) = (1, (size - 1) / 2, size - 2);
                let starts = [
                    (mn, mn),
                    (mn, mx),
                    (mx, mn),
                    (mx, mx),
                    (mn, md),
                    (md, mn),
                    (md, mx),
                    (mx, md),
                ];
                let mut heads = Vec::new();
                for s in &state.snakes {
                    assert_eq!(s.body.len(), 3);
                    assert!(s.body.iter().all(|&p| p == s.body[0]));
                    assert_eq!(s.health, 100);
                    let h = s.body[0];
                    assert!(starts.contains(&(h.x, h.y)), "{size}: {h:?}");
                    heads.push(h);
                }
                heads.sort();
                heads.dedup();
                assert_eq!(heads.len(), n);
                // The first 4 snakes all take corners or all take sides.
                let corner = |c: &Coord| (c.x == mn || c.x == mx) && (c.y == mn || c.y == mx);
                let first: Vec<bool> = state
                    .snakes
                    .iter()
                    .take(4)
                    .map(|s| corner(&s.body[0]))
                    .collect();
                assert!(first.iter().all(|&c| c == first[0]));
                // Food: one in the center, and (few snakes or big board) one near each snake.
                let center = Coord::new(md, md);
                assert_eq!(state.board.food.last(), Some(&center));
                let expected = if n <= 4 || size >= 11 { n + 1 } else { 1 };
                assert_eq!(state.board.food.len(), expected, "{size} {n}");
                assert!(!m.is_over() || n == 0);
            }
        }
    }
}

#[test]
fn one_snake_plays_solo_until_it_dies() {
    let (frames, m) = play(setup(RulesetName::Standard, 11, 1), 3, 4);
    let result = m.result().expect("ended");
    assert!(!frames.is_empty());
    assert_eq!(result.players[0].reason, EndReason::Eliminated);
}

#[test]
fn pure_rules_and_ecs_agree() {
    // The same turns through apply_moves (same generator, same order of
    // draws) give the ECS game's states.
    for ruleset in [
        RulesetName::Standard,
        RulesetName::Royale,
        RulesetName::Constrictor,
        RulesetName::Wrapped,
    ] {
        let s = setup(ruleset, 11, 4);
        let mut m = Match::<BattleSnake>::new(21, s.clone());
        let mut state = BattleSnake::state(m.world_mut());
        let rules = BattleSnake::rules(m.world()).clone();
        let mut movers = MatchRng::new(5);
        // Replay the match's own generator after setup.
        let mut rng = MatchRng::new(21);
        let ids: Vec<String> = (0..4).map(|i| format!("snake-{i}")).collect();
        assert_eq!(rng.next_u64(), rules.ruleset.seed);
        let placed =
            arena_games::battlesnake::setup_game(&rules.ruleset, rules.map, 11, 11, &ids, &mut rng);
        assert_eq!(placed.map(|(_, s)| s).as_ref(), Ok(&state));
        while !m.is_over() {
            let moves = random_moves(&mut movers, 4);
            let snake_moves: Vec<SnakeMove> = state
                .snakes
                .iter()
                .enumerate()
                .map(|(i, sn)| SnakeMove {
                    id: sn.id.clone(),
                    direction: moves
                        .iter()
                        .find(|(s, _)| s.0 as usize == i)
                        .map(|(_, mv)| *mv),
                })
                .collect();
            m.step(moves);
            state = apply_moves(&state, &snake_moves, &rules.ruleset, rules.map, &mut rng)
                .expect("valid turn");
            assert_eq!(
                state,
                BattleSnake::state(m.world_mut()),
                "{ruleset:?} turn {}",
                state.board.turn
            );
        }
    }
}

#[test]
fn requests_have_the_official_shape() {
    let mut m = Match::<BattleSnake>::new(1, setup(RulesetName::Royale, 11, 2));
    let req = BattleSnake::request(m.world_mut(), Seat(1)).expect("seat 1 exists");
    let v = serde_json::to_value(&req).expect("serialises");
    assert_eq!(v["game"]["ruleset"]["name"], "royale");
    assert_eq!(
        v["game"]["ruleset"]["settings"]["royale"]["shrinkEveryNTurns"],
        5
    );
    assert_eq!(v["game"]["ruleset"]["settings"]["hazardDamagePerTurn"], 14);
    assert_eq!(v["you"]["id"], "snake-1");
    assert_eq!(v["you"]["length"], 3);
    assert_eq!(v["board"]["snakes"].as_array().map(Vec::len), Some(2));
    assert_eq!(v["turn"], 0);
}

/// Eight snakes on the largest board: every game ends with a result for
/// all eight and at most one alive, and replays the same from its seed.
/// (How fast: `arena bench battlesnake`; times belong to benchmarks.)
#[test]
fn eight_snakes_on_19x19_end_with_eight_results_and_replay_the_same() {
    let s = setup(RulesetName::Royale, 19, 8);
    for seed in 0..20 {
        let (frames, mut m) = play(s.clone(), seed, seed);
        let result = m.result().cloned().expect("the game ended");
        assert_eq!(result.turns as usize, frames.len(), "seed {seed}");
        assert_eq!(result.players.len(), 8, "seed {seed}");
        assert!(
            result.players.iter().any(|p| p.placement == 1),
            "seed {seed}: nobody placed first"
        );
        let alive = BattleSnake::eliminations(m.world_mut())
            .iter()
            .filter(|(_, e)| e.cause.is_none())
            .count();
        assert!(alive <= 1, "seed {seed}: {alive} alive at the end");
        let (again, _) = play(s.clone(), seed, seed);
        assert_eq!(frames, again, "seed {seed} replayed differently");
    }
}
