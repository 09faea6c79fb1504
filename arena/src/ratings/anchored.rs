//! Bradley-Terry with anchors: chosen reference players (built-in agents,
//! starter bots, a ladder of fixed bots) keep fixed ratings and every other
//! player is fitted relative to them, so that a number means the same
//! across tournaments and months as long as the anchors do.
//!
//! The anchors' strengths are fixed at `(elo - 1200) · ln 10 / 400`; the
//! free players' strengths maximise the log-likelihood of every pairwise
//! result minus `λ Σ_free s²` (the same weak prior CodeClash's fit uses; it
//! keeps an unbeaten player finite). No sum constraint: the anchors fix the
//! scale's origin. Intervals are the free players' Hessian ones, the
//! inverse of the observed information over the free players (anchors have
//! none: they are fixed by definition).
//!
//! A player is anchored when its results connect it, through any chain of
//! games, to an anchor; otherwise its number rests on the prior alone and
//! it is marked unanchored.

use serde::Serialize;

use super::bradley_terry::{
    BradleyTerryError, Config, ELO_BASE, ELO_SLOPE, PairResults, Scored, Table, Z95, log_sigmoid,
    sigmoid, strength_to_elo,
};
use super::linalg::Cholesky;

/// A reference player and its fixed rating.
#[derive(Clone, Debug, PartialEq, Serialize, serde::Deserialize, schemars::JsonSchema)]
pub struct Anchor {
    /// The player's name in the pool.
    pub player: String,
    /// Its fixed Elo.
    pub elo: f64,
}

/// How far a player's number can be trusted to mean the same elsewhere.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Standing {
    /// A reference player: its rating is fixed.
    Anchor,
    /// Connected through games to an anchor.
    Anchored,
    /// Rated only against players of unknown strength.
    Unanchored,
}

impl std::fmt::Display for Standing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Anchor => "anchor",
            Self::Anchored => "anchored",
            Self::Unanchored => "unanchored",
        })
    }
}

/// One player of an anchored fit.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AnchoredPlayer {
    /// The player.
    pub name: String,
    /// Its Elo on the anchors' scale.
    pub elo: f64,
    /// Hessian standard deviation of its Elo (none for an anchor).
    pub elo_std: Option<f64>,
    /// `elo ± 1.96 elo_std`.
    pub interval: Option<[f64; 2]>,
    /// Games it played, draws included.
    pub games: u64,
    /// Anchor, anchored or not.
    pub standing: Standing,
}

/// Why an anchored fit cannot be made.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum AnchorError {
    /// The unanchored fit's errors.
    #[error(transparent)]
    Fit(#[from] BradleyTerryError),
    /// λ must be positive here, or an unbeaten player runs off to infinity.
    #[error("an anchored fit needs a penalty > 0 (CodeClash uses 0.01), got {0}")]
    Penalty(f64),
    /// An anchor twice.
    #[error("{0} is anchored twice; give each anchor one rating")]
    DuplicateAnchor(String),
    /// A rating that is not a number.
    #[error("anchor {0}: rating {1} is not a finite number")]
    BadAnchor(String, f64),
}

/// Fits `results` with `anchors` held fixed; players by Elo, best first.
/// Anchors without games are left out (they constrain nothing).
pub fn fit_anchored(
    results: &[PairResults],
    anchors: &[Anchor],
    config: &Config,
) -> Result<Vec<AnchoredPlayer>, AnchorError> {
    if !(config.penalty.is_finite() && config.penalty > 0.0) {
        return Err(AnchorError::Penalty(config.penalty));
    }
    let mut seen = std::collections::BTreeSet::new();
    for a in anchors {
        if !seen.insert(a.player.as_str()) {
            return Err(AnchorError::DuplicateAnchor(a.player.clone()));
        }
        if !a.elo.is_finite() {
            return Err(AnchorError::BadAnchor(a.player.clone(), a.elo));
        }
    }
    let table = Table::new(results)?;
    let n = table.names.len();
    let scored = table.scores(&table.pairs, config.draws);
    let per_elo = std::f64::consts::LN_10 / ELO_SLOPE;
    let fixed: Vec<Option<f64>> = table
        .names
        .iter()
        .map(|name| {
            anchors
                .iter()
                .find(|a| &a.player == name)
                .map(|a| (a.elo - ELO_BASE) * per_elo)
        })
        .collect();
    let free: Vec<usize> = (0..n).filter(|&i| fixed[i].is_none()).collect();
    let mut s: Vec<f64> = fixed.iter().map(|f| f.unwrap_or(0.0)).collect();
    let information = maximise_free(&mut s, &free, &scored, config.penalty)?;
    let std: Option<Vec<f64>> = Cholesky::new(&information, free.len()).map(|c| {
        let inv = c.inverse();
        (0..free.len())
            .map(|k| inv[k * free.len() + k].max(0.0).sqrt() / per_elo)
            .collect()
    });
    let anchored = connected_to_anchors(n, &table.pairs, &fixed);
    let mut games = vec![0u64; n];
    for &(i, j, w, l, d) in &table.pairs {
        games[i] += w + l + d;
        games[j] += w + l + d;
    }
    let mut players: Vec<AnchoredPlayer> = (0..n)
        .map(|i| {
            let elo = strength_to_elo(s[i]);
            let elo_std = free
                .iter()
                .position(|&f| f == i)
                .and_then(|k| std.as_ref().map(|v| v[k]));
            AnchoredPlayer {
                name: table.names[i].clone(),
                elo,
                elo_std,
                interval: elo_std.map(|d| [elo - Z95 * d, elo + Z95 * d]),
                games: games[i],
                standing: if fixed[i].is_some() {
                    Standing::Anchor
                } else if anchored[i] {
                    Standing::Anchored
                } else {
                    Standing::Unanchored
                },
            }
        })
        .collect();
    players.sort_by(|a, b| b.elo.total_cmp(&a.elo).then_with(|| a.name.cmp(&b.name)));
    Ok(players)
}

/// Newton's method over the free strengths (the others stay as given);
/// returns the observed information over the free ones (row-major) at the
/// optimum.
fn maximise_free(
    s: &mut [f64],
    free: &[usize],
    scored: &[Scored],
    penalty: f64,
) -> Result<Vec<f64>, AnchorError> {
    let m = free.len();
    let index: Vec<Option<usize>> = (0..s.len())
        .map(|i| free.iter().position(|&f| f == i))
        .collect();
    let objective = |s: &[f64]| {
        let mut f: f64 = free.iter().map(|&i| penalty * s[i] * s[i]).sum();
        for p in scored {
            let d = s[p.i] - s[p.j];
            f -= p.wij * log_sigmoid(d) + p.wji * log_sigmoid(-d);
        }
        f
    };
    let derivatives = |s: &[f64]| {
        let mut g: Vec<f64> = free.iter().map(|&i| 2.0 * penalty * s[i]).collect();
        let mut h = vec![0.0; m * m];
        for k in 0..m {
            h[k * m + k] = 2.0 * penalty;
        }
        for p in scored {
            let prob = sigmoid(s[p.i] - s[p.j]);
            let games = p.wij + p.wji;
            let r = p.wij - games * prob;
            let w = games * prob * (1.0 - prob);
            let (a, b) = (index[p.i], index[p.j]);
            if let Some(a) = a {
                g[a] -= r;
                h[a * m + a] += w;
            }
            if let Some(b) = b {
                g[b] += r;
                h[b * m + b] += w;
            }
            if let (Some(a), Some(b)) = (a, b) {
                h[a * m + b] -= w;
                h[b * m + a] -= w;
            }
        }
        (g, h)
    };
    let mut f = objective(s);
    for _ in 0..MAX_STEPS {
        let (g, h) = derivatives(s);
        let chol =
            Cholesky::new(&h, m).ok_or(AnchorError::Fit(BradleyTerryError::NoConvergence(0)))?;
        if g.iter().all(|x| x.abs() < 1e-12 * (1.0 + f.abs())) {
            return Ok(h);
        }
        let minus_g: Vec<f64> = g.iter().map(|x| -x).collect();
        let d = chol.solve(&minus_g);
        let slope: f64 = g.iter().zip(&d).map(|(a, b)| a * b).sum();
        let mut t = 1.0;
        loop {
            let mut trial = s.to_vec();
            for (k, &i) in free.iter().enumerate() {
                trial[i] += t * d[k];
            }
            let ft = objective(&trial);
            if ft <= f + 1e-4 * t * slope || t < 1e-10 {
                let moved = d.iter().map(|x| (t * x).abs()).fold(0.0, f64::max);
                s.copy_from_slice(&trial);
                f = ft;
                if moved < 1e-13 {
                    return Ok(derivatives(s).1);
                }
                break;
            }
            t /= 2.0;
        }
    }
    Err(AnchorError::Fit(BradleyTerryError::NoConvergence(
        MAX_STEPS,
    )))
}

/// Newton steps limit.
const MAX_STEPS: usize = 200;

/// Which players a chain of games links to a fixed player.
fn connected_to_anchors(
    n: usize,
    pairs: &[(usize, usize, u64, u64, u64)],
    fixed: &[Option<f64>],
) -> Vec<bool> {
    let mut seen: Vec<bool> = fixed.iter().map(Option::is_some).collect();
    let mut stack: Vec<usize> = (0..n).filter(|&i| seen[i]).collect();
    while let Some(v) = stack.pop() {
        for &(i, j, w, l, d) in pairs {
            if w + l + d == 0 {
                continue;
            }
            let other = if i == v {
                j
            } else if j == v {
                i
            } else {
                continue;
            };
            if !seen[other] {
                seen[other] = true;
                stack.push(other);
            }
        }
    }
    seen
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ratings::bradley_terry::{Draws, fit};

    fn pair(a: &str, b: &str, a_wins: u64, b_wins: u64) -> PairResults {
        PairResults {
            a: a.into(),
            b: b.into(),
            a_wins,
            b_wins,
            draws: 0,
        }
    }

    fn anchor(player: &str, elo: f64) -> Anchor {
        Anchor {
            player: player.into(),
            elo,
        }
    }

    fn tiny() -> Config {
        Config {
            penalty: 1e-9,
            ..Config::default()
        }
    }

    fn get<'a>(players: &'a [AnchoredPlayer], name: &str) -> &'a AnchoredPlayer {
        players
            .iter()
            .find(|p| p.name == name)
            .unwrap_or_else(|| panic!("no {name}"))
    }

    #[test]
    fn three_wins_in_four_against_an_anchor() {
        // With a vanishing prior, x beats a 1000-rated anchor 3 times in 4:
        // 1000 + 400 log10 3; information 4 · 3/4 · 1/4 = 3/4 in strength.
        let players = fit_anchored(&[pair("x", "bot", 3, 1)], &[anchor("bot", 1000.0)], &tiny())
            .unwrap_or_else(|e| panic!("{e}"));
        let x = get(&players, "x");
        assert!(
            (x.elo - (1000.0 + 400.0 * 3f64.log10())).abs() < 1e-4,
            "{}",
            x.elo
        );
        let std = 400.0 / std::f64::consts::LN_10 / 0.75f64.sqrt();
        assert!((x.elo_std.unwrap_or(0.0) - std).abs() < 1e-3);
        assert_eq!(x.standing, Standing::Anchored);
        let bot = get(&players, "bot");
        assert_eq!(
            (bot.elo, bot.elo_std, bot.standing),
            (1000.0, None, Standing::Anchor)
        );
    }

    #[test]
    fn the_scale_moves_with_the_anchor_not_with_the_field() {
        let results = [
            pair("x", "bot", 30, 10),
            pair("y", "bot", 10, 30),
            pair("x", "y", 5, 5),
        ];
        let a = fit_anchored(&results, &[anchor("bot", 1000.0)], &Config::default())
            .unwrap_or_else(|e| panic!("{e}"));
        let b = fit_anchored(&results, &[anchor("bot", 1500.0)], &Config::default())
            .unwrap_or_else(|e| panic!("{e}"));
        // A weak prior towards 1200 aside, moving the anchor moves everyone.
        for name in ["x", "y"] {
            let shift = get(&b, name).elo - get(&a, name).elo;
            assert!((shift - 500.0).abs() < 30.0, "{name}: {shift}");
        }
        // Adding a strong newcomer who only met x and y leaves the anchor's
        // number as it was; in a sum-zero fit, everyone else drops.
        let mut more = results.to_vec();
        more.push(pair("z", "x", 20, 2));
        more.push(pair("z", "y", 20, 1));
        let c = fit_anchored(&more, &[anchor("bot", 1000.0)], &Config::default())
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(get(&c, "bot").elo, 1000.0);
        let plain = |r: &[PairResults]| {
            let f = fit(r, &Config::default()).unwrap_or_else(|e| panic!("{e}"));
            f.players
                .iter()
                .find(|p| p.name == "bot")
                .map(|p| p.elo)
                .unwrap_or(f64::NAN)
        };
        assert!(plain(&more) < plain(&results) - 20.0);
    }

    #[test]
    fn players_cut_off_from_the_anchors_are_unanchored() {
        let results = [pair("x", "bot", 3, 1), pair("p", "q", 4, 4)];
        let players = fit_anchored(&results, &[anchor("bot", 1000.0)], &Config::default())
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(get(&players, "x").standing, Standing::Anchored);
        assert_eq!(get(&players, "p").standing, Standing::Unanchored);
        assert_eq!(get(&players, "q").standing, Standing::Unanchored);
    }

    #[test]
    fn anchored_fit_agrees_with_the_free_fit_on_differences() {
        // With a vanishing prior, fixing one player at its free-fit Elo
        // gives every other player its free-fit Elo too.
        let results = [
            pair("a", "b", 12, 8),
            pair("b", "c", 9, 11),
            pair("a", "c", 15, 5),
            pair("c", "d", 7, 3),
            pair("d", "a", 2, 6),
        ];
        let config = Config {
            penalty: 0.0,
            draws: Draws::Half,
            ..Config::default()
        };
        let free = fit(&results, &config).unwrap_or_else(|e| panic!("{e}"));
        let c = free
            .players
            .iter()
            .find(|p| p.name == "c")
            .map(|p| p.elo)
            .unwrap_or(f64::NAN);
        let held =
            fit_anchored(&results, &[anchor("c", c)], &tiny()).unwrap_or_else(|e| panic!("{e}"));
        for p in &free.players {
            assert!((get(&held, &p.name).elo - p.elo).abs() < 1e-3, "{}", p.name);
        }
    }

    #[test]
    fn bad_anchors_are_errors() {
        let results = [pair("x", "bot", 3, 1)];
        let zero = Config {
            penalty: 0.0,
            ..Config::default()
        };
        assert_eq!(
            fit_anchored(&results, &[anchor("bot", 1000.0)], &zero),
            Err(AnchorError::Penalty(0.0))
        );
        assert!(matches!(
            fit_anchored(
                &results,
                &[anchor("bot", 1000.0), anchor("bot", 900.0)],
                &Config::default()
            ),
            Err(AnchorError::DuplicateAnchor(_))
        ));
        assert!(matches!(
            fit_anchored(&results, &[anchor("bot", f64::NAN)], &Config::default()),
            Err(AnchorError::BadAnchor(..))
        ));
    }
}
