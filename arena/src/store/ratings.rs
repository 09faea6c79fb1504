//! `ratings`: every rating system's rows after each round.

use rusqlite::{OptionalExtension, params};

use super::{Result, Store, StoreResult, Write};

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

/// A rating system's rows after a round: (player id, rating, deviation).
#[derive(Clone, Debug, PartialEq)]
pub struct SystemRatings {
    /// `elo`, `codeforces`, `codeelo`, `bradley-terry`.
    pub system: &'static str,
    pub rows: Vec<(i64, f64, Option<f64>)>,
}

impl Write<'_> {
    /// Stores one system's ratings after a round, by player id.
    pub fn put_ratings(&self, tournament: i64, round: u32, ratings: &SystemRatings) -> Result<()> {
        for (player, rating, deviation) in &ratings.rows {
            self.tx.execute(
                "INSERT OR REPLACE INTO ratings (tournament_id, round, player_id, system, rating, deviation) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![tournament, round, player, ratings.system, rating, deviation],
            )?;
        }
        Ok(())
    }
}
