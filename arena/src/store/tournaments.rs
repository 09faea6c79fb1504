//! `tournaments`: each one's name, game, seed, config as created and state.

use arena_agents::builtin::AgentKind;
use arena_agents::protocol::TournamentState;
use arena_agents::wire::{
    PlayerEntry, RoundEntry, Seed, Standings, TournamentDetail, TournamentSummary,
};
use rusqlite::{OptionalExtension, params};

use super::{Result, Store, StoreError, StoreResult, SystemRatings, Write, parse_state_typed};

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

impl Store {
    /// The tournament of this name, created on first use (see
    /// [`Write::tournament`]).
    pub fn tournament(
        &mut self,
        name: &str,
        game: &str,
        rules_version: &str,
        seed: u64,
        config: &str,
        state: TournamentState,
    ) -> Result<i64> {
        self.write(|w| w.tournament(name, game, rules_version, seed, config, state))
    }

    /// A tournament's config text, as it was created.
    pub fn tournament_config(&self, tournament: i64) -> Result<String> {
        self.conn()
            .query_row(
                "SELECT config FROM tournaments WHERE id = ?1",
                params![tournament],
                |r| r.get(0),
            )
            .optional()?
            .ok_or_else(|| StoreError::Missing(format!("tournament {tournament}")))
    }

    /// A tournament's state (`created`, `running`, `paused`, `cancelled`,
    /// `finished`), or `None` when there is no such tournament.
    pub fn tournament_state(&self, tournament: i64) -> Result<Option<TournamentState>> {
        let state: Option<String> = self
            .conn()
            .query_row(
                "SELECT state FROM tournaments WHERE id = ?1",
                params![tournament],
                |r| r.get(0),
            )
            .optional()?;
        state.map(|s| parse_state_typed(&s)).transpose()
    }

    /// Sets a tournament's state.
    pub fn set_tournament_state(&mut self, tournament: i64, state: TournamentState) -> Result<()> {
        self.conn().execute(
            "UPDATE tournaments SET state = ?2 WHERE id = ?1",
            params![tournament, state.as_str()],
        )?;
        Ok(())
    }

    /// `arena serve`'s tournaments in a state, with their configs: what it
    /// loads (and resumes) on start.
    pub fn served_tournaments(
        &self,
        states: &[TournamentState],
    ) -> Result<Vec<(i64, TournamentState, String)>> {
        let conn = self.conn();
        let mut stmt =
            conn.prepare("SELECT id, state, config FROM tournaments WHERE served = 1 ORDER BY id")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        let mut out = Vec::new();
        for row in rows {
            let (id, state, config): (i64, String, String) = row?;
            let state = parse_state_typed(&state)?;
            if states.contains(&state) {
                out.push((id, state, config));
            }
        }
        Ok(out)
    }

    /// Every tournament, by id: [`Store::tournament_rows`] as the API
    /// lists them.
    pub fn tournament_summaries(&self) -> Result<Vec<TournamentSummary>> {
        let rows = self.tournament_rows()?;
        Ok(rows
            .into_iter()
            .rev()
            .map(|t| TournamentSummary {
                id: t.id,
                name: t.name,
                game: t.game,
                rules_version: t.rules_version,
                state: t.state,
                players: t.players.len() as u32,
                rounds_finished: t.rounds_finished as u32,
            })
            .collect())
    }

    /// A tournament by name: (id, detail without standings, the config).
    pub fn tournament_by_name(&self, name: &str) -> Result<Option<TournamentDetail>> {
        let conn = self.conn();
        let row = conn
            .query_row(
                "SELECT id, name, game, rules_version, seed, config, state FROM tournaments WHERE name = ?1",
                [name],
                |r| {
                    Ok((
                        r.get::<_, i64>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, String>(3)?,
                        r.get::<_, i64>(4)?,
                        r.get::<_, String>(5)?,
                        r.get::<_, String>(6)?,
                    ))
                },
            )
            .optional()?;
        let Some((id, name, game, rules_version, seed, config_toml, state)) = row else {
            return Ok(None);
        };
        let mut stmt = conn.prepare(
            "SELECT seat, name, agent FROM players WHERE tournament_id = ?1 ORDER BY seat",
        )?;
        let rows = stmt
            .query_map([id], |r| {
                Ok((
                    r.get::<_, u32>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                ))
            })?
            .collect::<Result<Vec<_>, _>>()?;
        let mut players = Vec::with_capacity(rows.len());
        for (seat, name, agent) in rows {
            let agent = AgentKind::from_name(&agent).ok_or_else(|| StoreError::Corrupt {
                what: format!("player {name}'s agent kind"),
                detail: format!(
                    "{agent:?} is not one of static, mutate, command, versions, remote"
                ),
            })?;
            players.push(PlayerEntry { seat, name, agent });
        }
        let mut stmt = conn.prepare(
            "SELECT r.round, p.name, (SELECT COUNT(*) FROM matches m WHERE m.tournament_id = r.tournament_id AND m.round = r.round) \
             FROM rounds r LEFT JOIN players p ON p.id = r.winner_id WHERE r.tournament_id = ?1 ORDER BY r.round",
        )?;
        let rounds = stmt
            .query_map([id], |r| {
                Ok(RoundEntry {
                    round: r.get(0)?,
                    winner: r.get(1)?,
                    matches: r.get::<_, i64>(2)? as u64,
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Some(TournamentDetail {
            id,
            name: name.clone(),
            game,
            rules_version,
            seed: Seed(seed as u64),
            state: parse_state_typed(&state)?,
            config_toml,
            players,
            rounds,
            standings: Standings {
                tournament: name,
                rounds: 0,
                sims: 0,
                players: Vec::new(),
                round_confidence: Vec::new(),
            },
        }))
    }
}

impl Write<'_> {
    /// The tournament of this name, created on first use. A rerun must give
    /// the same config, or it would mix two tournaments' results. `served`:
    /// `arena serve` made it (and so resumes it on start).
    pub fn tournament(
        &self,
        name: &str,
        game: &str,
        rules_version: &str,
        seed: u64,
        config: &str,
        state: TournamentState,
    ) -> Result<i64> {
        let found: Option<(i64, String)> = self
            .tx
            .query_row(
                "SELECT id, config FROM tournaments WHERE name = ?1",
                params![name],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        match found {
            Some((id, stored)) if stored == config => Ok(id),
            Some(_) => Err(StoreError::DifferentConfig {
                name: name.to_owned(),
                path: self.path.to_path_buf(),
            }),
            None => {
                self.tx.execute(
                    "INSERT INTO tournaments (name, game, rules_version, seed, config, state) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                    params![name, game, rules_version, seed as i64, config, state.as_str()],
                )?;
                Ok(self.tx.last_insert_rowid())
            }
        }
    }

    /// Marks a tournament as `arena serve`'s.
    pub fn mark_served(&self, tournament: i64) -> Result<()> {
        self.tx.execute(
            "UPDATE tournaments SET served = 1 WHERE id = ?1",
            params![tournament],
        )?;
        Ok(())
    }

    /// Marks a tournament finished, with the ratings over the whole of it
    /// (Bradley-Terry, stored at its last round).
    pub fn finish_tournament(
        &self,
        tournament: i64,
        last_round: u32,
        ratings: &[SystemRatings],
    ) -> Result<()> {
        for r in ratings {
            self.put_ratings(tournament, last_round, r)?;
        }
        crate::fault::point("finish-tournament.ratings");
        self.tx.execute(
            "UPDATE tournaments SET state = ?1 WHERE id = ?2",
            params![TournamentState::Finished.as_str(), tournament],
        )?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_different_config_under_the_same_name_is_refused() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut store = Store::open(dir.path()).expect("open");
        let a = store
            .tournament("t", "corewar", "1", 1, "one", TournamentState::Running)
            .expect("first");
        assert_eq!(
            store
                .tournament("t", "corewar", "1", 1, "one", TournamentState::Running)
                .expect("same"),
            a
        );
        let err = store
            .tournament("t", "corewar", "1", 1, "two", TournamentState::Running)
            .expect_err("different");
        assert!(err.to_string().contains("different tournament"), "{err}");
    }
}
