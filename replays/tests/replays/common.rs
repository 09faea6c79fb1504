//! Helpers shared by the tests.

use std::path::Path;

use arena_replays::{ReplayHeader, ReplayPlayer, create_tables};
use rusqlite::Connection;
use serde_json::{Value, json};

/// A fresh replay database in WAL mode, as the arena opens its file.
pub fn open_db(path: &Path) -> Connection {
    let conn = Connection::open(path).expect("open the database");
    let mode: String = conn
        .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
        .expect("WAL");
    assert_eq!(mode, "wal");
    create_tables(&conn).expect("create tables");
    conn
}

/// A small deterministic generator for test data.
pub struct Lcg(pub u64);

impl Lcg {
    pub fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }

    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

pub fn header(game: &str) -> ReplayHeader {
    ReplayHeader::new(
        game,
        "test-1",
        42,
        vec![
            ReplayPlayer {
                seat: 0,
                name: "alice".into(),
                codebase_hash: "aa".repeat(32),
            },
            ReplayPlayer {
                seat: 1,
                name: "bob".into(),
                codebase_hash: "bb".repeat(32),
            },
        ],
        json!({"width": 11, "height": 11, "notes": "déjà vu \n \"quoted\""}),
    )
}

/// `n` frames of varied shapes (objects, arrays, floats, strings, nulls).
pub fn frames(n: u64, seed: u64) -> Vec<Value> {
    let mut rng = Lcg(seed);
    (0..n)
        .map(|turn| {
            json!({
                "turn": turn,
                "positions": (0..4).map(|_| rng.below(100)).collect::<Vec<_>>(),
                "score": rng.below(1000) as f64 / 7.0,
                "event": if turn % 5 == 0 { Value::Null } else { json!(format!("e{}", rng.below(9))) },
            })
        })
        .collect()
}
