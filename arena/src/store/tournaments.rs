//! Queries on `tournaments` beyond the core ones in `mod.rs`.

use arena_agents::protocol::TournamentState;
use rusqlite::{OptionalExtension, params};

use super::{Store, StoreResult, parse_state_typed};

/// A tournament as the viewer's overview lists it.
#[derive(Clone, Debug, PartialEq)]
pub struct TournamentRow {
    pub id: i64,
    pub name: String,
    pub game: String,
    pub rules_version: String,
    pub state: TournamentState,
    /// The config as created (TOML).
    pub config: String,
    /// Rounds finished (round 0 counted).
    pub rounds_finished: i64,
    /// Player names in seat order.
    pub players: Vec<String>,
}

/// A tournament found by name: what a per-tournament page needs first.
#[derive(Clone, Debug, PartialEq)]
pub struct TournamentRef {
    pub id: i64,
    pub game: String,
    pub state: TournamentState,
    pub config: String,
}

impl Store {
    /// Every tournament, newest first, with its players.
    pub fn tournament_rows(&self) -> StoreResult<Vec<TournamentRow>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT t.id, t.name, t.game, t.rules_version, t.state, t.config, \
               (SELECT COUNT(*) FROM rounds r WHERE r.tournament_id = t.id) \
             FROM tournaments t ORDER BY t.id DESC",
        )?;
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, String>(5)?,
                    r.get::<_, i64>(6)?,
                ))
            })?
            .collect::<Result<Vec<_>, _>>()?;
        let mut names =
            conn.prepare("SELECT name FROM players WHERE tournament_id = ?1 ORDER BY seat")?;
        let mut out = Vec::with_capacity(rows.len());
        for (id, name, game, rules_version, state, config, rounds_finished) in rows {
            let players = names
                .query_map([id], |r| r.get::<_, String>(0))?
                .collect::<Result<Vec<_>, _>>()?;
            out.push(TournamentRow {
                id,
                name,
                game,
                rules_version,
                state: parse_state_typed(&state)?,
                config,
                rounds_finished,
                players,
            });
        }
        Ok(out)
    }

    /// The tournament of this name, if stored.
    pub fn tournament_named(&self, name: &str) -> StoreResult<Option<TournamentRef>> {
        let row = self
            .conn()
            .query_row(
                "SELECT id, game, state, config FROM tournaments WHERE name = ?1",
                [name],
                |r| {
                    Ok((
                        r.get::<_, i64>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, String>(3)?,
                    ))
                },
            )
            .optional()?;
        row.map(|(id, game, state, config)| {
            Ok(TournamentRef {
                id,
                game,
                state: parse_state_typed(&state)?,
                config,
            })
        })
        .transpose()
    }

    /// A tournament's config text by id, if it is stored.
    pub fn config_of(&self, tournament: i64) -> StoreResult<Option<String>> {
        Ok(self
            .conn()
            .query_row(
                "SELECT config FROM tournaments WHERE id = ?1",
                params![tournament],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// Every rating pool (game, rules version), of one game if given.
    pub fn pools(&self, game: Option<&str>) -> StoreResult<Vec<(String, String)>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT DISTINCT game, rules_version FROM tournaments WHERE ?1 IS NULL OR game = ?1 ORDER BY 1, 2",
        )?;
        let pools = stmt
            .query_map(params![game], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<_, _>>()?;
        Ok(pools)
    }

    /// A pool's tournaments with their players in seat order:
    /// (tournament id, player id, player name), by tournament.
    pub fn pool_players(
        &self,
        game: &str,
        rules_version: &str,
    ) -> StoreResult<Vec<(i64, i64, String)>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT t.id, p.id, p.name FROM tournaments t JOIN players p ON p.tournament_id = t.id \
             WHERE t.game = ?1 AND t.rules_version = ?2 ORDER BY t.id, p.seat",
        )?;
        let rows = stmt
            .query_map(params![game, rules_version], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })?
            .collect::<Result<_, _>>()?;
        Ok(rows)
    }
}
