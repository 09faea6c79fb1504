//! Weng-Lin (a Bayesian approximation in the family of TrueSkill and
//! OpenSkill) through `skillratings`, for free-for-all games: a match is one
//! ranking of all its players, each a team of one, ties sharing a place.
//! Unlike Elo it carries each player's uncertainty, which shrinks as the
//! player plays.

use std::collections::BTreeMap;

use skillratings::MultiTeamOutcome;
use skillratings::weng_lin::{WengLinConfig, WengLinRating, weng_lin_multi_team};

use super::{MatchError, MatchResult};

/// A player's Weng-Lin rating.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
pub struct PlayerWengLin {
    /// The mean skill μ (25 for a newcomer).
    pub rating: f64,
    /// Its standard deviation σ (25/3 for a newcomer).
    pub uncertainty: f64,
    /// Matches played.
    pub matches: u64,
}

impl PlayerWengLin {
    /// The conservative estimate `μ - 3σ` leaderboards usually sort by.
    pub fn conservative(&self) -> f64 {
        self.rating - 3.0 * self.uncertainty
    }
}

/// Weng-Lin ratings of a pool, after the matches applied so far.
#[derive(Clone, Debug)]
pub struct WengLinPool {
    /// β and the uncertainty floor (skillratings' defaults: 25/6, 1e-6).
    config: WengLinConfig,
    /// Every rated player.
    players: BTreeMap<String, PlayerWengLin>,
}

impl PartialEq for WengLinPool {
    fn eq(&self, other: &Self) -> bool {
        self.players == other.players
            && self.config.beta == other.config.beta
            && self.config.uncertainty_tolerance == other.config.uncertainty_tolerance
    }
}

impl Default for WengLinPool {
    fn default() -> Self {
        Self::new(WengLinConfig::new())
    }
}

impl WengLinPool {
    /// An empty pool.
    pub fn new(config: WengLinConfig) -> Self {
        Self {
            config,
            players: BTreeMap::new(),
        }
    }

    /// The pool after `results`, in order, from scratch.
    pub fn recompute(config: WengLinConfig, results: &[MatchResult]) -> Result<Self, MatchError> {
        let mut pool = Self::new(config);
        for (index, r) in results.iter().enumerate() {
            pool.apply(r).map_err(|e| e.at(index))?;
        }
        Ok(pool)
    }

    /// Updates the pool with one more match.
    pub fn apply(&mut self, result: &MatchResult) -> Result<(), MatchError> {
        result.check()?;
        let before: Vec<[WengLinRating; 1]> = result
            .placements
            .iter()
            .map(|(p, _)| {
                [self
                    .get(p)
                    .map_or_else(WengLinRating::new, |w| WengLinRating {
                        rating: w.rating,
                        uncertainty: w.uncertainty,
                    })]
            })
            .collect();
        let teams: Vec<(&[WengLinRating], MultiTeamOutcome)> = before
            .iter()
            .zip(&result.placements)
            .map(|(t, (_, place))| (&t[..], MultiTeamOutcome::new(*place as usize)))
            .collect();
        let after = weng_lin_multi_team(&teams, &self.config);
        for ((name, _), team) in result.placements.iter().zip(after) {
            let Some(new) = team.first() else { continue };
            let entry = self.players.entry(name.clone()).or_insert(PlayerWengLin {
                rating: new.rating,
                uncertainty: new.uncertainty,
                matches: 0,
            });
            entry.rating = new.rating;
            entry.uncertainty = new.uncertainty;
            entry.matches += 1;
        }
        Ok(())
    }

    /// A player's rating, if it has played.
    pub fn get(&self, player: &str) -> Option<PlayerWengLin> {
        self.players.get(player).copied()
    }

    /// Every rated player, by name.
    pub fn players(&self) -> &BTreeMap<String, PlayerWengLin> {
        &self.players
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ratings::tests::{matches, sample_matches};

    #[test]
    fn recomputing_equals_applying_incrementally() {
        let results = sample_matches();
        let mut pool = WengLinPool::default();
        for r in &results {
            pool.apply(r).unwrap_or_else(|e| panic!("{e}"));
        }
        let again = WengLinPool::recompute(WengLinConfig::new(), &results)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(pool, again);
    }

    #[test]
    fn winners_rise_and_uncertainty_shrinks() {
        let r = matches(&[&[("a", 1), ("b", 2), ("c", 3), ("d", 3)]]);
        let pool =
            WengLinPool::recompute(WengLinConfig::new(), &r).unwrap_or_else(|e| panic!("{e}"));
        let get = |p: &str| pool.get(p).unwrap_or_else(|| panic!("{p}"));
        assert!(get("a").rating > 25.0 && get("c").rating < 25.0);
        assert!((get("c").rating - get("d").rating).abs() < 1e-12);
        assert!(get("a").uncertainty < 25.0 / 3.0);
        assert!(get("a").conservative() > get("b").conservative());
    }
}
