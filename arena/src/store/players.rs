//! `players` and `agent_tokens`: who plays a tournament, in seat order, and
//! the hashes of remote agents' tokens.

use arena_agents::builtin::AgentKind;
use rusqlite::{OptionalExtension, params};

use super::{Result, Store, Write};

impl Store {
    /// Registers the players in seat order (again on a rerun: same ids).
    pub fn players(
        &mut self,
        tournament: i64,
        players: &[(String, AgentKind)],
    ) -> Result<Vec<i64>> {
        self.write(|w| w.players(tournament, players))
    }

    /// Issues a player's token: its hash replaces the player's previous one.
    pub fn set_agent_token(
        &mut self,
        tournament: i64,
        player: i64,
        token_hash: &str,
    ) -> Result<()> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        tx.execute(
            "DELETE FROM agent_tokens WHERE player_id = ?1",
            params![player],
        )?;
        tx.execute(
            "INSERT INTO agent_tokens (token_hash, tournament_id, player_id) VALUES (?1, ?2, ?3)",
            params![token_hash, tournament, player],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// The (tournament, player id) a token's hash was issued to.
    pub fn agent_by_token(&self, token_hash: &str) -> Result<Option<(i64, i64)>> {
        Ok(self
            .conn()
            .query_row(
                "SELECT tournament_id, player_id FROM agent_tokens WHERE token_hash = ?1",
                params![token_hash],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?)
    }

    /// A player's id by name.
    pub fn player_id(&self, tournament: i64, name: &str) -> Result<Option<i64>> {
        Ok(self
            .conn()
            .query_row(
                "SELECT id FROM players WHERE tournament_id = ?1 AND name = ?2",
                params![tournament, name],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// A tournament's players in seat order: (id, name).
    pub fn player_ids(&self, tournament: i64) -> Result<Vec<(i64, String)>> {
        let conn = self.conn();
        let mut stmt =
            conn.prepare("SELECT id, name FROM players WHERE tournament_id = ?1 ORDER BY seat")?;
        let rows = stmt
            .query_map([tournament], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }
}

impl Write<'_> {
    /// Registers the players in seat order (again on a rerun: same ids).
    pub fn players(&self, tournament: i64, players: &[(String, AgentKind)]) -> Result<Vec<i64>> {
        let mut ids = Vec::with_capacity(players.len());
        for (seat, (name, agent)) in players.iter().enumerate() {
            self.tx.execute(
                "INSERT OR IGNORE INTO players (tournament_id, seat, name, agent) VALUES (?1, ?2, ?3, ?4)",
                params![tournament, seat as i64, name, agent.as_str()],
            )?;
            let id: i64 = self.tx.query_row(
                "SELECT id FROM players WHERE tournament_id = ?1 AND name = ?2",
                params![tournament, name],
                |r| r.get(0),
            )?;
            ids.push(id);
        }
        Ok(ids)
    }
}
