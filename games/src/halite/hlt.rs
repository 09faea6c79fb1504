//! `.hlt` replays, byte for byte as the environment writes them
//! (`Halite::output`: nlohmann::json 2.0.2's compact dump, keys in order,
//! version 11), which the Halite I visualizer reads.

use std::fmt::Write;

use super::map::Map;

/// Everything a `.hlt` holds.
#[derive(Clone, Debug, Default)]
pub struct HltGame {
    pub width: u16,
    pub height: u16,
    pub player_names: Vec<String>,
    /// Row by row.
    pub productions: Vec<u8>,
    /// Every frame's (owner, strength) per cell, from the map before the
    /// first turn.
    pub frames: Vec<Vec<(u8, u8)>>,
    /// Each turn's moves per cell (one fewer than the frames).
    pub moves: Vec<Vec<u8>>,
}

impl HltGame {
    /// A game starting from `map`.
    pub fn new(map: &Map, player_names: Vec<String>) -> HltGame {
        HltGame {
            width: map.width,
            height: map.height,
            player_names,
            productions: map.sites.iter().map(|s| s.production).collect(),
            frames: vec![map.sites.iter().map(|s| (s.owner, s.strength)).collect()],
            moves: Vec::new(),
        }
    }

    /// Adds a turn: its moves and the map after it.
    pub fn push(&mut self, moves: Vec<u8>, map: &Map) {
        self.moves.push(moves);
        self.frames
            .push(map.sites.iter().map(|s| (s.owner, s.strength)).collect());
    }

    /// The file's text.
    pub fn to_json(&self) -> String {
        let w = usize::from(self.width).max(1);
        let mut s = String::with_capacity(self.frames.len() * self.productions.len() * 8);
        s.push_str("{\"frames\":[");
        for (f, frame) in self.frames.iter().enumerate() {
            if f > 0 {
                s.push(',');
            }
            s.push('[');
            for (r, row) in frame.chunks(w).enumerate() {
                if r > 0 {
                    s.push(',');
                }
                s.push('[');
                for (c, (o, st)) in row.iter().enumerate() {
                    if c > 0 {
                        s.push(',');
                    }
                    let _ = write!(s, "[{o},{st}]");
                }
                s.push(']');
            }
            s.push(']');
        }
        let _ = write!(s, "],\"height\":{},\"moves\":[", self.height);
        for (f, moves) in self.moves.iter().enumerate() {
            if f > 0 {
                s.push(',');
            }
            grid(&mut s, moves, w);
        }
        let _ = write!(
            s,
            "],\"num_frames\":{},\"num_players\":{},\"player_names\":{},\"productions\":",
            self.frames.len(),
            self.player_names.len(),
            serde_json::to_string(&self.player_names).unwrap_or_else(|_| "[]".into())
        );
        grid(&mut s, &self.productions, w);
        let _ = write!(s, ",\"version\":11,\"width\":{}}}", self.width);
        s
    }
}

/// Rows of numbers.
fn grid(s: &mut String, cells: &[u8], w: usize) {
    s.push('[');
    for (r, row) in cells.chunks(w).enumerate() {
        if r > 0 {
            s.push(',');
        }
        s.push('[');
        for (c, v) in row.iter().enumerate() {
            if c > 0 {
                s.push(',');
            }
            let _ = write!(s, "{v}");
        }
        s.push(']');
    }
    s.push(']');
}
