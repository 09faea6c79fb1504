//! Stored replays, read through the replays crate on the store's connection.

use arena_replays::{Replay, ReplayError};

use super::{Store, StoreResult};

/// A stored replay as `arena replay list` shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReplayRow {
    pub match_id: i64,
    pub tournament: String,
    pub game: String,
    pub round: u32,
    pub sim: u32,
    pub frames: i64,
    /// `name:placement` for each player, space-separated.
    pub placements: String,
}

impl Store {
    /// Runs `f` on a match's replay; `None` when the match has none.
    pub fn with_replay<T>(
        &self,
        match_id: i64,
        f: impl FnOnce(&Replay<'_>) -> T,
    ) -> StoreResult<Option<T>> {
        let conn = self.conn();
        match Replay::open(&conn, match_id) {
            Ok(replay) => Ok(Some(f(&replay))),
            Err(ReplayError::NotFound(_)) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    /// The newest `limit` replays (of one tournament if given), oldest first.
    pub fn replay_rows(&self, tournament: Option<&str>, limit: i64) -> StoreResult<Vec<ReplayRow>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT * FROM (SELECT m.id, t.name, t.game, m.round, m.sim, r.frames, \
               (SELECT group_concat(p.name || ':' || mp.placement, ' ') FROM match_players mp JOIN players p ON p.id = mp.player_id WHERE mp.match_id = m.id) \
             FROM replays r JOIN matches m ON m.id = r.match_id JOIN tournaments t ON t.id = m.tournament_id \
             WHERE ?1 IS NULL OR t.name = ?1 ORDER BY m.id DESC LIMIT ?2) ORDER BY 1",
        )?;
        let rows = stmt
            .query_map(rusqlite::params![tournament, limit], |r| {
                Ok(ReplayRow {
                    match_id: r.get(0)?,
                    tournament: r.get(1)?,
                    game: r.get(2)?,
                    round: r.get(3)?,
                    sim: r.get(4)?,
                    frames: r.get(5)?,
                    placements: r.get::<_, Option<String>>(6)?.unwrap_or_default(),
                })
            })?
            .collect::<Result<_, _>>()?;
        Ok(rows)
    }
}
