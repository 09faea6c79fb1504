//! Queries on `ratings` beyond the writes in `mod.rs`.

use rusqlite::{OptionalExtension, params};

use super::{Store, StoreResult};

/// One stored rating.
#[derive(Clone, Debug, PartialEq)]
pub struct RatingRow {
    pub round: u32,
    pub player_id: i64,
    pub system: String,
    pub rating: f64,
}

impl Store {
    /// Every rating of a tournament, by round.
    pub fn rating_rows(&self, tournament: i64) -> StoreResult<Vec<RatingRow>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT round, player_id, system, rating FROM ratings WHERE tournament_id = ?1 ORDER BY round",
        )?;
        let rows = stmt
            .query_map([tournament], |r| {
                Ok(RatingRow {
                    round: r.get(0)?,
                    player_id: r.get(1)?,
                    system: r.get(2)?,
                    rating: r.get(3)?,
                })
            })?
            .collect::<Result<_, _>>()?;
        Ok(rows)
    }

    /// A player's rating in one system after each round, in round order.
    pub fn rating_history(
        &self,
        tournament: i64,
        player: i64,
        system: &str,
    ) -> StoreResult<Vec<f64>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT rating FROM ratings WHERE tournament_id = ?1 AND player_id = ?2 AND system = ?3 ORDER BY round",
        )?;
        let rows = stmt
            .query_map(params![tournament, player, system], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        Ok(rows)
    }

    /// A player's latest rating in one system: (rating, deviation).
    pub fn latest_rating(
        &self,
        tournament: i64,
        player: i64,
        system: &str,
    ) -> StoreResult<Option<(f64, Option<f64>)>> {
        Ok(self
            .conn()
            .query_row(
                "SELECT rating, deviation FROM ratings WHERE tournament_id = ?1 AND player_id = ?2 AND system = ?3 ORDER BY round DESC LIMIT 1",
                params![tournament, player, system],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?)
    }
}
