//! How sure a round's result is, as chess engine testing tools report it:
//!
//! - [`p_value`]: CodeClash's significance of a round's winner
//!   (`codeclash/analysis/significance.py`): an exact one-sided binomial
//!   test of the top player's share of the decisive simulations against
//!   `1/K`, times `K` (Bonferroni, for picking the winner after the fact);
//!   1 when there is no unique top player.
//! - [`likelihood_of_superiority`]: the chance that the leader is truly the
//!   stronger of two, from wins and losses (draws carry no information),
//!   `Φ((W - L)/√(W + L))`.
//! - [`Sprt`]: a sequential probability ratio test that can stop a
//!   two-player round's simulations once the winner is decided with stated
//!   error bounds; off unless a tournament asks for it (`[sprt]`), so
//!   results stay comparable.

use serde::{Deserialize, Serialize};

/// CodeClash's p-value of a round: `wins` holds each player's simulations
/// won outright (ties left out).
pub fn p_value(wins: &[u64]) -> f64 {
    let k = wins.len();
    let decisive: u64 = wins.iter().sum();
    let Some(&top) = wins.iter().max() else {
        return 1.0;
    };
    if k < 2 || decisive == 0 || wins.iter().filter(|&&w| w == top).count() != 1 {
        return 1.0;
    }
    let p0 = 1.0 / k as f64;
    (upper_tail(top, decisive, p0) * k as f64).min(1.0)
}

/// `P(X >= k)` for `X ~ Binomial(n, p)`, summed in log space.
fn upper_tail(k: u64, n: u64, p: f64) -> f64 {
    if k == 0 {
        return 1.0;
    }
    // ln pmf(k) = ln C(n, k) + k ln p + (n - k) ln(1 - p).
    let mut ln_choose = 0.0;
    for i in 1..=k {
        ln_choose += ((n - k + i) as f64).ln() - (i as f64).ln();
    }
    let mut ln_pmf = ln_choose + k as f64 * p.ln() + (n - k) as f64 * (1.0 - p).ln();
    let ratio = (p / (1.0 - p)).ln();
    let mut terms = Vec::with_capacity((n - k + 1) as usize);
    for j in k..=n {
        terms.push(ln_pmf);
        if j < n {
            ln_pmf += ((n - j) as f64).ln() - ((j + 1) as f64).ln() + ratio;
        }
    }
    let max = terms.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    (max + terms.iter().map(|t| (t - max).exp()).sum::<f64>().ln())
        .min(0.0)
        .exp()
}

/// The likelihood that a player with `wins` and `losses` against another
/// is the stronger: `Φ((W - L)/√(W + L))`; 0.5 with no decisive game.
pub fn likelihood_of_superiority(wins: u64, losses: u64) -> f64 {
    if wins + losses == 0 {
        return 0.5;
    }
    let z = (wins as f64 - losses as f64) / ((wins + losses) as f64).sqrt();
    0.5 * erfc(-z / std::f64::consts::SQRT_2)
}

/// The complementary error function (Numerical Recipes' Chebyshev fit,
/// relative error below 1.2e-7 everywhere).
fn erfc(x: f64) -> f64 {
    let z = x.abs();
    let t = 1.0 / (1.0 + 0.5 * z);
    let r = t
        * (-z * z - 1.265_512_23
            + t * (1.000_023_68
                + t * (0.374_091_96
                    + t * (0.096_784_18
                        + t * (-0.186_288_06
                            + t * (0.278_868_07
                                + t * (-1.135_203_98
                                    + t * (1.488_515_87
                                        + t * (-0.822_152_23 + t * 0.170_872_77)))))))))
            .exp();
    if x >= 0.0 { r } else { 2.0 - r }
}

/// A tournament's `[sprt]` section: stop a two-player round's simulations
/// early once its winner is decided.
#[derive(Clone, Copy, Debug, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SprtConfig {
    /// The Elo difference the test tells apart: H₀ "the first player is
    /// `elo` weaker" against H₁ "it is `elo` stronger".
    pub elo: f64,
    /// The chance of calling the weaker player the winner when the gap is
    /// at least `elo` (both error rates; chess testing commonly uses 0.05).
    #[serde(default = "default_error")]
    pub alpha: f64,
    /// The other error rate (defaults to `alpha`'s default).
    #[serde(default = "default_error")]
    pub beta: f64,
}

fn default_error() -> f64 {
    0.05
}

/// Why an `[sprt]` section is unusable.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum SprtError {
    /// The Elo gap.
    #[error("[sprt] elo = {0}: give a positive Elo difference, e.g. elo = 20")]
    Elo(f64),
    /// An error rate.
    #[error("[sprt] {0} = {1}: give an error rate between 0 and 0.5, e.g. 0.05")]
    Rate(&'static str, f64),
}

/// What the test says after some simulations.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    /// Keep playing.
    Continue,
    /// The first player is the stronger: stop.
    First,
    /// The second player is the stronger: stop.
    Second,
}

/// The sequential test of a two-player round.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Sprt {
    /// Log-likelihood ratio gained per net win, `ln(p₁/p₀)`.
    step: f64,
    /// `ln(β/(1-α))`: at or below, the second player is called.
    lower: f64,
    /// `ln((1-β)/α)`: at or above, the first player is called.
    upper: f64,
}

impl Sprt {
    /// The test for `config`, or why it is unusable.
    pub fn new(config: &SprtConfig) -> Result<Self, SprtError> {
        if !(config.elo.is_finite() && config.elo > 0.0) {
            return Err(SprtError::Elo(config.elo));
        }
        for (name, rate) in [("alpha", config.alpha), ("beta", config.beta)] {
            if !(rate > 0.0 && rate < 0.5) {
                return Err(SprtError::Rate(name, rate));
            }
        }
        // Each decisive simulation is won by the first player with
        // probability p; H₀: p = p₀ = 1/(1 + 10^(elo/400)), H₁: p = p₁ =
        // 1 - p₀. The ratio of a win is p₁/p₀ and of a loss p₀/p₁, so the
        // log-likelihood ratio is (W - L) ln(p₁/p₀): the test watches the
        // net wins. Draws and ties are left out, as in a trinomial SPRT with
        // a draw rate that both hypotheses share.
        let p0 = 1.0 / (1.0 + 10f64.powf(config.elo / 400.0));
        let step = ((1.0 - p0) / p0).ln();
        Ok(Self {
            step,
            lower: (config.beta / (1.0 - config.alpha)).ln(),
            upper: ((1.0 - config.beta) / config.alpha).ln(),
        })
    }

    /// The decision after the first player won `wins` and lost `losses`
    /// simulations, with `remaining` of the round's simulations still to
    /// play: it also stops when the remaining ones cannot change who won
    /// more (which needs no statistics).
    pub fn decide(&self, wins: u64, losses: u64, remaining: u64) -> Decision {
        let llr = (wins as f64 - losses as f64) * self.step;
        if llr >= self.upper || wins > losses + remaining {
            Decision::First
        } else if llr <= self.lower || losses > wins + remaining {
            Decision::Second
        } else {
            Decision::Continue
        }
    }

    /// The net wins at which the test stops, `(first, second)`: `W - L >=
    /// first` calls the first player, `W - L <= -second` the second.
    pub fn margins(&self) -> (u64, u64) {
        (
            (self.upper / self.step).ceil() as u64,
            (-self.lower / self.step).ceil() as u64,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand_core::{Rng, SeedableRng};

    #[test]
    fn p_values_match_codeclash() {
        // calculate_p_value on these scores, printed by CodeClash's own
        // significance.py with SciPy 1.x (see docs/ratings.md).
        let cases: [(&[u64], f64); 9] = [
            (&[3634, 456], 0.0),
            (&[510, 490], 0.5479727459234766),
            (&[530, 470], 0.06202319509836343),
            (&[12, 3], 0.03515625),
            (&[5, 5], 1.0),
            (&[40, 35, 20], 0.13775632711039415),
            (&[0, 0], 1.0),
            (&[1, 0], 1.0),
            (&[60, 30, 30, 25], 4.544569068545903e-05),
        ];
        for (wins, want) in cases {
            let got = p_value(wins);
            assert!(
                (got - want).abs() <= 1e-9 * want.max(1e-300) + 1e-300,
                "{wins:?}: {got} vs {want}"
            );
        }
    }

    #[test]
    fn los_by_hand() {
        assert_eq!(likelihood_of_superiority(0, 0), 0.5);
        assert!((likelihood_of_superiority(10, 10) - 0.5).abs() < 1e-7);
        // W - L = 20 over 100 games: z = 2, Φ(2) = 0.977249868.
        assert!((likelihood_of_superiority(60, 40) - 0.977_249_868).abs() < 1e-6);
        assert!((likelihood_of_superiority(40, 60) - 0.022_750_132).abs() < 1e-6);
    }

    #[test]
    fn bad_sections_are_errors() {
        let ok = SprtConfig {
            elo: 20.0,
            alpha: 0.05,
            beta: 0.05,
        };
        assert!(Sprt::new(&ok).is_ok());
        assert_eq!(
            Sprt::new(&SprtConfig { elo: 0.0, ..ok }),
            Err(SprtError::Elo(0.0))
        );
        assert_eq!(
            Sprt::new(&SprtConfig { alpha: 0.5, ..ok }),
            Err(SprtError::Rate("alpha", 0.5))
        );
        assert!(toml::from_str::<SprtConfig>("elo = 20\nalfa = 0.1").is_err());
        let parsed: SprtConfig = toml::from_str("elo = 20").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(parsed, ok);
    }

    #[test]
    fn stops_at_the_stated_margins_and_when_the_count_is_settled() {
        let sprt = Sprt::new(&SprtConfig {
            elo: 20.0,
            alpha: 0.05,
            beta: 0.05,
        })
        .unwrap_or_else(|e| panic!("{e}"));
        // ln(19) / ln(p1/p0) with p0 = 1/(1 + 10^(20/400)): 25.6 -> 26.
        assert_eq!(sprt.margins(), (26, 26));
        assert_eq!(sprt.decide(26, 0, 1000), Decision::First);
        assert_eq!(sprt.decide(100, 75, 1000), Decision::Continue);
        assert_eq!(sprt.decide(100, 74, 1000), Decision::First);
        assert_eq!(sprt.decide(74, 100, 1000), Decision::Second);
        // 5 net wins with 4 to play: settled, whatever the statistics say.
        assert_eq!(sprt.decide(10, 5, 4), Decision::First);
        assert_eq!(sprt.decide(10, 5, 5), Decision::Continue);
    }

    /// Simulated rounds: a player `gap` Elo stronger, decisive games only.
    fn error_rate(sprt: &Sprt, gap: f64, rounds: usize, seed: u64) -> (f64, f64) {
        let p = 1.0 / (1.0 + 10f64.powf(-gap / 400.0));
        let mut rng = rand_pcg::Pcg64::seed_from_u64(seed);
        let (mut wrong, mut played) = (0, 0u64);
        for _ in 0..rounds {
            let (mut w, mut l) = (0, 0);
            loop {
                match sprt.decide(w, l, u64::MAX / 4) {
                    Decision::Continue => {}
                    Decision::First => break,
                    Decision::Second => {
                        wrong += 1;
                        break;
                    }
                }
                let x = (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
                if x < p {
                    w += 1;
                } else {
                    l += 1;
                }
                played += 1;
            }
        }
        (wrong as f64 / rounds as f64, played as f64 / rounds as f64)
    }

    #[test]
    fn error_rates_hold_at_the_stated_gap() {
        let sprt = Sprt::new(&SprtConfig {
            elo: 20.0,
            alpha: 0.05,
            beta: 0.05,
        })
        .unwrap_or_else(|e| panic!("{e}"));
        // At the gap the test is built for, it calls the weaker player the
        // winner at most alpha of the time (Wald's bound; the discrete walk
        // overshoots the boundary, so it errs a little less).
        let (wrong, mean) = error_rate(&sprt, 20.0, 4000, 1);
        assert!(wrong <= 0.05 + 0.01, "{wrong}");
        assert!(wrong > 0.02, "{wrong}");
        // Far bigger gaps end quickly and almost never err.
        let (wrong, short) = error_rate(&sprt, 200.0, 2000, 2);
        assert!(
            wrong < 0.001 && short < mean / 4.0,
            "{wrong} {short} {mean}"
        );
    }

    #[test]
    fn the_tournament_key_is_off_by_default_and_checked() {
        use crate::config::TournamentConfig;
        let two = "name = \"t\"\ngame = \"corewar\"\nrounds = 1\nsims = 10\nseed = 1\n\
                   [[players]]\nname = \"a\"\ncodebase = \"a.red\"\n\
                   [[players]]\nname = \"b\"\ncodebase = \"b.red\"\n";
        let parse = |text: &str| TournamentConfig::parse(text);
        assert_eq!(parse(two).map(|c| c.sprt).ok(), Some(None));
        let on = format!("{two}[sprt]\nelo = 20\nalpha = 0.01\n");
        let sprt = parse(&on).map(|c| c.sprt).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            sprt,
            Some(SprtConfig {
                elo: 20.0,
                alpha: 0.01,
                beta: 0.05
            })
        );
        let err = parse(&format!("{two}[sprt]\nelo = -5\n")).map(|_| ());
        assert!(
            err.as_ref()
                .is_err_and(|e| e.to_string().contains("positive Elo")),
            "{err:?}"
        );
        let three =
            format!("{two}[[players]]\nname = \"c\"\ncodebase = \"c.red\"\n[sprt]\nelo = 20\n");
        let err = parse(&three).map(|_| ());
        assert!(
            err.as_ref()
                .is_err_and(|e| e.to_string().contains("two players")),
            "{err:?}"
        );
    }
}
