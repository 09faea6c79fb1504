//! `rounds`: each finished round's winner (a tie: none).

use rusqlite::{OptionalExtension, params};

use super::{Result, Store, StoreResult, SystemRatings, Write};

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
}

impl Store {
    /// A finished round's winner (`None`: a tie, or not finished).
    pub fn round_winner(&self, tournament: i64, round: u32) -> Result<Option<i64>> {
        Ok(self
            .conn()
            .query_row(
                "SELECT winner_id FROM rounds WHERE tournament_id = ?1 AND round = ?2",
                params![tournament, round],
                |r| r.get::<_, Option<i64>>(0),
            )
            .optional()?
            .flatten())
    }

    /// Whether a round's result is stored.
    pub fn round_finished(&self, tournament: i64, round: u32) -> Result<bool> {
        Ok(self
            .conn()
            .query_row(
                "SELECT 1 FROM rounds WHERE tournament_id = ?1 AND round = ?2",
                params![tournament, round],
                |_| Ok(()),
            )
            .optional()?
            .is_some())
    }
}

impl Write<'_> {
    /// Ends a round: its winner (`None`: a tie) and every rating system's
    /// rows after it. A rerun skips a round with a winner row, so the two
    /// must be stored together.
    pub fn finish_round(
        &self,
        tournament: i64,
        round: u32,
        winner: Option<i64>,
        ratings: &[SystemRatings],
    ) -> Result<()> {
        self.tx.execute(
            "INSERT OR REPLACE INTO rounds (tournament_id, round, winner_id) VALUES (?1, ?2, ?3)",
            params![tournament, round, winner],
        )?;
        crate::fault::point("finish-round.winner");
        for r in ratings {
            self.put_ratings(tournament, round, r)?;
        }
        Ok(())
    }
}
