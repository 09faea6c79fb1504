//! Rating algorithms: pure computation over stored results, so that any
//! rating can be recomputed from scratch and equal the incremental one.
//!
//! - [`codeforces`]: Codeforces' published algorithm, one contest (round
//!   standings) at a time; reproduces official rating changes exactly.
//! - [`codeelo`]: CodeElo's performance rating: the rating whose expected
//!   rank among the rated field equals the actual rank.
//! - [`bradley_terry`]: Bradley-Terry maximum likelihood over all pairwise
//!   results, as CodeClash reports it, with Hessian and bootstrap intervals.
//! - [`anchored`]: Bradley-Terry with reference players held at fixed
//!   ratings, so a pool's numbers mean the same across tournaments.
//! - [`codeclash`]: CodeClash's leaderboard method (one result per
//!   tournament, then Bradley-Terry), exactly.
//! - [`confidence`]: a round's significance, likelihood of superiority
//!   and the SPRT that can stop its simulations early.
//! - [`elo`] and [`weng_lin`]: sequential ratings through `skillratings`,
//!   fed [`MatchResult`]s.
//!
//! [`cli`] is the `arena rating` command over these.

pub mod anchored;
pub mod bradley_terry;
pub mod codeclash;
pub mod codeelo;
pub mod codeforces;
pub mod confidence;
pub mod elo;
mod linalg;
pub mod weng_lin;

#[cfg(test)]
mod conformance;

use thiserror::Error;

/// One match's result for the sequential ratings: every player with its
/// placement (1 is best; equal placements tie).
#[derive(Clone, Debug, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
pub struct MatchResult {
    /// `(player, placement)` for each player of the match.
    pub placements: Vec<(String, u32)>,
}

impl MatchResult {
    /// Checks that no player appears twice.
    fn check(&self) -> Result<(), MatchError> {
        let mut seen = std::collections::BTreeSet::new();
        for (p, _) in &self.placements {
            if !seen.insert(p.as_str()) {
                return Err(MatchError::Duplicate {
                    index: None,
                    player: p.clone(),
                });
            }
        }
        Ok(())
    }
}

/// Why a match result cannot be rated.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum MatchError {
    /// The same player twice in one match.
    #[error("{}player {player} appears twice in one match", index.map(|i| format!("match {i}: ")).unwrap_or_default())]
    Duplicate {
        /// Which match of a sequence, when recomputing.
        index: Option<usize>,
        /// The player.
        player: String,
    },
}

impl MatchError {
    /// The error as found in match `index` of a sequence.
    fn at(self, index: usize) -> Self {
        match self {
            Self::Duplicate { player, .. } => Self::Duplicate {
                index: Some(index),
                player,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::MatchResult;

    /// Matches from `(player, placement)` lists.
    pub fn matches(list: &[&[(&str, u32)]]) -> Vec<MatchResult> {
        list.iter()
            .map(|m| MatchResult {
                placements: m.iter().map(|&(p, k)| (p.to_string(), k)).collect(),
            })
            .collect()
    }

    /// A season of duels and melees among six players, with ties.
    pub fn sample_matches() -> Vec<MatchResult> {
        matches(&[
            &[("a", 1), ("b", 2)],
            &[("c", 1), ("d", 2), ("e", 3), ("f", 4)],
            &[("b", 1), ("c", 1), ("a", 3)],
            &[("f", 1), ("e", 2)],
            &[("d", 2), ("a", 1), ("f", 2), ("b", 4), ("e", 5)],
            &[("c", 1), ("a", 2)],
            &[("e", 1), ("b", 1)],
        ])
    }
}
