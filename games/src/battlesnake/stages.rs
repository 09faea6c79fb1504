//! The official pipeline stages, one function each, over a [`Board`] and the
//! snakes' [`SnakeMut`] views (in the state's order). The pure rules
//! ([`super::ruleset`]) and the ECS systems ([`super::game`]) both call these.
//!
//! `init` is the engine's `IsInitialization` (turn 0 and no moves): stages
//! that guard on it do nothing then.

use super::api::{Coord, Move};
use super::board::{Board, EliminatedCause, RulesError, SNAKE_MAX_HEALTH, SnakeMut};
use super::placement::unoccupied_points;
use super::rand::RulesRng;

/// The move the engine makes for a snake whose move is missing or invalid:
/// the direction of its last move, read from head and neck (also across a
/// wrapped edge), or up.
pub fn default_move(body: &[Coord]) -> Move {
    if let [head, neck, ..] = body {
        let (head, neck) = (*head, *neck);
        if head.x == neck.x + 1 {
            return Move::Right;
        } else if head.x == neck.x - 1 {
            return Move::Left;
        } else if head.y == neck.y + 1 {
            return Move::Up;
        } else if head.y == neck.y - 1 {
            return Move::Down;
        }
        if head.x == 0 && neck.x > 0 {
            return Move::Right;
        } else if neck.x == 0 && head.x > 0 {
            return Move::Left;
        } else if head.y == 0 && neck.y > 0 {
            return Move::Up;
        } else if neck.y == 0 && head.y > 0 {
            return Move::Down;
        }
    }
    Move::Up
}

/// `movement.standard` (and, with `wrap`, `movement.wrap_boundaries`): every
/// snake in the game moves its head one cell and drops its tail. `moves` is
/// aligned with `snakes`; `None` means the default move.
pub fn move_snakes(
    board: &Board,
    snakes: &mut [SnakeMut<'_>],
    moves: &[Option<Move>],
    wrap: bool,
) -> Result<(), RulesError> {
    if snakes.iter().any(|s| s.is_alive() && s.body.is_empty()) {
        return Err(RulesError::ZeroLengthSnake);
    }
    for (i, snake) in snakes.iter_mut().enumerate() {
        if !snake.is_alive() {
            continue;
        }
        let Some(&head) = snake.body.first() else {
            continue;
        };
        let dir = moves
            .get(i)
            .copied()
            .flatten()
            .unwrap_or_else(|| default_move(snake.body));
        let mut new_head = dir.step(head);
        if wrap {
            new_head.x = wrap_value(new_head.x, 0, board.width - 1);
            new_head.y = wrap_value(new_head.y, 0, board.height - 1);
        }
        snake.body.pop();
        snake.body.insert(0, new_head);
    }
    Ok(())
}

/// The engine's `wrap`: one past either end comes back at the other.
pub fn wrap_value(value: i32, min: i32, max: i32) -> i32 {
    if value < min {
        max
    } else if value > max {
        min
    } else {
        value
    }
}

/// `starvation.standard`: every snake in the game loses one health.
pub fn reduce_health(snakes: &mut [SnakeMut<'_>]) {
    for snake in snakes.iter_mut().filter(|s| s.is_alive()) {
        *snake.health -= 1;
    }
}

/// `hazard_damage.standard`: a snake whose head is on a hazard (once per
/// hazard listed there: hazards stack) loses `damage` health, unless there is
/// food on that cell; health stays within 0..=100, and a snake left with none
/// is eliminated by `hazard`.
pub fn damage_hazards(board: &Board, snakes: &mut [SnakeMut<'_>], damage: i32) {
    if board.hazards.is_empty() {
        return;
    }
    for snake in snakes.iter_mut() {
        if !snake.is_alive() {
            continue;
        }
        let Some(head) = snake.head() else { continue };
        for &p in &board.hazards {
            if p != head || board.food.contains(&p) {
                continue;
            }
            *snake.health = (snake.health.saturating_sub(damage)).clamp(0, SNAKE_MAX_HEALTH);
            if *snake.health <= 0 {
                snake
                    .elimination
                    .eliminate(EliminatedCause::Hazard, "", board.turn + 1);
            }
        }
    }
}

/// `feed_snakes.standard`: every food under the head of a snake in the game
/// is eaten (by all snakes there): each grows by one and is back to full
/// health. Food under a body stays.
pub fn feed_snakes(board: &mut Board, snakes: &mut [SnakeMut<'_>]) {
    board.food.retain(|&food| {
        let mut eaten = false;
        for snake in snakes.iter_mut() {
            if !snake.is_alive() || snake.head() != Some(food) {
                continue;
            }
            grow(snake);
            *snake.health = SNAKE_MAX_HEALTH;
            eaten = true;
        }
        !eaten
    });
}

/// Grows a snake by repeating its tail.
fn grow(snake: &mut SnakeMut<'_>) {
    if let Some(&tail) = snake.body.last() {
        snake.body.push(tail);
    }
}

/// `elimination.standard`: out of health, then out of bounds, then (judged
/// on the board as it stands, applied together) self collision, body
/// collision and lost head-to-heads. A collision is credited to the longest
/// snake involved (ties: the earlier snake).
pub fn eliminate_snakes(board: &Board, snakes: &mut [SnakeMut<'_>]) -> Result<(), RulesError> {
    let turn = board.turn + 1;
    // Longest first; a stable sort keeps equal lengths in state order, as
    // Go's sort does for the engine's board sizes (up to 12 snakes).
    let mut by_length: Vec<usize> = (0..snakes.len()).collect();
    by_length.sort_by_key(|&i| std::cmp::Reverse(snakes[i].body.len()));

    for snake in snakes.iter_mut() {
        if !snake.is_alive() {
            continue;
        }
        if snake.body.is_empty() {
            return Err(RulesError::ZeroLengthSnake);
        }
        if *snake.health <= 0 {
            snake
                .elimination
                .eliminate(EliminatedCause::OutOfHealth, "", turn);
        } else if snake.body.iter().any(|&p| !board.in_bounds(p)) {
            snake
                .elimination
                .eliminate(EliminatedCause::OutOfBounds, "", turn);
        }
    }

    let mut collisions: Vec<(usize, EliminatedCause, usize)> = Vec::new();
    {
        let all: &[SnakeMut<'_>] = snakes;
        for (i, snake) in all.iter().enumerate() {
            if !snake.is_alive() {
                continue;
            }
            let Some(head) = snake.head() else {
                return Err(RulesError::ZeroLengthSnake);
            };
            if snake.body[1..].contains(&head) {
                collisions.push((i, EliminatedCause::SelfCollision, i));
                continue;
            }
            let others = || {
                by_length
                    .iter()
                    .copied()
                    .filter(move |&j| j != i && all[j].is_alive())
            };
            let body_hit = others().find(|&j| all[j].body.get(1..).unwrap_or(&[]).contains(&head));
            if let Some(j) = body_hit {
                collisions.push((i, EliminatedCause::Collision, j));
                continue;
            }
            let lost = others()
                .find(|&j| all[j].head() == Some(head) && snake.body.len() <= all[j].body.len());
            if let Some(j) = lost {
                collisions.push((i, EliminatedCause::HeadToHeadCollision, j));
            }
        }
    }
    for (i, cause, by) in collisions {
        let by_id = snakes[by].id;
        snakes[i].elimination.eliminate(cause, by_id, turn);
    }
    Ok(())
}

/// `spawn_food.no_food` (constrictor): all food is removed.
pub fn remove_food(board: &mut Board) {
    board.food.clear();
}

/// `modify_snakes.always_grow` (constrictor): every snake (eliminated ones
/// too, as upstream) is back to full health and grows unless its tail is
/// already doubled.
pub fn grow_snakes(snakes: &mut [SnakeMut<'_>]) -> Result<(), RulesError> {
    for snake in snakes.iter_mut() {
        if snake.body.is_empty() {
            return Err(RulesError::ZeroLengthSnake);
        }
        *snake.health = SNAKE_MAX_HEALTH;
        let n = snake.body.len();
        // Upstream indexes the cell before the tail without a check; a
        // one-cell snake is left as it is here.
        if n >= 2 && snake.body[n - 1] != snake.body[n - 2] {
            grow(snake);
        }
    }
    Ok(())
}

/// `spawn_hazards.shrink_map` (royale): hazards are regenerated from the turn
/// being played: every `shrink_every` turns one side (drawn from `sides`, a
/// generator restarted for every call, so the sequence of sides is fixed for
/// the game) moves in by one, and every cell outside the safe rectangle is a
/// hazard, listed x-major.
pub fn shrink_hazards(
    board: &mut Board,
    shrink_every: i32,
    sides: &mut dyn RulesRng,
) -> Result<(), RulesError> {
    board.hazards.clear();
    let turn = board.turn + 1;
    if shrink_every < 1 {
        return Err(RulesError::ShrinkTooFrequent);
    }
    if turn < shrink_every {
        return Ok(());
    }
    let (mut min_x, mut max_x) = (0, board.width - 1);
    let (mut min_y, mut max_y) = (0, board.height - 1);
    for _ in 0..turn / shrink_every {
        match sides.intn(4) {
            0 => min_x += 1,
            1 => max_x -= 1,
            2 => min_y += 1,
            _ => max_y -= 1,
        }
    }
    for x in 0..board.width {
        for y in 0..board.height {
            if x < min_x || x > max_x || y < min_y || y > max_y {
                board.hazards.push(Coord::new(x, y));
            }
        }
    }
    Ok(())
}

/// How much food the standard map adds after a turn: up to the minimum, or
/// else one with the spawn chance (upstream's test `100 - Intn(100) < chance`,
/// kept as is).
pub fn food_needed(
    food: usize,
    minimum_food: i32,
    spawn_chance: i32,
    rng: &mut dyn RulesRng,
) -> usize {
    let food = food as i64;
    if food < i64::from(minimum_food) {
        return (i64::from(minimum_food) - food) as usize;
    }
    if spawn_chance > 0 && (100 - rng.intn(100) as i32) < spawn_chance {
        return 1;
    }
    0
}

/// The standard map's food spawning after a turn (`PostUpdateBoard`): the
/// needed food goes on random free cells (not on snakes, not next to a head,
/// not on food).
pub fn spawn_food(
    board: &mut Board,
    snakes: &[SnakeMut<'_>],
    minimum_food: i32,
    spawn_chance: i32,
    rng: &mut dyn RulesRng,
) {
    let n = food_needed(board.food.len(), minimum_food, spawn_chance, rng);
    if n == 0 {
        return;
    }
    let bodies = snakes.iter().filter(|s| s.is_alive()).map(|s| &s.body[..]);
    let mut free = unoccupied_points(board, bodies, false, false);
    rng.shuffle(free.len(), &mut |i, j| free.swap(i, j));
    board.food.extend(free.into_iter().take(n));
}

/// The deprecated `spawn_food.standard` stage, still registered upstream
/// (and used by its tests): food up to the minimum, else one with the spawn
/// chance (`Intn(100) < chance`), each on a free cell drawn anew.
pub fn spawn_food_stage(
    board: &mut Board,
    snakes: &[SnakeMut<'_>],
    minimum_food: i32,
    spawn_chance: i32,
    rng: &mut dyn RulesRng,
) {
    let have = board.food.len() as i64;
    let n = if have < i64::from(minimum_food) {
        (i64::from(minimum_food) - have) as usize
    } else if spawn_chance > 0 && (rng.intn(100) as i32) < spawn_chance {
        1
    } else {
        0
    };
    for _ in 0..n {
        let bodies = snakes.iter().filter(|s| s.is_alive()).map(|s| &s.body[..]);
        let free = unoccupied_points(board, bodies, false, false);
        if !free.is_empty() {
            let p = free[rng.intn(free.len())];
            board.food.push(p);
        }
    }
}
