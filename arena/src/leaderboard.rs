//! `arena ratings`: the leaderboard of a rating pool (one game and rules
//! version), recomputed from every stored result of every tournament in
//! it, so it always equals what the stored results say.
//!
//! Players are named by their tournament player name: the same name in two
//! tournaments of a pool is one rated player.

use std::collections::BTreeMap;

use anyhow::Result;
use rusqlite::{Connection, params};
use serde::Serialize;

use crate::ratings::MatchResult;
use crate::ratings::bradley_terry::{self, PairResults};
use crate::ratings::elo::EloPool;
use crate::ratings::weng_lin::WengLinPool;

/// A pool's leaderboard.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct Leaderboard {
    pub game: String,
    pub rules_version: String,
    pub matches: u64,
    pub players: Vec<Rated>,
}

/// One player of a pool.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct Rated {
    pub name: String,
    pub matches: u64,
    /// Sequential Elo over every simulation, in the order they were played.
    pub elo: f64,
    /// Weng-Lin (free-for-all): mean and standard deviation.
    pub weng_lin: f64,
    pub weng_lin_sigma: f64,
    /// Bradley-Terry over all pairwise results, as CodeClash reports it,
    /// with its 95% interval (Hessian).
    pub bradley_terry: Option<f64>,
    pub bradley_terry_interval: Option<[f64; 2]>,
}

/// Every pool in the database: (game, rules version).
pub fn pools(conn: &Connection, game: Option<&str>) -> Result<Vec<(String, String)>> {
    let mut stmt = conn.prepare(
        "SELECT DISTINCT game, rules_version FROM tournaments WHERE ?1 IS NULL OR game = ?1 ORDER BY 1, 2",
    )?;
    let pools = stmt
        .query_map(params![game], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    Ok(pools)
}

/// The leaderboard of one pool.
pub fn leaderboard(conn: &Connection, game: &str, rules_version: &str) -> Result<Leaderboard> {
    let mut stmt = conn.prepare(
        "SELECT m.id, p.name, mp.placement FROM matches m \
         JOIN tournaments t ON t.id = m.tournament_id \
         JOIN match_players mp ON mp.match_id = m.id JOIN players p ON p.id = mp.player_id \
         WHERE t.game = ?1 AND t.rules_version = ?2 \
         ORDER BY t.id, m.round, m.sim, mp.seat",
    )?;
    let rows: Vec<(i64, String, u32)> = stmt
        .query_map(params![game, rules_version], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })?
        .collect::<Result<_, _>>()?;
    let mut elo = EloPool::new(32.0, 1000.0);
    let mut wl = WengLinPool::new(Default::default());
    let mut played: BTreeMap<String, u64> = BTreeMap::new();
    let mut results = Vec::new();
    for group in rows.chunk_by(|a, b| a.0 == b.0) {
        let result = MatchResult {
            placements: group.iter().map(|(_, n, p)| (n.clone(), *p)).collect(),
        };
        elo.apply(&result)
            .map_err(|e| anyhow::anyhow!("match {}: {e}", group[0].0))?;
        wl.apply(&result)
            .map_err(|e| anyhow::anyhow!("match {}: {e}", group[0].0))?;
        for (_, name, _) in group {
            *played.entry(name.clone()).or_default() += 1;
        }
        results.push(result);
    }
    let matches = results.len() as u64;
    let pair_list: Vec<PairResults> = bradley_terry::pairs_from_matches(&results);
    let bt = bradley_terry::fit(&pair_list, &bradley_terry::Config::default()).ok();
    let mut players: Vec<Rated> = played
        .iter()
        .map(|(name, &n)| {
            let fitted = bt
                .as_ref()
                .and_then(|f| f.players.iter().find(|p| &p.name == name));
            let w = wl.get(name);
            Rated {
                name: name.clone(),
                matches: n,
                elo: elo.get(name).map_or(1000.0, |e| e.rating),
                weng_lin: w.map_or(25.0, |w| w.rating),
                weng_lin_sigma: w.map_or(25.0 / 3.0, |w| w.uncertainty),
                bradley_terry: fitted.map(|p| p.elo),
                bradley_terry_interval: fitted.and_then(|p| p.hessian_interval),
            }
        })
        .collect();
    players.sort_by(|a, b| {
        b.bradley_terry
            .unwrap_or(f64::MIN)
            .total_cmp(&a.bradley_terry.unwrap_or(f64::MIN))
            .then(b.elo.total_cmp(&a.elo))
    });
    Ok(Leaderboard {
        game: game.to_string(),
        rules_version: rules_version.to_string(),
        matches,
        players,
    })
}

impl std::fmt::Display for Leaderboard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "{} ({}): {} matches",
            self.game, self.rules_version, self.matches
        )?;
        let w = self
            .players
            .iter()
            .map(|p| p.name.len())
            .max()
            .unwrap_or(6)
            .max(6);
        writeln!(
            f,
            "{:<w$} {:>8} {:>24} {:>8} {:>16}",
            "player", "matches", "Bradley-Terry [95%]", "Elo", "Weng-Lin (sigma)"
        )?;
        for p in &self.players {
            let bt = bradley_terry::format_elo(p.bradley_terry, p.bradley_terry_interval);
            writeln!(
                f,
                "{:<w$} {:>8} {:>24} {:>8.0} {:>16}",
                p.name,
                p.matches,
                bt,
                p.elo,
                format!("{:.1} ({:.1})", p.weng_lin, p.weng_lin_sigma)
            )?;
        }
        Ok(())
    }
}
