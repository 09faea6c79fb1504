//! Ratings after each round, and the final standings with intervals.
//!
//! Every rating is recomputed from stored results, never carried in
//! memory, so a resumed run rates exactly as an uninterrupted one.

use std::collections::BTreeMap;

use crate::store::StoreError;

/// Why standings or ratings cannot be computed from what is stored.
#[derive(Debug, thiserror::Error)]
pub enum StandingsError {
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Elo refused a round's result.
    #[error("rating round {round}: {error}")]
    Elo {
        round: u32,
        error: crate::ratings::MatchError,
    },
    /// The Codeforces rating refused a round's contest.
    #[error("rating round {round}: {error}")]
    Codeforces {
        round: u32,
        error: crate::ratings::codeforces::CodeforcesError,
    },
}

type Result<T, E = StandingsError> = std::result::Result<T, E>;

use crate::config::TournamentConfig;
use crate::ratings::MatchResult;
use crate::ratings::bradley_terry::{self, PairResults};
use crate::ratings::codeelo;
use crate::ratings::codeforces::{self, Contestant};
use crate::ratings::confidence;
use crate::ratings::elo::EloPool;
use crate::store::{Store, SystemRatings};

/// Elo's K-factor and a newcomer's rating (skillratings' defaults).
const ELO_K: f64 = 32.0;
const ELO_START: f64 = 1000.0;
/// A newcomer on the Codeforces scale.
const CF_START: i32 = 1500;

pub use arena_agents::wire::{PlayerStanding, RoundConfidence, Standings};

/// Each round's significance and likelihood of superiority.
fn round_confidence(
    store: &Store,
    tid: i64,
    rounds: u32,
    players: &[(i64, String)],
) -> Result<Vec<RoundConfidence>> {
    let mut out = Vec::new();
    for r in 0..=rounds {
        let tally = store.round_tally(tid, r)?;
        if tally.is_empty() && store.round_winner(tid, r)?.is_none() {
            continue;
        }
        let wins: Vec<u64> = players
            .iter()
            .map(|(id, _)| tally.get(id).map_or(0, |t| t.0))
            .collect();
        let mut sorted = wins.clone();
        sorted.sort_unstable_by(|a, b| b.cmp(a));
        let winner = store
            .round_winner(tid, r)?
            .and_then(|w| players.iter().find(|(id, _)| *id == w))
            .map(|(_, n)| n.clone());
        out.push(RoundConfidence {
            round: r,
            winner,
            p_value: confidence::p_value(&wins),
            los: confidence::likelihood_of_superiority(
                sorted.first().copied().unwrap_or(0),
                sorted.get(1).copied().unwrap_or(0),
            ),
            wins,
        });
    }
    Ok(out)
}

/// The round's standings as a match for the sequential ratings: players
/// placed by simulations won.
fn round_match(players: &[(i64, String)], tally: &BTreeMap<i64, (u64, u64)>) -> MatchResult {
    let wins = |id: i64| tally.get(&id).map_or(0, |t| t.0);
    MatchResult {
        placements: players
            .iter()
            .map(|(id, name)| {
                let better = players.iter().filter(|(o, _)| wins(*o) > wins(*id)).count();
                (name.clone(), better as u32 + 1)
            })
            .collect(),
    }
}

/// Rates the rounds 0..=round from stored results: the ratings after
/// `round` (stored with the round's winner, in one transaction): Elo over
/// rounds, and the Codeforces algorithm with each round a contest (points:
/// simulations won).
pub(super) fn rate_round(
    store: &Store,
    tid: i64,
    round: u32,
    players: &[(i64, String)],
) -> Result<Vec<SystemRatings>> {
    let mut elo = EloPool::new(ELO_K, ELO_START);
    let mut cf: BTreeMap<String, i32> =
        players.iter().map(|(_, n)| (n.clone(), CF_START)).collect();
    let mut performances: BTreeMap<String, Vec<i64>> = BTreeMap::new();
    for r in 0..=round {
        let tally = store.round_tally(tid, r)?;
        // CodeElo-style performance: the round is the contest and its
        // entrants, rated on the Codeforces scale as they stood before it,
        // are the field (see `codeelo::round_performances`).
        let entrants: Vec<codeelo::Entrant> = players
            .iter()
            .map(|(id, name)| codeelo::Entrant {
                rating: f64::from(cf.get(name).copied().unwrap_or(CF_START)),
                points: tally.get(id).map_or(0, |t| t.0) as f64,
                penalty: 0.0,
            })
            .collect();
        for ((_, name), p) in players.iter().zip(codeelo::round_performances(&entrants)) {
            performances.entry(name.clone()).or_default().push(p);
        }
        elo.apply(&round_match(players, &tally))
            .map_err(|error| StandingsError::Elo { round: r, error })?;
        let contest: Vec<Contestant> = players
            .iter()
            .map(|(id, name)| Contestant {
                handle: name.clone(),
                points: tally.get(id).map_or(0, |t| t.0) as f64,
                penalty: 0.0,
                rating: cf.get(name).copied().unwrap_or(CF_START),
            })
            .collect();
        for change in codeforces::rate_contest(&contest)
            .map_err(|error| StandingsError::Codeforces { round: r, error })?
        {
            cf.insert(change.handle, change.new);
        }
    }
    let elo_rows: Vec<(i64, f64, Option<f64>)> = players
        .iter()
        .map(|(id, name)| (*id, elo.get(name).map_or(ELO_START, |e| e.rating), None))
        .collect();

    let cf_rows: Vec<(i64, f64, Option<f64>)> = players
        .iter()
        .map(|(id, name)| {
            (
                *id,
                f64::from(cf.get(name).copied().unwrap_or(CF_START)),
                None,
            )
        })
        .collect();

    let codeelo_rows: Vec<(i64, f64, Option<f64>)> = players
        .iter()
        .filter_map(|(id, name)| {
            let mean = codeelo::mean_rating(performances.get(name)?)?;
            Some((*id, mean, None))
        })
        .collect();
    Ok(vec![
        SystemRatings {
            system: "elo",
            rows: elo_rows,
        },
        SystemRatings {
            system: "codeforces",
            rows: cf_rows,
        },
        SystemRatings {
            system: "codeelo",
            rows: codeelo_rows,
        },
    ])
}

/// Pairwise results over every stored simulation: the better placement
/// wins, equal placements draw.
fn pairwise(store: &Store, tid: i64, players: &[(i64, String)]) -> Result<Vec<PairResults>> {
    let rows: Vec<(i64, i64, u32)> = store
        .placements(tid)?
        .into_iter()
        .map(|p| (p.match_id, p.player_id, p.placement))
        .collect();
    let name = |id: i64| {
        players
            .iter()
            .find(|(p, _)| *p == id)
            .map(|(_, n)| n.clone())
    };
    let matches: Vec<MatchResult> = rows
        .chunk_by(|a, b| a.0 == b.0)
        .map(|group| MatchResult {
            placements: group
                .iter()
                .filter_map(|(_, id, place)| Some((name(*id)?, *place)))
                .collect(),
        })
        .collect();
    Ok(bradley_terry::pairs_from_matches(&matches))
}

/// A player's Codeforces-scale rating after each round.
fn history(store: &Store, tid: i64, player: i64) -> Result<Vec<i32>> {
    Ok(store
        .rating_history(tid, player, "codeforces")?
        .into_iter()
        .map(|v| v as i32)
        .collect())
}

/// The ratings over the whole tournament that finishing it stores:
/// Bradley-Terry over every simulation, with its deviation.
pub(super) fn final_ratings(
    store: &Store,
    tid: i64,
    cfg: &TournamentConfig,
    players: &[(i64, String)],
) -> Result<Vec<SystemRatings>> {
    let pairs = pairwise(store, tid, players)?;
    let bt = bradley_terry::fit(
        &pairs,
        &bradley_terry::Config {
            seed: cfg.seed,
            ..bradley_terry::Config::default()
        },
    )
    .ok();
    let mut ratings = Vec::new();
    if let Some(fit) = &bt {
        let bt_rows: Vec<(i64, f64, Option<f64>)> = players
            .iter()
            .filter_map(|(id, name)| {
                let p = fit.players.iter().find(|p| &p.name == name)?;
                Some((*id, p.elo, p.elo_std))
            })
            .collect();
        ratings.push(SystemRatings {
            system: "bradley-terry",
            rows: bt_rows,
        });
    }
    Ok(ratings)
}

/// The table as stored now, read only: round wins, simulations won, the
/// last ratings, and Bradley-Terry with its 95% interval once the
/// tournament finished. `tournament_finished` and
/// `GET /api/tournaments/{name}` both show this.
pub fn stored_standings(
    store: &Store,
    tid: i64,
    cfg: &TournamentConfig,
    players: &[(i64, String)],
) -> Result<Standings> {
    let mut round_wins: BTreeMap<i64, u64> = BTreeMap::new();
    let mut sims_won: BTreeMap<i64, u64> = BTreeMap::new();
    for r in 0..=cfg.rounds {
        if let Some(w) = store.round_winner(tid, r)? {
            *round_wins.entry(w).or_default() += 1;
        }
        for (id, (won, _)) in store.round_tally(tid, r)? {
            *sims_won.entry(id).or_default() += won;
        }
    }
    let rating = |system: &str, id: i64| -> Result<Option<(f64, Option<f64>)>> {
        Ok(store.latest_rating(tid, id, system)?)
    };
    let mut rows = Vec::new();
    for (id, name) in players {
        let bt = rating("bradley-terry", *id)?;
        rows.push(PlayerStanding {
            name: name.clone(),
            round_wins: round_wins.get(id).copied().unwrap_or(0),
            sims_won: sims_won.get(id).copied().unwrap_or(0),
            elo: rating("elo", *id)?.map_or(ELO_START, |r| r.0),
            codeforces: rating("codeforces", *id)?.map_or(CF_START, |r| r.0 as i32),
            codeelo: rating("codeelo", *id)?.map(|r| r.0),
            bradley_terry: bt.map(|r| r.0),
            bradley_terry_interval: bt.and_then(|(elo, std)| {
                std.map(|s| [elo - bradley_terry::Z95 * s, elo + bradley_terry::Z95 * s])
            }),
            codeforces_history: history(store, tid, *id)?,
            hill_age: if cfg.format == crate::config::Format::Hill {
                let ids: Vec<i64> = players.iter().map(|(id, _)| *id).collect();
                let mut age = 0;
                for r in 0..=cfg.rounds {
                    if super::format::hill_alive(store, tid, r, &ids)?.contains(id) {
                        age += 1;
                    }
                }
                Some(age)
            } else {
                None
            },
        });
    }
    rows.sort_by(|a, b| {
        b.round_wins
            .cmp(&a.round_wins)
            .then(b.sims_won.cmp(&a.sims_won))
    });
    Ok(Standings {
        tournament: cfg.name.clone(),
        rounds: cfg.rounds,
        sims: cfg.sims,
        players: rows,
        round_confidence: round_confidence(store, tid, cfg.rounds, players)?,
    })
}

/// What each column of the table is, printed under it: the columns are on
/// different scales and do not compare with each other.
const COLUMNS: &str = "\
Elo: sequential Elo over rounds (a round is one game, placed by simulations won), from 1000, K = 32.
Codeforces: Codeforces' rating algorithm, each round a contest, from 1500; moves far faster than Elo.
CodeElo: mean over rounds of the performance rating whose expected rank among the round's entrants,
  at their Codeforces-scale ratings, equals the rank taken (CodeElo's rule; see docs/ratings.md).
Bradley-Terry: every simulation's pairwise results, 1200 + 400/ln 10 * strength, relative to this
  tournament's players (centred on 1200); [95%] Hessian interval.";

/// A p-value for the table: small ones in scientific notation.
fn format_p(p: f64) -> String {
    if p >= 0.001 {
        format!("{p:.3}")
    } else {
        format!("{p:.1e}")
    }
}

/// The table for a terminal (`arena run`).
pub struct StandingsTable<'a>(pub &'a Standings);

impl std::fmt::Display for StandingsTable<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let standings = self.0;
        writeln!(
            f,
            "{}: {} rounds after round 0, {} simulations a round",
            standings.tournament, standings.rounds, standings.sims
        )?;
        let w = standings
            .players
            .iter()
            .map(|p| p.name.len())
            .max()
            .unwrap_or(6)
            .max(6);
        writeln!(
            f,
            "{:<w$} {:>10} {:>10} {:>8} {:>11} {:>8} {:>24}",
            "player",
            "round wins",
            "sims won",
            "Elo",
            "Codeforces",
            "CodeElo",
            "Bradley-Terry [95%]"
        )?;
        for p in &standings.players {
            let bt = bradley_terry::format_elo(p.bradley_terry, p.bradley_terry_interval);
            let codeelo = p
                .codeelo
                .map_or_else(|| "-".to_string(), |c| format!("{c:.0}"));
            writeln!(
                f,
                "{:<w$} {:>10} {:>10} {:>8.0} {:>11} {:>8} {:>24}",
                p.name, p.round_wins, p.sims_won, p.elo, p.codeforces, codeelo, bt
            )?;
        }
        if standings.players.iter().any(|p| p.hill_age.is_some()) {
            writeln!(f, "\nAge on the hill (rounds played on it):")?;
            for p in &standings.players {
                writeln!(f, "{:<w$} {}", p.name, p.hill_age.unwrap_or(0))?;
            }
        }
        writeln!(f, "{COLUMNS}")?;
        writeln!(
            f,
            "\nCodeforces-scale rating after each round (round 0 first):"
        )?;
        for p in &standings.players {
            let steps: Vec<String> = p.codeforces_history.iter().map(i32::to_string).collect();
            writeln!(f, "{:<w$} {}", p.name, steps.join(" -> "))?;
        }
        if !standings.round_confidence.is_empty() {
            writeln!(
                f,
                "\nEach round: simulations won (seat order), p = CodeClash's binomial test of the \
                 winner (Bonferroni), LOS = likelihood the leader is stronger than the runner-up:"
            )?;
            for c in &standings.round_confidence {
                let wins: Vec<String> = c.wins.iter().map(u64::to_string).collect();
                writeln!(
                    f,
                    "round {:>2}  {:<w$} {:>15}  p = {:<9}  LOS = {:.4}",
                    c.round,
                    c.winner.as_deref().unwrap_or("(tie)"),
                    wins.join("-"),
                    format_p(c.p_value),
                    c.los
                )?;
            }
        }
        Ok(())
    }
}
