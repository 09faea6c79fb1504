//! Where snakes and food start, as the official engine places them
//! (`PlaceSnakesAutomatically`, `PlaceFoodAutomatically` and the standard
//! map's `SetupBoard`), drawing from a [`RulesRng`] in the same order.

use super::api::Coord;
use super::board::{Board, BoardState, RulesError, SNAKE_START_SIZE, Snake};
use super::rand::RulesRng;

/// Board sizes with fixed start positions.
pub const BOARD_SIZE_SMALL: i32 = 7;
pub const BOARD_SIZE_MEDIUM: i32 = 11;
pub const BOARD_SIZE_LARGE: i32 = 19;
/// The most snakes the standard map takes.
pub const MAX_SNAKES: usize = 16;

/// The free cells, x-major: not food, not the body of a snake in `bodies`,
/// not next to a head unless `include_possible_moves`, not a hazard if
/// `include_hazards` (the engine's `GetUnoccupiedPoints`).
pub fn unoccupied_points<'a>(
    board: &Board,
    bodies: impl IntoIterator<Item = &'a [Coord]>,
    include_possible_moves: bool,
    include_hazards: bool,
) -> Vec<Coord> {
    let mut taken = vec![false; board.cells()];
    let mut mark = |c: Coord| {
        if let Some(i) = board.index(c) {
            taken[i] = true;
        }
    };
    board.food.iter().copied().for_each(&mut mark);
    for body in bodies {
        for (i, &p) in body.iter().enumerate() {
            mark(p);
            if i == 0 && !include_possible_moves {
                for m in super::api::Move::ALL {
                    mark(m.step(p));
                }
            }
        }
    }
    if include_hazards {
        board.hazards.iter().copied().for_each(&mut mark);
    }
    let mut free = Vec::with_capacity(taken.iter().filter(|&&t| !t).count());
    for x in 0..board.width.max(0) {
        for y in 0..board.height.max(0) {
            let c = Coord::new(x, y);
            if board.index(c).is_some_and(|i| !taken[i]) {
                free.push(c);
            }
        }
    }
    free
}

fn center(board: &Board) -> Coord {
    Coord::new((board.width - 1) / 2, (board.height - 1) / 2)
}

fn new_snakes(ids: &[String]) -> Vec<Snake> {
    ids.iter()
        .map(|id| Snake::new(id.clone(), Vec::new()))
        .collect()
}

fn stack(p: Coord) -> Vec<Coord> {
    vec![p; SNAKE_START_SIZE]
}

/// The engine's `PlaceSnakesAutomatically`: fixed start points on square
/// boards of 7 or more for up to 8 snakes, spread over quadrants for more
/// snakes on boards of 11 or more, random even cells otherwise.
pub fn place_snakes_automatically(
    rng: &mut dyn RulesRng,
    board: &Board,
    ids: &[String],
) -> Result<Vec<Snake>, RulesError> {
    if board.width == board.height {
        if ids.len() > 8 && board.width < BOARD_SIZE_SMALL {
            return Err(RulesError::TooManySnakes);
        }
        if ids.len() <= 8 && board.width >= BOARD_SIZE_SMALL {
            return place_snakes_fixed(rng, board, ids);
        }
        if board.width >= BOARD_SIZE_MEDIUM {
            return place_many_snakes_distributed(rng, board, ids);
        }
    }
    place_snakes_randomly(rng, board, ids)
}

/// Four corners and four side midpoints, one inset from the edge; corners
/// and sides each shuffled, then one group or the other first.
pub fn place_snakes_fixed(
    rng: &mut dyn RulesRng,
    board: &Board,
    ids: &[String],
) -> Result<Vec<Snake>, RulesError> {
    let mut snakes = new_snakes(ids);
    let (mn, md, mx) = (1, (board.width - 1) / 2, board.width - 2);
    let mut corners = [
        Coord::new(mn, mn),
        Coord::new(mn, mx),
        Coord::new(mx, mn),
        Coord::new(mx, mx),
    ];
    let mut cardinals = [
        Coord::new(mn, md),
        Coord::new(md, mn),
        Coord::new(md, mx),
        Coord::new(mx, md),
    ];
    if snakes.len() > corners.len() + cardinals.len() {
        return Err(RulesError::TooManySnakes);
    }
    rng.shuffle(4, &mut |i, j| corners.swap(i, j));
    rng.shuffle(4, &mut |i, j| cardinals.swap(i, j));
    let starts: Vec<Coord> = if rng.intn(2) == 0 {
        corners.iter().chain(cardinals.iter()).copied().collect()
    } else {
        cardinals.iter().chain(corners.iter()).copied().collect()
    };
    for (snake, &p) in snakes.iter_mut().zip(&starts) {
        snake.body = stack(p);
    }
    Ok(snakes)
}

/// Up to 16 snakes spread evenly over the four quadrants, starting from a
/// random one (the engine's `PlaceManySnakesDistributed`).
pub fn place_many_snakes_distributed(
    rng: &mut dyn RulesRng,
    board: &Board,
    ids: &[String],
) -> Result<Vec<Snake>, RulesError> {
    if ids.len() > MAX_SNAKES {
        return Err(RulesError::TooManySnakes);
    }
    let mut snakes = new_snakes(ids);
    let (qh, qv) = (board.width / 2, board.height / 2);
    let (ho, vo) = (qh / 3, qv / 3);
    let q0 = vec![
        Coord::new(ho, vo),
        Coord::new(qh - ho, vo),
        Coord::new(ho, qv - vo),
        Coord::new(qh - ho, qv - vo),
    ];
    let (w, h) = (board.width, board.height);
    let q1 = q0.iter().map(|p| Coord::new(w - p.x - 1, p.y)).collect();
    let q2 = q0.iter().map(|p| Coord::new(p.x, h - p.y - 1)).collect();
    let q3 = q0
        .iter()
        .map(|p| Coord::new(w - p.x - 1, h - p.y - 1))
        .collect();
    let mut quads: [Vec<Coord>; 4] = [q0, q1, q2, q3];
    let mut current = rng.intn(4);
    for snake in &mut snakes {
        let bucket = &mut quads[current];
        if bucket.is_empty() {
            return Err(RulesError::NoMorePositions);
        }
        let idx = rng.intn(bucket.len());
        let p = bucket.swap_remove(idx);
        snake.body = stack(p);
        current = (current + 1) % 4;
    }
    Ok(snakes)
}

/// Each snake on a random free even cell (x + y even), never the center.
pub fn place_snakes_randomly(
    rng: &mut dyn RulesRng,
    board: &Board,
    ids: &[String],
) -> Result<Vec<Snake>, RulesError> {
    let mut snakes = new_snakes(ids);
    let c = center(board);
    for i in 0..snakes.len() {
        let placed = snakes[..i].iter().map(|s| &s.body[..]);
        let free: Vec<Coord> = unoccupied_points(board, placed, true, false)
            .into_iter()
            .filter(|p| (p.x + p.y) % 2 == 0 && *p != c)
            .collect();
        if free.is_empty() {
            return Err(RulesError::NoRoomForSnake);
        }
        let p = free[rng.intn(free.len())];
        snakes[i].body = stack(p);
    }
    Ok(snakes)
}

/// The engine's `PlaceFoodAutomatically`: fixed food on square boards of 7
/// or more, else one random food per snake.
pub fn place_food_automatically(
    rng: &mut dyn RulesRng,
    state: &mut BoardState,
) -> Result<(), RulesError> {
    if state.board.width == state.board.height && state.board.width >= BOARD_SIZE_SMALL {
        return place_food_fixed(rng, state);
    }
    let n = state.snakes.len();
    place_food_randomly(rng, state, n);
    Ok(())
}

/// One food two moves from each snake (diagonal, away from the center, not
/// in a corner) unless more than 4 snakes share a small board, then one in
/// the center.
pub fn place_food_fixed(rng: &mut dyn RulesRng, state: &mut BoardState) -> Result<(), RulesError> {
    let board = &mut state.board;
    let c = center(board);
    let small = board.width * board.height < BOARD_SIZE_MEDIUM * BOARD_SIZE_MEDIUM;
    if state.snakes.len() <= 4 || !small {
        for snake in &state.snakes {
            let Some(&head) = snake.body.first() else {
                return Err(RulesError::ZeroLengthSnake);
            };
            let candidates = [
                Coord::new(head.x - 1, head.y - 1),
                Coord::new(head.x - 1, head.y + 1),
                Coord::new(head.x + 1, head.y - 1),
                Coord::new(head.x + 1, head.y + 1),
            ];
            let available: Vec<Coord> = candidates
                .into_iter()
                .filter(|&p| {
                    let away = (p.x < head.x && head.x < c.x)
                        || (c.x < head.x && head.x < p.x)
                        || (p.y < head.y && head.y < c.y)
                        || (c.y < head.y && head.y < p.y);
                    let corner = (p.x == 0 || p.x == board.width - 1)
                        && (p.y == 0 || p.y == board.height - 1);
                    p != c && !board.food.contains(&p) && away && !corner
                })
                .collect();
            if available.is_empty() {
                return Err(RulesError::NoRoomForFood);
            }
            let p = available[rng.intn(available.len())];
            board.food.push(p);
        }
    }
    let bodies = state
        .snakes
        .iter()
        .filter(|s| s.is_alive())
        .map(|s| &s.body[..]);
    if !unoccupied_points(board, bodies, true, false).contains(&c) {
        return Err(RulesError::NoRoomForFood);
    }
    board.food.push(c);
    Ok(())
}

/// Up to `n` food on random free cells (the engine's `PlaceFoodRandomly`).
pub fn place_food_randomly(rng: &mut dyn RulesRng, state: &mut BoardState, n: usize) {
    for _ in 0..n {
        let bodies = state
            .snakes
            .iter()
            .filter(|s| s.is_alive())
            .map(|s| &s.body[..]);
        let free = unoccupied_points(&state.board, bodies, false, false);
        if !free.is_empty() {
            let p = free[rng.intn(free.len())];
            state.board.food.push(p);
        }
    }
}

/// The engine's `CreateDefaultBoardState`: snakes, then food.
pub fn create_default_board_state(
    rng: &mut dyn RulesRng,
    width: i32,
    height: i32,
    ids: &[String],
) -> Result<BoardState, RulesError> {
    let mut state = BoardState::new(width, height);
    state.snakes = place_snakes_automatically(rng, &state.board, ids)?;
    place_food_automatically(rng, &mut state)?;
    Ok(state)
}

/// Which map sets the board up and updates it after every turn (upstream's
/// `maps`; the three the four rulesets need).
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum GameMap {
    /// Standard placement and food spawning.
    #[default]
    Standard,
    /// Standard, plus royale's shrinking hazards.
    Royale,
    /// Standard snake placement, no food ever.
    Empty,
}

impl GameMap {
    /// The map's id as the API spells it.
    pub fn id(self) -> &'static str {
        match self {
            GameMap::Standard => "standard",
            GameMap::Royale => "royale",
            GameMap::Empty => "empty",
        }
    }

    /// The map's `SetupBoard`.
    pub fn setup_board(
        self,
        rng: &mut dyn RulesRng,
        width: i32,
        height: i32,
        ids: &[String],
    ) -> Result<BoardState, RulesError> {
        if ids.len() > MAX_SNAKES {
            return Err(RulesError::TooManySnakes);
        }
        match self {
            GameMap::Standard | GameMap::Royale => {
                create_default_board_state(rng, width, height, ids)
            }
            GameMap::Empty => {
                let mut state = BoardState::new(width, height);
                state.snakes = place_snakes_automatically(rng, &state.board, ids)?;
                Ok(state)
            }
        }
    }
}
