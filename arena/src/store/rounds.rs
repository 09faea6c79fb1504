//! Queries on `rounds` and `submissions` beyond the core ones.

use rusqlite::params;

use super::{Store, StoreResult};

/// A submission the validator refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvalidSubmission {
    pub round: u32,
    pub player_id: i64,
    pub reason: String,
}

impl Store {
    /// Every finished round's winner (`None`: a tie), in round order.
    pub fn round_winners(&self, tournament: i64) -> StoreResult<Vec<(u32, Option<i64>)>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT round, winner_id FROM rounds WHERE tournament_id = ?1 ORDER BY round",
        )?;
        let rows = stmt
            .query_map([tournament], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<_, _>>()?;
        Ok(rows)
    }

    /// The last finished round, if any.
    pub fn last_finished_round(&self, tournament: i64) -> StoreResult<Option<u32>> {
        Ok(self.conn().query_row(
            "SELECT MAX(round) FROM rounds WHERE tournament_id = ?1",
            [tournament],
            |r| r.get(0),
        )?)
    }

    /// The last round a player has a submission for, if any.
    pub fn last_submitted_round(&self, tournament: i64, player: i64) -> StoreResult<Option<u32>> {
        Ok(self.conn().query_row(
            "SELECT MAX(round) FROM submissions WHERE tournament_id = ?1 AND player_id = ?2",
            params![tournament, player],
            |r| r.get(0),
        )?)
    }

    /// Every refused submission, by round and player.
    pub fn invalid_submissions(&self, tournament: i64) -> StoreResult<Vec<InvalidSubmission>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT round, player_id, reason FROM submissions WHERE tournament_id = ?1 AND valid = 0 ORDER BY round, player_id",
        )?;
        let rows = stmt
            .query_map([tournament], |r| {
                Ok(InvalidSubmission {
                    round: r.get(0)?,
                    player_id: r.get(1)?,
                    reason: r.get(2)?,
                })
            })?
            .collect::<Result<_, _>>()?;
        Ok(rows)
    }
}
