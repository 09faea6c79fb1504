//! The arena's geometry: the 19x19 grid, its circle of walls, the spawn
//! points along the inside of the circle, directions and mirroring.
//!
//! As RobotRumble's documentation and play show it: a cell is a wall when
//! its squared distance from the centre (9, 9) is at least 9² = 81; a spawn
//! point is a cell inside the circle with a wall as a four-way neighbour (48
//! of them, the list the Python API's `SPAWN_COORDS` names); a point's
//! mirror is its reflection through the centre, `(18 - x, 18 - y)`.

use serde::{Deserialize, Serialize};

/// Cells per side.
pub const GRID_SIZE: i32 = 19;

/// The centre cell's coordinate on both axes.
const CENTRE: i32 = GRID_SIZE / 2;

/// A cell: `x` grows east, `y` grows south; written `[x, y]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Coords(pub i32, pub i32);

impl Coords {
    /// The neighbouring cell in `dir`. Like the reference engine, a step
    /// west or north from coordinate 0 stays at 0 (no unit ever stands
    /// there: those cells are walls).
    pub fn step(self, dir: Direction) -> Coords {
        let (dx, dy) = dir.delta();
        Coords((self.0 + dx).max(0), (self.1 + dy).max(0))
    }

    /// The reflection through the centre: where the other team's unit of a
    /// spawned pair stands.
    pub fn mirror(self) -> Coords {
        Coords(GRID_SIZE - 1 - self.0, GRID_SIZE - 1 - self.1)
    }

    /// The cell's index in a row-major `GRID_SIZE²` array (`None` off the grid).
    pub fn index(self) -> Option<usize> {
        let on_grid = (0..GRID_SIZE).contains(&self.0) && (0..GRID_SIZE).contains(&self.1);
        on_grid.then(|| (self.1 * GRID_SIZE + self.0) as usize)
    }
}

/// A unit's four directions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Direction {
    North,
    South,
    East,
    West,
}

impl Direction {
    /// All four, in the order the Python API iterates them.
    pub const ALL: [Direction; 4] = [
        Direction::North,
        Direction::South,
        Direction::East,
        Direction::West,
    ];

    /// The step as `(dx, dy)`.
    pub fn delta(self) -> (i32, i32) {
        match self {
            Direction::North => (0, -1),
            Direction::South => (0, 1),
            Direction::East => (1, 0),
            Direction::West => (-1, 0),
        }
    }

    /// The direction back.
    pub fn opposite(self) -> Direction {
        match self {
            Direction::North => Direction::South,
            Direction::South => Direction::North,
            Direction::East => Direction::West,
            Direction::West => Direction::East,
        }
    }

    /// Who gets a cell that several units move into: the one moving north,
    /// then east, then south, then west (lower goes first).
    pub fn priority(self) -> u8 {
        match self {
            Direction::North => 1,
            Direction::East => 2,
            Direction::South => 3,
            Direction::West => 4,
        }
    }
}

/// Whether a cell is a wall (cells off the grid count as walls).
pub fn is_wall(c: Coords) -> bool {
    if c.index().is_none() {
        return true;
    }
    let (dx, dy) = (CENTRE - c.0, CENTRE - c.1);
    dx * dx + dy * dy >= CENTRE * CENTRE
}

/// Every cell of the grid, `x` first then `y` (the order walls are
/// numbered in).
fn cells() -> impl Iterator<Item = Coords> {
    (0..GRID_SIZE).flat_map(|x| (0..GRID_SIZE).map(move |y| Coords(x, y)))
}

/// The walls, `x` first then `y`.
pub fn walls() -> Vec<Coords> {
    cells().filter(|&c| is_wall(c)).collect()
}

/// The spawn points, sorted by `x` then `y`.
pub fn spawn_points() -> Vec<Coords> {
    cells()
        .filter(|&c| !is_wall(c) && Direction::ALL.iter().any(|&d| is_wall(c.step(d))))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The Python API's `SPAWN_COORDS`, as documented.
    const DOCUMENTED_SPAWNS: [(i32, i32); 48] = [
        (1, 5),
        (1, 6),
        (1, 7),
        (1, 8),
        (1, 9),
        (1, 10),
        (1, 11),
        (1, 12),
        (1, 13),
        (2, 4),
        (2, 14),
        (3, 3),
        (3, 15),
        (4, 2),
        (4, 16),
        (5, 1),
        (5, 17),
        (6, 1),
        (6, 17),
        (7, 1),
        (7, 17),
        (8, 1),
        (8, 17),
        (9, 1),
        (9, 17),
        (10, 1),
        (10, 17),
        (11, 1),
        (11, 17),
        (12, 1),
        (12, 17),
        (13, 1),
        (13, 17),
        (14, 2),
        (14, 16),
        (15, 3),
        (15, 15),
        (16, 4),
        (16, 14),
        (17, 5),
        (17, 6),
        (17, 7),
        (17, 8),
        (17, 9),
        (17, 10),
        (17, 11),
        (17, 12),
        (17, 13),
    ];

    #[test]
    fn spawn_points_are_the_documented_ones() {
        let ours: Vec<(i32, i32)> = spawn_points().iter().map(|c| (c.0, c.1)).collect();
        let mut documented = DOCUMENTED_SPAWNS.to_vec();
        documented.sort();
        assert_eq!(ours, documented);
    }

    #[test]
    fn spawn_points_mirror_onto_spawn_points() {
        let points = spawn_points();
        for p in &points {
            assert!(points.contains(&p.mirror()), "{p:?}");
            assert_ne!(*p, p.mirror());
        }
    }

    #[test]
    fn the_circle_is_closed_and_the_centre_open() {
        assert!(!is_wall(Coords(9, 9)));
        assert!(is_wall(Coords(0, 9)) && is_wall(Coords(18, 9)));
        assert!(!is_wall(Coords(1, 9)) && !is_wall(Coords(17, 9)));
        assert!(is_wall(Coords(1, 4)) && is_wall(Coords(-1, 5)) && is_wall(Coords(19, 5)));
        // Every open cell's neighbours are on the grid: no unit can leave it.
        for c in cells().filter(|&c| !is_wall(c)) {
            for d in Direction::ALL {
                assert!(c.step(d).index().is_some());
            }
        }
    }
}
