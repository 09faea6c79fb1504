//! Sequential Elo through `skillratings`: the arena's everyday rating,
//! updated after every match and recomputable from the stored results.
//!
//! A match of several players counts as every pair of them playing once:
//! the better placed wins, equal placements draw. All pairs use the ratings
//! from before the match (so the order players are listed in does not
//! matter), and each player's pairwise changes are averaged over its
//! `k - 1` opponents, so a match moves a rating by at most the K-factor
//! whatever the number of players, and a two-player match is plain Elo.

use std::collections::BTreeMap;

use skillratings::Outcomes;
use skillratings::elo::{EloConfig, EloRating, elo};

use super::{MatchError, MatchResult};

/// A player's Elo.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
pub struct PlayerElo {
    /// The rating.
    pub rating: f64,
    /// Matches played: Elo carries no uncertainty of its own, so this is
    /// how much to trust the rating.
    pub matches: u64,
}

/// Elo ratings of a pool, after the matches applied so far.
#[derive(Clone, Debug, PartialEq)]
pub struct EloPool {
    /// The K-factor (skillratings' default is 32).
    k: f64,
    /// A newcomer's rating.
    initial: f64,
    /// Every rated player's Elo.
    players: BTreeMap<String, PlayerElo>,
}

impl EloPool {
    /// An empty pool: K-factor `k`, newcomers rated `initial`.
    pub fn new(k: f64, initial: f64) -> Self {
        Self {
            k,
            initial,
            players: BTreeMap::new(),
        }
    }

    /// The pool after `results`, in order, from scratch.
    pub fn recompute(k: f64, initial: f64, results: &[MatchResult]) -> Result<Self, MatchError> {
        let mut pool = Self::new(k, initial);
        for (index, r) in results.iter().enumerate() {
            pool.apply(r).map_err(|e| e.at(index))?;
        }
        Ok(pool)
    }

    /// Updates the pool with one more match.
    pub fn apply(&mut self, result: &MatchResult) -> Result<(), MatchError> {
        result.check()?;
        let config = EloConfig { k: self.k };
        let before: Vec<EloRating> = result
            .placements
            .iter()
            .map(|(p, _)| EloRating {
                rating: self.get(p).map_or(self.initial, |e| e.rating),
            })
            .collect();
        let n = before.len();
        let mut change = vec![0.0; n];
        for i in 0..n {
            for j in i + 1..n {
                let outcome = match result.placements[i].1.cmp(&result.placements[j].1) {
                    std::cmp::Ordering::Less => Outcomes::WIN,
                    std::cmp::Ordering::Greater => Outcomes::LOSS,
                    std::cmp::Ordering::Equal => Outcomes::DRAW,
                };
                let (a, b) = elo(&before[i], &before[j], &outcome, &config);
                change[i] += a.rating - before[i].rating;
                change[j] += b.rating - before[j].rating;
            }
        }
        let opponents = n.saturating_sub(1).max(1) as f64;
        for (((name, _), old), delta) in result.placements.iter().zip(&before).zip(change) {
            let entry = self.players.entry(name.clone()).or_insert(PlayerElo {
                rating: old.rating,
                matches: 0,
            });
            entry.rating = old.rating + delta / opponents;
            entry.matches += 1;
        }
        Ok(())
    }

    /// A player's Elo, if it has played.
    pub fn get(&self, player: &str) -> Option<PlayerElo> {
        self.players.get(player).copied()
    }

    /// Every rated player, by name.
    pub fn players(&self) -> &BTreeMap<String, PlayerElo> {
        &self.players
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ratings::tests::{matches, sample_matches};

    #[test]
    fn two_players_is_plain_elo() {
        let mut pool = EloPool::new(32.0, 1000.0);
        let r = matches(&[&[("a", 1), ("b", 2)]]);
        pool.apply(&r[0]).unwrap_or_else(|e| panic!("{e}"));
        let (a, b) = elo(
            &EloRating::new(),
            &EloRating::new(),
            &Outcomes::WIN,
            &EloConfig::new(),
        );
        assert_eq!(pool.get("a").map(|p| p.rating), Some(a.rating));
        assert_eq!(pool.get("b").map(|p| p.rating), Some(b.rating));
        assert_eq!(pool.get("a").map(|p| p.matches), Some(1));
    }

    #[test]
    fn ties_draw_and_order_does_not_matter() {
        let one = matches(&[&[("a", 1), ("b", 1), ("c", 3)]]);
        let two = matches(&[&[("c", 3), ("b", 1), ("a", 1)]]);
        let p1 = EloPool::recompute(32.0, 1500.0, &one).unwrap_or_else(|e| panic!("{e}"));
        let p2 = EloPool::recompute(32.0, 1500.0, &two).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(p1, p2);
        let a = p1.get("a").map_or(0.0, |p| p.rating);
        // A draw and a win against equals, averaged: (0 + 16) / 2.
        assert!((a - 1508.0).abs() < 1e-9, "{a}");
    }

    #[test]
    fn recomputing_equals_applying_incrementally() {
        let results = sample_matches();
        let mut pool = EloPool::new(24.0, 1200.0);
        for r in &results {
            pool.apply(r).unwrap_or_else(|e| panic!("{e}"));
        }
        let again = EloPool::recompute(24.0, 1200.0, &results).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(pool, again);
        assert_eq!(pool.players().len(), 6);
    }

    #[test]
    fn a_player_twice_in_a_match_is_an_error() {
        let r = matches(&[&[("a", 1), ("b", 2)], &[("a", 1), ("a", 2)]]);
        assert_eq!(
            EloPool::recompute(32.0, 1000.0, &r),
            Err(MatchError::Duplicate {
                index: Some(1),
                player: "a".into()
            })
        );
    }
}
