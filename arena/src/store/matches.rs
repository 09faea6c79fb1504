//! `matches` and `match_players`: each finished simulation, and each
//! player's placement, score, reason and bot stop in it.

use std::collections::{BTreeMap, BTreeSet};

use arena_agents::runner::StopKind;
use arena_agents::wire::{GameEntry, GameSeat, MatchDetail, MatchSeat, Seed};
use rusqlite::{OptionalExtension, params};

use super::{Result, Store, StoreResult, parse_stop};

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

/// A pool's placement: (tournament id, match id, player name, placement).
pub type PoolPlacement = (i64, i64, String, u32);

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
        read_match_rows(&self.conn(), tournament, None)
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
            "SELECT t.id, m.id, p.name, mp.placement FROM matches m \
             JOIN tournaments t ON t.id = m.tournament_id \
             JOIN match_players mp ON mp.match_id = m.id JOIN players p ON p.id = mp.player_id \
             WHERE t.game = ?1 AND t.rules_version = ?2 \
             ORDER BY t.id, m.round, m.sim, mp.seat",
        )?;
        let rows = stmt
            .query_map(params![game, rules_version], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })?
            .collect::<Result<_, _>>()?;
        Ok(rows)
    }
}

/// One player's part in a finished match.
#[derive(Clone, Debug, PartialEq)]
pub struct MatchPlayer {
    pub player_id: i64,
    pub seat: u32,
    pub placement: u32,
    pub score: f64,
    pub reason: String,
    pub stop: Option<StopKind>,
    /// The last lines of its bot's stderr when it stopped badly.
    pub stderr_tail: Option<String>,
}

/// How a player's bots stopped over a round's simulations.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BotStops {
    /// Each stop reason's count.
    pub stops: BTreeMap<StopKind, u64>,
    /// The last lines of its bot's stderr in the last simulation where it
    /// stopped badly, and that simulation.
    pub last_stderr: Option<(u32, String)>,
}

/// A finished match, ready to store.
#[derive(Clone, Debug)]
pub struct FinishedMatch {
    pub round: u32,
    pub sim: u32,
    pub seed: u64,
    pub turns: u64,
    pub players: Vec<MatchPlayer>,
    /// The replay: header and frames.
    pub replay: Option<(arena_replays::ReplayHeader, Vec<serde_json::Value>)>,
}

impl Store {
    /// The simulations of a round already stored (a resumed run skips them).
    pub fn stored_sims(&self, tournament: i64, round: u32) -> Result<BTreeSet<u32>> {
        let conn = self.conn();
        let mut stmt =
            conn.prepare("SELECT sim FROM matches WHERE tournament_id = ?1 AND round = ?2")?;
        let sims = stmt
            .query_map(params![tournament, round], |r| r.get::<_, u32>(0))?
            .collect::<Result<_, _>>()?;
        Ok(sims)
    }

    /// Stores finished matches, each with its players and replay, each in
    /// its own transaction.
    pub fn put_match(&mut self, tournament: i64, m: &FinishedMatch) -> Result<i64> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        tx.execute(
            "INSERT INTO matches (tournament_id, round, sim, seed, turns) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![tournament, m.round, m.sim, m.seed as i64, m.turns as i64],
        )?;
        let id = tx.last_insert_rowid();
        for p in &m.players {
            tx.execute(
                "INSERT INTO match_players (match_id, player_id, seat, placement, score, reason, stop, stderr_tail) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![
                    id,
                    p.player_id,
                    p.seat,
                    p.placement,
                    p.score,
                    p.reason,
                    p.stop.map(StopKind::as_str),
                    p.stderr_tail
                ],
            )?;
        }
        if let Some((header, frames)) = &m.replay {
            arena_replays::write(&tx, id, header, frames, arena_replays::DEFAULT_CHUNK_FRAMES)?;
        }
        tx.commit()?;
        Ok(id)
    }

    /// Per player, by id: how its bots stopped in a round's simulations.
    pub fn round_bot_stops(&self, tournament: i64, round: u32) -> Result<BTreeMap<i64, BotStops>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT mp.player_id, m.sim, mp.stop, mp.stderr_tail \
             FROM match_players mp JOIN matches m ON m.id = mp.match_id \
             WHERE m.tournament_id = ?1 AND m.round = ?2 ORDER BY m.sim",
        )?;
        let rows = stmt.query_map(params![tournament, round], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, u32>(1)?,
                r.get::<_, Option<String>>(2)?,
                r.get::<_, Option<String>>(3)?,
            ))
        })?;
        let mut out: BTreeMap<i64, BotStops> = BTreeMap::new();
        for row in rows {
            let (player, sim, stop, tail) = row?;
            let e = out.entry(player).or_default();
            if let Some(stop) = stop {
                *e.stops.entry(parse_stop(&stop)?).or_default() += 1;
            }
            if let Some(tail) = tail.filter(|t| !t.trim().is_empty()) {
                e.last_stderr = Some((sim, tail));
            }
        }
        Ok(out)
    }

    /// Per player: simulations of the round it placed first in, alone or
    /// shared (`(first alone, first shared)`), by player id.
    pub fn round_tally(&self, tournament: i64, round: u32) -> Result<BTreeMap<i64, (u64, u64)>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT mp.player_id, mp.placement, \
                    (SELECT COUNT(*) FROM match_players o WHERE o.match_id = mp.match_id AND o.placement = 1) \
             FROM match_players mp JOIN matches m ON m.id = mp.match_id \
             WHERE m.tournament_id = ?1 AND m.round = ?2",
        )?;
        let mut tally: BTreeMap<i64, (u64, u64)> = BTreeMap::new();
        let rows = stmt.query_map(params![tournament, round], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, i64>(2)?,
            ))
        })?;
        for row in rows {
            let (player, placement, firsts) = row?;
            let e = tally.entry(player).or_default();
            if placement == 1 {
                if firsts == 1 {
                    e.0 += 1;
                } else {
                    e.1 += 1;
                }
            }
        }
        Ok(tally)
    }

    /// A tournament's stored games (of one round if given), in round and
    /// simulation order.
    pub fn stored_games(&self, tournament: i64, round: Option<u32>) -> Result<Vec<GameEntry>> {
        let conn = self.conn();
        let matches = read_match_rows(&conn, tournament, round)?;
        let mut seats = conn.prepare(
            "SELECT p.name, mp.seat, mp.placement FROM match_players mp \
             JOIN players p ON p.id = mp.player_id WHERE mp.match_id = ?1 ORDER BY mp.seat",
        )?;
        let mut games = Vec::with_capacity(matches.len());
        for MatchRow {
            id: match_id,
            round,
            sim,
            turns,
            replay,
        } in matches
        {
            let players = seats
                .query_map(params![match_id], |r| {
                    Ok(GameSeat {
                        player: r.get(0)?,
                        seat: r.get(1)?,
                        placement: Some(r.get(2)?),
                    })
                })?
                .collect::<Result<Vec<_>, _>>()?;
            games.push(GameEntry::Stored {
                match_id,
                round,
                sim,
                turns: turns as u64,
                replay,
                players,
            });
        }
        Ok(games)
    }

    /// A stored match with its seats.
    pub fn match_detail(&self, id: i64) -> Result<Option<MatchDetail>> {
        let conn = self.conn();
        let row = conn
            .query_row(
                "SELECT t.name, t.game, m.round, m.sim, m.seed, m.turns, \
                   EXISTS (SELECT 1 FROM replays r WHERE r.match_id = m.id) \
                 FROM matches m JOIN tournaments t ON t.id = m.tournament_id WHERE m.id = ?1",
                [id],
                |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, u32>(2)?,
                        r.get::<_, u32>(3)?,
                        r.get::<_, i64>(4)?,
                        r.get::<_, i64>(5)?,
                        r.get::<_, bool>(6)?,
                    ))
                },
            )
            .optional()?;
        let Some((tournament, game, round, sim, seed, turns, replay)) = row else {
            return Ok(None);
        };
        let mut stmt = conn.prepare(
            "SELECT p.name, mp.seat, mp.placement, mp.score, mp.reason, mp.stop \
             FROM match_players mp JOIN players p ON p.id = mp.player_id \
             WHERE mp.match_id = ?1 ORDER BY mp.seat",
        )?;
        let rows = stmt
            .query_map(params![id], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, u32>(1)?,
                    r.get::<_, u32>(2)?,
                    r.get::<_, f64>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, Option<String>>(5)?,
                ))
            })?
            .collect::<Result<Vec<_>, _>>()?;
        let mut players = Vec::with_capacity(rows.len());
        for (player, seat, placement, score, reason, stop) in rows {
            let stop = stop.map(|s| parse_stop(&s)).transpose()?;
            players.push(MatchSeat {
                player,
                seat,
                placement,
                score,
                reason,
                stop,
            });
        }
        Ok(Some(MatchDetail {
            id,
            tournament,
            game,
            round,
            sim,
            // Stored as SQLite's signed 64-bit integer: the same bits.
            seed: Seed(seed as u64),
            turns: turns as u64,
            replay,
            players,
        }))
    }

    /// The tournament a match belongs to, and that tournament's config.
    pub fn match_tournament(&self, match_id: i64) -> Result<Option<(i64, String)>> {
        Ok(self
            .conn()
            .query_row(
                "SELECT t.id, t.config FROM matches m JOIN tournaments t ON t.id = m.tournament_id WHERE m.id = ?1",
                [match_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?)
    }
}

/// A tournament's stored matches (of one round if given), in round and
/// simulation order.
fn read_match_rows(
    conn: &rusqlite::Connection,
    tournament: i64,
    round: Option<u32>,
) -> Result<Vec<MatchRow>> {
    let mut stmt = conn.prepare(
        "SELECT m.id, m.round, m.sim, m.turns, \
           EXISTS (SELECT 1 FROM replays r WHERE r.match_id = m.id) \
         FROM matches m WHERE m.tournament_id = ?1 AND (?2 IS NULL OR m.round = ?2) \
         ORDER BY m.round, m.sim",
    )?;
    let rows = stmt
        .query_map(params![tournament, round], |r| {
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
