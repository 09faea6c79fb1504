//! Queries on `matches` and `match_players` beyond the core ones.

use rusqlite::params;

use super::{Store, StoreResult};

/// One player's placement in one stored match.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Placement {
    pub match_id: i64,
    pub round: u32,
    pub player_id: i64,
    pub placement: u32,
}

/// A stored match, without its players.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MatchRow {
    pub id: i64,
    pub round: u32,
    pub sim: u32,
    pub turns: i64,
    /// A replay is stored.
    pub replay: bool,
}

/// A seat of a stored match, by player name.
#[derive(Clone, Debug, PartialEq)]
pub struct SeatRow {
    pub match_id: i64,
    pub player: String,
    pub placement: u32,
    pub reason: String,
}

/// A pool's placement: (match id, player name, placement).
pub type PoolPlacement = (i64, String, u32);

impl Store {
    /// Every placement of a tournament, by match id.
    pub fn placements(&self, tournament: i64) -> StoreResult<Vec<Placement>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT m.id, m.round, mp.player_id, mp.placement FROM match_players mp \
             JOIN matches m ON m.id = mp.match_id WHERE m.tournament_id = ?1 ORDER BY m.id, mp.seat",
        )?;
        let rows = stmt
            .query_map([tournament], |r| {
                Ok(Placement {
                    match_id: r.get(0)?,
                    round: r.get(1)?,
                    player_id: r.get(2)?,
                    placement: r.get(3)?,
                })
            })?
            .collect::<Result<_, _>>()?;
        Ok(rows)
    }

    /// A tournament's stored matches in round and simulation order.
    pub fn match_rows(&self, tournament: i64) -> StoreResult<Vec<MatchRow>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT m.id, m.round, m.sim, m.turns, EXISTS (SELECT 1 FROM replays r WHERE r.match_id = m.id) \
             FROM matches m WHERE m.tournament_id = ?1 ORDER BY m.round, m.sim",
        )?;
        let rows = stmt
            .query_map([tournament], |r| {
                Ok(MatchRow {
                    id: r.get(0)?,
                    round: r.get(1)?,
                    sim: r.get(2)?,
                    turns: r.get(3)?,
                    replay: r.get(4)?,
                })
            })?
            .collect::<Result<_, _>>()?;
        Ok(rows)
    }

    /// Every seat of a tournament's matches, by match and seat.
    pub fn seat_rows(&self, tournament: i64) -> StoreResult<Vec<SeatRow>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT mp.match_id, p.name, mp.placement, mp.reason FROM match_players mp \
             JOIN players p ON p.id = mp.player_id JOIN matches m ON m.id = mp.match_id \
             WHERE m.tournament_id = ?1 ORDER BY mp.match_id, mp.seat",
        )?;
        let rows = stmt
            .query_map(params![tournament], |r| {
                Ok(SeatRow {
                    match_id: r.get(0)?,
                    player: r.get(1)?,
                    placement: r.get(2)?,
                    reason: r.get(3)?,
                })
            })?
            .collect::<Result<_, _>>()?;
        Ok(rows)
    }

    /// Every placement in a rating pool, in tournament, round, simulation
    /// and seat order.
    pub fn pool_placements(
        &self,
        game: &str,
        rules_version: &str,
    ) -> StoreResult<Vec<PoolPlacement>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT m.id, p.name, mp.placement FROM matches m \
             JOIN tournaments t ON t.id = m.tournament_id \
             JOIN match_players mp ON mp.match_id = m.id JOIN players p ON p.id = mp.player_id \
             WHERE t.game = ?1 AND t.rules_version = ?2 \
             ORDER BY t.id, m.round, m.sim, mp.seat",
        )?;
        let rows = stmt
            .query_map(params![game, rules_version], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })?
            .collect::<Result<_, _>>()?;
        Ok(rows)
    }
}
