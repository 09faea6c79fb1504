//! Bradley-Terry ratings as CodeClash reports them
//! (`codeclash/analysis/metrics/elo.py`, `BradleyTerryFitter`), so that the
//! arena's leaderboards read like CodeClash's.
//!
//! Player `i` beats `j` with probability `σ(s_i - s_j)`. The strengths `s`
//! maximise the log-likelihood of all pairwise results minus an L2 penalty
//! `λ Σ s_i²` (CodeClash's `regularization`, 0.01 by default; 0 allowed),
//! subject to `Σ s_i = 0` (strengths are only defined up to a constant), and
//! are shown as Elo `1200 + 400/ln 10 · s`. A draw counts as half a win to
//! each side, as CodeClash's per-round scoring counts a tie, or is dropped,
//! as its per-tournament scoring does ([`Draws`]).
//!
//! CodeClash minimises with SciPy's SLSQP; here Newton's method on the
//! constraint plane finds the same optimum to machine precision (the
//! objective is convex, strictly so when `λ > 0` or the results connect
//! everyone both ways). The Newton step solves `(H + 11ᵀ) d = -g`: with `s`
//! on the plane, `g ⊥ 1` and `1` is an eigenvector of `H`, so `d` stays on
//! the plane and the added `11ᵀ` only makes the constrained system
//! definite.
//!
//! Uncertainty two ways: the Hessian's (observed information) covariance
//! restricted to the plane, `Z (Zᵀ H Z)⁻¹ Zᵀ` with `Z = [e_k - e_n]`, as
//! CodeClash computes its `elo_std`; and a seeded nonparametric bootstrap
//! that resamples each pair's games with replacement (CodeClash's
//! `get_nonparametric_bootstrap`) and refits, giving percentile intervals.

use std::collections::BTreeMap;

use rand_core::{Rng, SeedableRng};
use rand_pcg::Pcg64;
use thiserror::Error;

use super::linalg::Cholesky;

/// CodeClash's Elo for strength 0.
pub const ELO_BASE: f64 = 1200.0;
/// Elo points per unit of `log10` odds.
pub const ELO_SLOPE: f64 = 400.0;
/// The two-sided 95% normal quantile, for Hessian intervals.
pub const Z95: f64 = 1.959_963_984_540_054;

/// Elo for a Bradley-Terry strength.
pub fn strength_to_elo(s: f64) -> f64 {
    ELO_BASE + ELO_SLOPE / std::f64::consts::LN_10 * s
}

/// The results of the games between two players.
#[derive(Clone, Debug, PartialEq, serde::Deserialize)]
pub struct PairResults {
    /// One player.
    pub a: String,
    /// The other player.
    pub b: String,
    /// Games `a` won.
    pub a_wins: u64,
    /// Games `b` won.
    pub b_wins: u64,
    /// Games drawn.
    #[serde(default)]
    pub draws: u64,
}

/// How drawn games enter the likelihood.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Draws {
    /// Half a win to each side (CodeClash's `per_round_tertiary`).
    Half,
    /// Not at all (CodeClash's `per_tournament_boolean_drop_draws`).
    Drop,
}

/// How to fit.
#[derive(Clone, Debug, PartialEq)]
pub struct Config {
    /// λ in the penalty `λ Σ s²`; CodeClash's default is 0.01.
    pub penalty: f64,
    /// How draws count.
    pub draws: Draws,
    /// Bootstrap resamples; 0 for none.
    pub bootstrap: usize,
    /// Seed of the bootstrap's generator.
    pub seed: u64,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            penalty: 0.01,
            draws: Draws::Half,
            bootstrap: 0,
            seed: 0,
        }
    }
}

/// One player's fitted rating.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Player {
    /// The player's name.
    pub name: String,
    /// Its Elo, `1200 + 400/ln 10 · strength`.
    pub elo: f64,
    /// Its Bradley-Terry strength (the strengths sum to zero).
    pub strength: f64,
    /// Standard deviation of its Elo from the Hessian (CodeClash's
    /// `elo_std`); none where the information is singular.
    pub elo_std: Option<f64>,
    /// `elo ± 1.96 elo_std`.
    pub hessian_interval: Option<[f64; 2]>,
    /// The 2.5th and 97.5th percentiles of its bootstrap Elo.
    pub bootstrap_interval: Option<[f64; 2]>,
    /// Games it played, draws included.
    pub games: u64,
}

/// A fit: players by Elo, best first (ties by name).
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Fit {
    /// The players.
    pub players: Vec<Player>,
    /// The penalised log-likelihood at the optimum.
    pub log_likelihood: f64,
    /// Bootstrap resamples that had no finite optimum (possible only
    /// without a penalty) and were left out of the intervals.
    pub bootstrap_failures: usize,
}

/// Why a fit cannot be made.
#[derive(Debug, Error, PartialEq)]
pub enum BradleyTerryError {
    /// No games at all.
    #[error("no games: give at least one result between two players")]
    NoGames,
    /// A pair of a player with itself.
    #[error("result {index}: {name} cannot play itself")]
    SelfPlay {
        /// Index of the result in the input.
        index: usize,
        /// The player.
        name: String,
    },
    /// A negative or non-finite penalty.
    #[error("penalty {0} must be a finite number >= 0")]
    BadPenalty(f64),
    /// Without a penalty, some players' strengths run off to infinity.
    #[error(
        "no finite maximum without a penalty: {0} won (or lost) every game against the rest; \
         give a penalty > 0 (CodeClash uses 0.01)"
    )]
    Separated(String),
    /// Newton's method did not settle (should not happen: report it).
    #[error("the fit did not converge in {0} Newton steps")]
    NoConvergence(usize),
}

/// The aggregated results: players sorted by name, and per unordered pair
/// the games as counts of each outcome.
pub(super) struct Table {
    /// Player names, sorted.
    pub(super) names: Vec<String>,
    /// `(i, j, i_wins, j_wins, draws)` with `i < j`.
    pub(super) pairs: Vec<(usize, usize, u64, u64, u64)>,
}

impl Table {
    pub(super) fn new(results: &[PairResults]) -> Result<Self, BradleyTerryError> {
        let mut names: Vec<String> = results
            .iter()
            .flat_map(|r| [r.a.clone(), r.b.clone()])
            .collect();
        names.sort();
        names.dedup();
        let index = |name: &str| {
            names
                .binary_search_by(|n| n.as_str().cmp(name))
                .unwrap_or(0)
        };
        let mut pairs: BTreeMap<(usize, usize), (u64, u64, u64)> = BTreeMap::new();
        for (k, r) in results.iter().enumerate() {
            if r.a == r.b {
                return Err(BradleyTerryError::SelfPlay {
                    index: k,
                    name: r.a.clone(),
                });
            }
            let (i, j) = (index(&r.a), index(&r.b));
            let (lo, hi, lo_wins, hi_wins) = if i < j {
                (i, j, r.a_wins, r.b_wins)
            } else {
                (j, i, r.b_wins, r.a_wins)
            };
            let e = pairs.entry((lo, hi)).or_default();
            e.0 += lo_wins;
            e.1 += hi_wins;
            e.2 += r.draws;
        }
        let pairs: Vec<_> = pairs
            .into_iter()
            .filter(|(_, (w, l, d))| w + l + d > 0)
            .map(|((i, j), (w, l, d))| (i, j, w, l, d))
            .collect();
        if pairs.is_empty() {
            return Err(BradleyTerryError::NoGames);
        }
        Ok(Self { names, pairs })
    }

    /// The weighted win counts `(i, j, w_ij, w_ji)` the likelihood sees.
    pub(super) fn scores(
        &self,
        pairs: &[(usize, usize, u64, u64, u64)],
        draws: Draws,
    ) -> Vec<Scored> {
        let half = match draws {
            Draws::Half => 0.5,
            Draws::Drop => 0.0,
        };
        pairs
            .iter()
            .map(|&(i, j, w, l, d)| Scored {
                i,
                j,
                wij: w as f64 + half * d as f64,
                wji: l as f64 + half * d as f64,
            })
            .collect()
    }
}

/// One pair's scores: `wij` for `i` over `j`, `wji` the other way.
#[derive(Clone, Copy)]
pub(super) struct Scored {
    pub(super) i: usize,
    pub(super) j: usize,
    pub(super) wij: f64,
    pub(super) wji: f64,
}

/// Fits Bradley-Terry strengths to `results`, with intervals.
pub fn fit(results: &[PairResults], config: &Config) -> Result<Fit, BradleyTerryError> {
    if !config.penalty.is_finite() || config.penalty < 0.0 {
        return Err(BradleyTerryError::BadPenalty(config.penalty));
    }
    let table = Table::new(results)?;
    let n = table.names.len();
    let scored = table.scores(&table.pairs, config.draws);
    if config.penalty == 0.0
        && let Some(i) = separated(n, &scored)
    {
        return Err(BradleyTerryError::Separated(table.names[i].clone()));
    }
    let strengths = maximise(n, &scored, config.penalty)?;
    let log_likelihood = -objective(&strengths, &scored, config.penalty);
    let std = hessian_std(&strengths, &scored, config.penalty);

    let (intervals, failures) = if config.bootstrap > 0 {
        bootstrap(&table, config)
    } else {
        (vec![None; n], 0)
    };

    let mut games = vec![0u64; n];
    for &(i, j, w, l, d) in &table.pairs {
        games[i] += w + l + d;
        games[j] += w + l + d;
    }
    let mut players: Vec<Player> = (0..n)
        .map(|i| {
            let elo = strength_to_elo(strengths[i]);
            let elo_std = std.as_ref().map(|s| s[i]);
            Player {
                name: table.names[i].clone(),
                elo,
                strength: strengths[i],
                elo_std,
                hessian_interval: elo_std.map(|s| [elo - Z95 * s, elo + Z95 * s]),
                bootstrap_interval: intervals[i],
                games: games[i],
            }
        })
        .collect();
    players.sort_by(|a, b| b.elo.total_cmp(&a.elo).then_with(|| a.name.cmp(&b.name)));
    Ok(Fit {
        players,
        log_likelihood,
        bootstrap_failures: failures,
    })
}

/// A player that makes the unpenalised optimum infinite, if any: the
/// maximum likelihood is finite exactly when the graph with an edge `i → j`
/// wherever `i` scored against `j` is strongly connected (Zermelo 1929,
/// Ford 1957).
fn separated(n: usize, scored: &[Scored]) -> Option<usize> {
    let mut beat: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut beaten_by: Vec<Vec<usize>> = vec![Vec::new(); n];
    for s in scored {
        if s.wij > 0.0 {
            beat[s.i].push(s.j);
            beaten_by[s.j].push(s.i);
        }
        if s.wji > 0.0 {
            beat[s.j].push(s.i);
            beaten_by[s.i].push(s.j);
        }
    }
    let unreached = |edges: &[Vec<usize>]| {
        let mut seen = vec![false; n];
        let mut stack = vec![0];
        seen[0] = true;
        while let Some(v) = stack.pop() {
            for &w in &edges[v] {
                if !seen[w] {
                    seen[w] = true;
                    stack.push(w);
                }
            }
        }
        seen.iter().position(|s| !s)
    };
    unreached(&beat).or_else(|| unreached(&beaten_by))
}

/// The logistic function.
pub(super) fn sigmoid(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

/// `ln σ(x)`, accurate for large `|x|`.
pub(super) fn log_sigmoid(x: f64) -> f64 {
    if x >= 0.0 {
        -(-x).exp().ln_1p()
    } else {
        x - x.exp().ln_1p()
    }
}

/// The penalised negative log-likelihood CodeClash minimises (without its
/// `1e-10` guard inside the logarithm, which only matters at infinity).
fn objective(s: &[f64], scored: &[Scored], penalty: f64) -> f64 {
    let mut f = penalty * s.iter().map(|x| x * x).sum::<f64>();
    for p in scored {
        let d = s[p.i] - s[p.j];
        f -= p.wij * log_sigmoid(d) + p.wji * log_sigmoid(-d);
    }
    f
}

/// The gradient and Hessian (row-major) of [`objective`].
fn derivatives(s: &[f64], scored: &[Scored], penalty: f64) -> (Vec<f64>, Vec<f64>) {
    let n = s.len();
    let mut g: Vec<f64> = s.iter().map(|x| 2.0 * penalty * x).collect();
    let mut h = vec![0.0; n * n];
    for i in 0..n {
        h[i * n + i] = 2.0 * penalty;
    }
    for p in scored {
        let prob = sigmoid(s[p.i] - s[p.j]);
        let games = p.wij + p.wji;
        let r = p.wij - games * prob;
        g[p.i] -= r;
        g[p.j] += r;
        let w = games * prob * (1.0 - prob);
        h[p.i * n + p.i] += w;
        h[p.j * n + p.j] += w;
        h[p.i * n + p.j] -= w;
        h[p.j * n + p.i] -= w;
    }
    (g, h)
}

/// Newton steps limit; convergence is quadratic, so tens are plenty.
const MAX_STEPS: usize = 200;

/// The strengths minimising [`objective`] on `Σ s = 0`.
fn maximise(n: usize, scored: &[Scored], penalty: f64) -> Result<Vec<f64>, BradleyTerryError> {
    let mut s = vec![0.0; n];
    let mut f = objective(&s, scored, penalty);
    for _ in 0..MAX_STEPS {
        let (g, mut h) = derivatives(&s, scored, penalty);
        if g.iter().all(|x| x.abs() < 1e-12 * (1.0 + f.abs())) {
            return Ok(s);
        }
        h.iter_mut().for_each(|x| *x += 1.0);
        let Some(chol) = Cholesky::new(&h, n) else {
            return Err(BradleyTerryError::NoConvergence(0));
        };
        let minus_g: Vec<f64> = g.iter().map(|x| -x).collect();
        let d = chol.solve(&minus_g);
        // Backtracking keeps every step downhill far from the optimum;
        // near it the full step is taken and converges quadratically.
        let slope: f64 = g.iter().zip(&d).map(|(a, b)| a * b).sum();
        let mut t = 1.0;
        loop {
            let trial: Vec<f64> = s.iter().zip(&d).map(|(x, y)| x + t * y).collect();
            let ft = objective(&trial, scored, penalty);
            if ft <= f + 1e-4 * t * slope || t < 1e-10 {
                let moved = d.iter().map(|x| (t * x).abs()).fold(0.0, f64::max);
                s = trial;
                // Re-centre against drift from rounding.
                let mean = s.iter().sum::<f64>() / n as f64;
                s.iter_mut().for_each(|x| *x -= mean);
                f = objective(&s, scored, penalty);
                if moved < 1e-13 {
                    return Ok(s);
                }
                break;
            }
            t /= 2.0;
        }
    }
    Err(BradleyTerryError::NoConvergence(MAX_STEPS))
}

/// Each player's Elo standard deviation from the constrained inverse
/// Hessian, `Z (Zᵀ H Z)⁻¹ Zᵀ` with `Z = [e_k - e_n]` as CodeClash builds it
/// (a single player gets `1/H₀₀`, also as CodeClash does). `None` when the
/// reduced Hessian is singular (players that never met, without a penalty);
/// CodeClash's pseudo-inverse gives numbers there that mean nothing.
fn hessian_std(s: &[f64], scored: &[Scored], penalty: f64) -> Option<Vec<f64>> {
    let n = s.len();
    let (_, h) = derivatives(s, scored, penalty);
    let scale = ELO_SLOPE / std::f64::consts::LN_10;
    if n == 1 {
        return (h[0] > 0.0).then(|| vec![scale * (1.0 / h[0]).sqrt()]);
    }
    let m = n - 1;
    // (Zᵀ H Z)_kl = H_kl - H_kn - H_nl + H_nn for k, l < n - 1.
    let last = n - 1;
    let mut reduced = vec![0.0; m * m];
    for k in 0..m {
        for l in 0..m {
            reduced[k * m + l] =
                h[k * n + l] - h[k * n + last] - h[last * n + l] + h[last * n + last];
        }
    }
    let inv = Cholesky::new(&reduced, m)?.inverse();
    // cov = Z inv Zᵀ: cov_kk = inv_kk for k < n-1; cov_nn = Σ inv.
    let mut var: Vec<f64> = (0..m).map(|k| inv[k * m + k]).collect();
    var.push(inv.iter().sum());
    Some(var.into_iter().map(|v| scale * v.max(0.0).sqrt()).collect())
}

/// Percentile intervals from `config.bootstrap` resamples of each pair's
/// games; also how many resamples had no finite optimum.
fn bootstrap(table: &Table, config: &Config) -> (Vec<Option<[f64; 2]>>, usize) {
    let n = table.names.len();
    let mut rng = Pcg64::seed_from_u64(config.seed);
    let mut elos: Vec<Vec<f64>> = vec![Vec::with_capacity(config.bootstrap); n];
    let mut failures = 0;
    for _ in 0..config.bootstrap {
        let resampled: Vec<(usize, usize, u64, u64, u64)> = table
            .pairs
            .iter()
            .map(|&(i, j, w, l, d)| {
                let games = w + l + d;
                let (mut w2, mut l2, mut d2) = (0, 0, 0);
                for _ in 0..games {
                    let k = below(&mut rng, games);
                    if k < w {
                        w2 += 1;
                    } else if k < w + l {
                        l2 += 1;
                    } else {
                        d2 += 1;
                    }
                }
                (i, j, w2, l2, d2)
            })
            .collect();
        let scored = table.scores(&resampled, config.draws);
        if config.penalty == 0.0 && separated(n, &scored).is_some() {
            failures += 1;
            continue;
        }
        match maximise(n, &scored, config.penalty) {
            Ok(s) => {
                for (e, x) in elos.iter_mut().zip(s) {
                    e.push(strength_to_elo(x));
                }
            }
            Err(_) => failures += 1,
        }
    }
    let intervals = elos
        .into_iter()
        .map(|mut e| {
            if e.is_empty() {
                return None;
            }
            e.sort_by(f64::total_cmp);
            Some([percentile(&e, 0.025), percentile(&e, 0.975)])
        })
        .collect();
    (intervals, failures)
}

/// A uniform integer in `0..bound` (`bound > 0`), without modulo bias.
fn below(rng: &mut Pcg64, bound: u64) -> u64 {
    let zone = u64::MAX - u64::MAX % bound;
    loop {
        let x = rng.next_u64();
        if x < zone {
            return x % bound;
        }
    }
}

/// The `q` quantile of sorted `v`, interpolating linearly between order
/// statistics (NumPy's default).
fn percentile(v: &[f64], q: f64) -> f64 {
    let pos = q * (v.len() - 1) as f64;
    let lo = pos.floor() as usize;
    let hi = (lo + 1).min(v.len() - 1);
    v[lo] + (pos - lo as f64) * (v[hi] - v[lo])
}

#[cfg(test)]
mod tests;

/// Pairwise results of free-for-all matches: in each match, the better
/// placement beats the worse and equal placements draw.
pub fn pairs_from_matches<'a>(
    matches: impl IntoIterator<Item = &'a super::MatchResult>,
) -> Vec<PairResults> {
    let mut pairs: std::collections::BTreeMap<(String, String), (u64, u64, u64)> =
        std::collections::BTreeMap::new();
    for m in matches {
        for (i, a) in m.placements.iter().enumerate() {
            for b in &m.placements[i + 1..] {
                let (lo, hi) = if a.0 < b.0 { (a, b) } else { (b, a) };
                let e = pairs.entry((lo.0.clone(), hi.0.clone())).or_default();
                match lo.1.cmp(&hi.1) {
                    std::cmp::Ordering::Less => e.0 += 1,
                    std::cmp::Ordering::Greater => e.1 += 1,
                    std::cmp::Ordering::Equal => e.2 += 1,
                }
            }
        }
    }
    pairs
        .into_iter()
        .map(|((a, b), (a_wins, b_wins, draws))| PairResults {
            a,
            b,
            a_wins,
            b_wins,
            draws,
        })
        .collect()
}

/// A fitted Elo with its interval for tables: `1425 [1419, 1430]`.
pub fn format_elo(elo: Option<f64>, interval: Option<[f64; 2]>) -> String {
    match (elo, interval) {
        (Some(e), Some([lo, hi])) => format!("{e:.0} [{lo:.0}, {hi:.0}]"),
        (Some(e), None) => format!("{e:.0}"),
        _ => "-".into(),
    }
}
