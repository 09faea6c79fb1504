//! CodeClash's leaderboard method exactly (`codeclash/analysis/metrics/elo.py`
//! run as its command line runs it), so that a benchmark runner can publish
//! a table made the way CodeClash made its own:
//!
//! - Only two-player tournaments count; others are skipped.
//! - Each tournament is one result (`per_tournament_boolean_drop_draws`):
//!   over rounds 1 to 15 (round 0, the unchanged starting codebases, is
//!   left out), whoever won more rounds wins it; a tie on rounds goes to
//!   whoever won the last round that had a winner; a tournament with no
//!   such round is undecided and adds nothing.
//! - Bradley-Terry over those results ([`super::bradley_terry`]): strengths
//!   summing to zero, L2 penalty 0.01, Elo `1200 + 400/ln 10 · s`, Hessian
//!   standard deviations.

use thiserror::Error;

use super::bradley_terry::{self, BradleyTerryError, Config, Draws, Fit, PairResults};

/// One tournament's players and round winners.
#[derive(Clone, Debug, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
pub struct Tournament {
    /// Its players.
    pub players: Vec<String>,
    /// Who won each round, from round 0; `None` for a tied round.
    pub rounds: Vec<Option<String>>,
}

/// Which rounds count (CodeClash's `ScoreMatrixBuilder` arguments).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Scoring {
    /// The last round that counts (CodeClash: 15).
    pub max_round: usize,
    /// Whether round 0 counts (CodeClash: only for ladder construction).
    pub include_round_0: bool,
}

impl Default for Scoring {
    fn default() -> Self {
        Self {
            max_round: 15,
            include_round_0: false,
        }
    }
}

/// What one tournament contributes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// One decisive result: the winner's and loser's index in `players`.
    Won {
        /// The winner.
        winner: usize,
        /// The loser.
        loser: usize,
    },
    /// Tied on rounds with no decisive round to break the tie: dropped.
    Undecided,
    /// Not two players: CodeClash leaves it out.
    Skipped,
}

/// Why tournaments cannot be scored.
#[derive(Debug, Error, PartialEq)]
pub enum CodeClashError {
    /// A round won by someone who did not play.
    #[error(
        "tournament {tournament}: round {round} was won by {winner:?}, who is not one of its players {players:?}"
    )]
    UnknownWinner {
        /// Index of the tournament in the input.
        tournament: usize,
        /// The round.
        round: usize,
        /// The named winner.
        winner: String,
        /// The players.
        players: Vec<String>,
    },
    /// A tournament with the same player twice.
    #[error("tournament {tournament}: {player} plays itself")]
    SelfPlay {
        /// Index of the tournament in the input.
        tournament: usize,
        /// The player.
        player: String,
    },
    /// The fit failed.
    #[error(transparent)]
    Fit(#[from] BradleyTerryError),
}

/// The one result CodeClash takes from tournament `index` of a list.
pub fn score(index: usize, t: &Tournament, scoring: &Scoring) -> Result<Outcome, CodeClashError> {
    if t.players.len() != 2 {
        return Ok(Outcome::Skipped);
    }
    if t.players[0] == t.players[1] {
        return Err(CodeClashError::SelfPlay {
            tournament: index,
            player: t.players[0].clone(),
        });
    }
    let first = usize::from(!scoring.include_round_0);
    // Each counted round: Some(0) or Some(1) for its winner, None if tied.
    let mut counted: Vec<Option<usize>> = Vec::new();
    for (round, winner) in t.rounds.iter().enumerate() {
        let who = match winner {
            None => None,
            Some(w) => Some(t.players.iter().position(|p| p == w).ok_or_else(|| {
                CodeClashError::UnknownWinner {
                    tournament: index,
                    round,
                    winner: w.clone(),
                    players: t.players.clone(),
                }
            })?),
        };
        if (first..=scoring.max_round).contains(&round) {
            counted.push(who);
        }
    }
    let wins = |k: usize| counted.iter().filter(|w| **w == Some(k)).count();
    let winner = match wins(0).cmp(&wins(1)) {
        std::cmp::Ordering::Greater => 0,
        std::cmp::Ordering::Less => 1,
        std::cmp::Ordering::Equal => match counted.iter().rev().find_map(|w| *w) {
            Some(w) => w,
            None => return Ok(Outcome::Undecided),
        },
    };
    Ok(Outcome::Won {
        winner,
        loser: 1 - winner,
    })
}

/// The win matrix of a list of tournaments, and how many of them counted.
#[derive(Clone, Debug, PartialEq)]
pub struct WinMatrix {
    /// Wins per pair of players that met in a two-player tournament (a
    /// pair whose tournaments were all undecided is kept with no games, as
    /// CodeClash keeps it, so its players appear in the fit at 1200).
    pub pairs: Vec<PairResults>,
    /// Tournaments with one decisive result.
    pub decided: usize,
    /// Tournaments tied with no decisive round.
    pub undecided: usize,
    /// Tournaments without exactly two players.
    pub skipped: usize,
}

/// Scores every tournament and sums the results per pair (pairs by name,
/// the smaller name as `a`).
pub fn win_matrix(
    tournaments: &[Tournament],
    scoring: &Scoring,
) -> Result<WinMatrix, CodeClashError> {
    let mut pairs: std::collections::BTreeMap<(String, String), (u64, u64)> = Default::default();
    let (mut decided, mut undecided, mut skipped) = (0, 0, 0);
    for (index, t) in tournaments.iter().enumerate() {
        let outcome = score(index, t, scoring)?;
        if outcome == Outcome::Skipped {
            skipped += 1;
            continue;
        }
        let (p, q) = (&t.players[0], &t.players[1]);
        let key = if p < q {
            (p.clone(), q.clone())
        } else {
            (q.clone(), p.clone())
        };
        let entry = pairs.entry(key.clone()).or_default();
        match outcome {
            Outcome::Won { winner, .. } => {
                decided += 1;
                if t.players[winner] == key.0 {
                    entry.0 += 1;
                } else {
                    entry.1 += 1;
                }
            }
            _ => undecided += 1,
        }
    }
    Ok(WinMatrix {
        pairs: pairs
            .into_iter()
            .map(|((a, b), (a_wins, b_wins))| PairResults {
                a,
                b,
                a_wins,
                b_wins,
                draws: 0,
            })
            .collect(),
        decided,
        undecided,
        skipped,
    })
}

/// CodeClash's penalty λ.
pub const PENALTY: f64 = 0.01;

/// The leaderboard CodeClash would publish for these tournaments: the win
/// matrix and the Bradley-Terry fit (Hessian intervals; no bootstrap).
pub fn leaderboard(
    tournaments: &[Tournament],
    scoring: &Scoring,
) -> Result<(WinMatrix, Fit), CodeClashError> {
    let matrix = win_matrix(tournaments, scoring)?;
    let config = Config {
        penalty: PENALTY,
        draws: Draws::Drop,
        bootstrap: 0,
        seed: 0,
    };
    let fit = bradley_terry::fit(&matrix.pairs, &config)?;
    Ok((matrix, fit))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(players: &[&str], rounds: &[Option<&str>]) -> Tournament {
        Tournament {
            players: players.iter().map(|p| p.to_string()).collect(),
            rounds: rounds.iter().map(|r| r.map(str::to_string)).collect(),
        }
    }

    fn outcome(players: &[&str], rounds: &[Option<&str>]) -> Outcome {
        score(0, &t(players, rounds), &Scoring::default()).unwrap_or_else(|e| panic!("{e}"))
    }

    const A: Option<&str> = Some("a");
    const B: Option<&str> = Some("b");

    #[test]
    fn more_rounds_won_wins() {
        assert_eq!(
            outcome(&["a", "b"], &[None, A, B, A]),
            Outcome::Won {
                winner: 0,
                loser: 1
            }
        );
    }

    #[test]
    fn round_0_is_left_out_and_the_last_decisive_round_breaks_ties() {
        // b won round 0; then one each, b last among decisive rounds.
        assert_eq!(
            outcome(&["a", "b"], &[B, A, B, None]),
            Outcome::Won {
                winner: 1,
                loser: 0
            }
        );
        assert_eq!(outcome(&["a", "b"], &[A, None, None]), Outcome::Undecided);
        let with_0 = Scoring {
            include_round_0: true,
            ..Scoring::default()
        };
        assert_eq!(
            score(0, &t(&["a", "b"], &[A, None, None]), &with_0),
            Ok(Outcome::Won {
                winner: 0,
                loser: 1
            })
        );
    }

    #[test]
    fn rounds_past_15_do_not_count() {
        let mut rounds = vec![None];
        rounds.extend([A; 7]);
        rounds.extend([B; 13]);
        // b's wins in rounds 16-20 would decide it; through 15: 7 to 8.
        assert_eq!(
            outcome(&["a", "b"], &rounds),
            Outcome::Won {
                winner: 1,
                loser: 0
            }
        );
        let mut rounds = vec![None];
        rounds.extend([A; 8]);
        rounds.extend([B; 12]);
        assert_eq!(
            outcome(&["a", "b"], &rounds),
            Outcome::Won {
                winner: 0,
                loser: 1
            }
        );
    }

    #[test]
    fn three_players_are_skipped_and_strangers_are_errors() {
        assert_eq!(outcome(&["a", "b", "c"], &[A, A]), Outcome::Skipped);
        assert!(matches!(
            score(3, &t(&["a", "b"], &[None, Some("z")]), &Scoring::default()),
            Err(CodeClashError::UnknownWinner {
                tournament: 3,
                round: 1,
                ..
            })
        ));
        assert!(matches!(
            score(0, &t(&["a", "a"], &[]), &Scoring::default()),
            Err(CodeClashError::SelfPlay { .. })
        ));
    }

    /// `tests/data/codeclash_leaderboard/`: one game's expected output.
    #[derive(serde::Deserialize)]
    struct Expected {
        wins: Vec<(String, String, f64, f64)>,
        players: Vec<String>,
        elo: Vec<f64>,
        elo_std: Vec<f64>,
    }

    /// One input tournament of the fixture.
    #[derive(serde::Deserialize)]
    struct Input {
        game: String,
        #[serde(flatten)]
        tournament: Tournament,
    }

    #[test]
    fn matches_codeclash_elo_py() {
        let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../tests/data/codeclash_leaderboard");
        let read = |name: &str| {
            let path = dir.join(name);
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        };
        let inputs: Vec<Input> =
            serde_json::from_str(&read("tournaments.json")).unwrap_or_else(|e| panic!("{e}"));
        let expected: std::collections::BTreeMap<String, Expected> =
            serde_json::from_str(&read("expected.json")).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(expected.len(), 2);
        let mut worst: f64 = 0.0;
        for (game, want) in &expected {
            let ts: Vec<Tournament> = inputs
                .iter()
                .filter(|i| &i.game == game)
                .map(|i| i.tournament.clone())
                .collect();
            let (matrix, fit) =
                leaderboard(&ts, &Scoring::default()).unwrap_or_else(|e| panic!("{game}: {e}"));
            let ours: Vec<(String, String, f64, f64)> = matrix
                .pairs
                .iter()
                .map(|p| (p.a.clone(), p.b.clone(), p.a_wins as f64, p.b_wins as f64))
                .collect();
            assert_eq!(ours, want.wins, "{game}");
            assert_eq!(matrix.skipped, 1, "{game}");
            assert_eq!(fit.players.len(), want.players.len(), "{game}");
            for (i, name) in want.players.iter().enumerate() {
                let p = fit
                    .players
                    .iter()
                    .find(|p| &p.name == name)
                    .unwrap_or_else(|| panic!("{game}: no {name}"));
                let std = p.elo_std.unwrap_or(f64::NAN);
                worst = worst
                    .max((p.elo - want.elo[i]).abs())
                    .max((std - want.elo_std[i]).abs());
                assert!(
                    (p.elo - want.elo[i]).abs() < TOLERANCE,
                    "{game} {name}: {} vs {}",
                    p.elo,
                    want.elo[i]
                );
                assert!(
                    (std - want.elo_std[i]).abs() < TOLERANCE,
                    "{game} {name}: std {std} vs {}",
                    want.elo_std[i]
                );
            }
        }
        eprintln!("largest difference from CodeClash: {worst:.6} Elo");
    }

    /// Elo points: SciPy's SLSQP stops at ftol 1e-9, short of the optimum
    /// Newton's method reaches (measured: 0.003 at most).
    const TOLERANCE: f64 = 0.01;
}
