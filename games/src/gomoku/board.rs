//! The board and the rules that only look at it: where a stone may go,
//! whether it makes exactly five, whether the board is full. Everything here
//! follows `GomokuGame` in CodeClash-ai/Gomoku's `engine.py`.

use bevy_ecs::prelude::*;
use serde::{Deserialize, Serialize};

/// A stone's colour; black plays first.
#[derive(Component, Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Stone {
    Black,
    White,
}

impl Stone {
    /// The other colour.
    pub fn opponent(self) -> Stone {
        match self {
            Stone::Black => Stone::White,
            Stone::White => Stone::Black,
        }
    }

    /// The cell value `engine.py` stores: 1 for black, 2 for white.
    pub fn value(self) -> u8 {
        match self {
            Stone::Black => 1,
            Stone::White => 2,
        }
    }

    /// The colour of a cell value (`None` for 0, an empty cell).
    pub fn from_value(value: u8) -> Option<Stone> {
        match value {
            1 => Some(Stone::Black),
            2 => Some(Stone::White),
            _ => None,
        }
    }

    /// `"black"` or `"white"`, as `get_move` receives it.
    pub fn name(self) -> &'static str {
        match self {
            Stone::Black => "black",
            Stone::White => "white",
        }
    }

    /// The frames' letter for it: `'B'` or `'W'`.
    pub fn letter(self) -> char {
        match self {
            Stone::Black => 'B',
            Stone::White => 'W',
        }
    }
}

/// A cell, `(row, col)`: `board[row][col]` in the bot's list of lists
/// (`engine.py` calls them `x` and `y`).
pub type Cell = (usize, usize);

/// Why a placement is refused (`make_move` returning `False`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    OffBoard,
    Occupied,
}

/// The four line directions `engine.py` checks: down, right, and both
/// diagonals.
const DIRECTIONS: [(isize, isize); 4] = [(1, 0), (0, 1), (1, 1), (1, -1)];

/// The board, row by row: 0 empty, 1 black, 2 white.
#[derive(Resource, Clone, Debug, PartialEq, Eq)]
pub struct Board {
    size: usize,
    cells: Vec<u8>,
}

impl Board {
    /// An empty `size` x `size` board.
    pub fn new(size: usize) -> Self {
        Board {
            size,
            cells: vec![0; size * size],
        }
    }

    /// Cells per side.
    pub fn size(&self) -> usize {
        self.size
    }

    /// The stone on a cell, if any (`None` off the board too).
    pub fn get(&self, (row, col): Cell) -> Option<Stone> {
        if row < self.size && col < self.size {
            self.cells
                .get(row * self.size + col)
                .copied()
                .and_then(Stone::from_value)
        } else {
            None
        }
    }

    /// The cell `(row, col)` names, if it is on the board (bots answer with
    /// any integers; negative ones are off the board, not Python's
    /// from-the-end indexing).
    pub fn cell(&self, row: i64, col: i64) -> Option<Cell> {
        let row = usize::try_from(row).ok()?;
        let col = usize::try_from(col).ok()?;
        (row < self.size && col < self.size).then_some((row, col))
    }

    /// Puts a stone down, or says why it may not go there.
    pub fn place(&mut self, row: i64, col: i64, stone: Stone) -> Result<Cell, Refusal> {
        let cell = self.cell(row, col).ok_or(Refusal::OffBoard)?;
        let index = cell.0 * self.size + cell.1;
        match self.cells.get_mut(index) {
            Some(slot) if *slot == 0 => {
                *slot = stone.value();
                Ok(cell)
            }
            Some(_) => Err(Refusal::Occupied),
            None => Err(Refusal::OffBoard),
        }
    }

    /// The line of exactly five through `cell` in its stone's colour, if the
    /// stone there makes one. Like `_check_win`, each direction is counted
    /// on its own: six or more in one direction is no win, but a five in
    /// another direction through the same stone still is.
    pub fn five_through(&self, cell: Cell) -> Option<[Cell; 5]> {
        let stone = self.get(cell)?;
        DIRECTIONS.iter().find_map(|&(dr, dc)| {
            let back = self.run(cell, (-dr, -dc), stone);
            let ahead = self.run(cell, (dr, dc), stone);
            if back + 1 + ahead != 5 {
                return None;
            }
            // The first cell of the run, `back` steps behind `cell`.
            let start = (
                cell.0 as isize - dr * back as isize,
                cell.1 as isize - dc * back as isize,
            );
            let mut line = [cell; 5];
            for (k, slot) in line.iter_mut().enumerate() {
                let k = k as isize;
                *slot = ((start.0 + dr * k) as usize, (start.1 + dc * k) as usize);
            }
            Some(line)
        })
    }

    /// How many stones of `stone` follow `cell` in direction `step`.
    fn run(&self, cell: Cell, step: (isize, isize), stone: Stone) -> usize {
        let mut count = 0;
        let (mut r, mut c) = (cell.0 as isize, cell.1 as isize);
        loop {
            r += step.0;
            c += step.1;
            if r < 0 || c < 0 || self.get((r as usize, c as usize)) != Some(stone) {
                return count;
            }
            count += 1;
        }
    }

    /// No empty cell left (`is_full`): the game is drawn.
    pub fn is_full(&self) -> bool {
        self.cells.iter().all(|&v| v != 0)
    }

    /// Stones on the board.
    pub fn stones(&self) -> usize {
        self.cells.iter().filter(|&&v| v != 0).count()
    }

    /// The board as `get_move` receives it: a list of rows of 0/1/2.
    pub fn rows(&self) -> Vec<Vec<u8>> {
        self.cells
            .chunks(self.size.max(1))
            .map(<[u8]>::to_vec)
            .collect()
    }

    /// The board as one string, row by row: `.` empty, `B`, `W`.
    pub fn letters(&self) -> String {
        self.cells
            .iter()
            .map(|&v| Stone::from_value(v).map_or('.', Stone::letter))
            .collect()
    }
}
