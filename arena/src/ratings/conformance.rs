//! The Codeforces algorithm against official rating changes of three real
//! contests (`tests/data/codeforces/*.json`: rows of
//! `[handle, points, penalty, oldRating, officialDelta]`, public contest
//! data), every row of them.

use std::path::{Path, PathBuf};

use super::codeforces::{Contestant, rate_contest};

/// The fixture files, sorted.
fn fixtures() -> Vec<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/data/codeforces");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    assert_eq!(files.len(), 3, "expected 3 contests in {}", dir.display());
    files
}

/// Reads a fixture: the contestants and the official deltas.
fn read(path: &Path) -> (Vec<Contestant>, Vec<i32>) {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let rows: Vec<(String, f64, f64, i32, i32)> =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    rows.into_iter()
        .map(|(handle, points, penalty, rating, delta)| {
            let c = Contestant {
                handle,
                points,
                penalty,
                rating,
            };
            (c, delta)
        })
        .unzip()
}

#[test]
fn codeforces_reproduces_every_official_delta() {
    let (mut rows, mut wrong) = (0, 0);
    let mut report = String::new();
    for path in fixtures() {
        let (contestants, official) = read(&path);
        let changes = rate_contest(&contestants).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(changes.len(), official.len());
        let differ: Vec<String> = changes
            .iter()
            .zip(&official)
            .filter(|(c, o)| c.delta != **o)
            .map(|(c, o)| {
                format!(
                    "{} (old {}): ours {}, official {o}",
                    c.handle, c.old, c.delta
                )
            })
            .collect();
        report += &format!(
            "{}: {} rows, {} differ\n",
            path.display(),
            changes.len(),
            differ.len()
        );
        for d in differ.iter().take(5) {
            report += &format!("  {d}\n");
        }
        rows += changes.len();
        wrong += differ.len();
    }
    assert_eq!(wrong, 0, "{report}");
    assert_eq!(rows, 7420 + 10630 + 11937, "{report}");
}

/// One entrant of `tests/data/codeelo/reference.json` (see its README).
#[derive(serde::Deserialize)]
struct CodeEloCase {
    /// Which synthetic contest.
    contest: u32,
    /// The entrant's score.
    points: f64,
    /// The entrant's penalty.
    penalty: f64,
    /// The reference's rank.
    rank: usize,
    /// The reference's performance rating.
    rating: i64,
    /// `[points, penalty, oldRating]` rows on the contest's first entrant.
    field: Option<Vec<(f64, f64, f64)>>,
}

#[test]
fn codeelo_matches_the_reference_script() {
    use super::codeelo::{performance_rating, rank_in_standings};
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/data/codeelo/reference.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let cases: Vec<CodeEloCase> = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(cases.len(), 60);
    let mut fields = std::collections::HashMap::new();
    for case in &cases {
        if let Some(field) = &case.field {
            fields.insert(case.contest, field.clone());
        }
        let field = &fields[&case.contest];
        let standings: Vec<(f64, f64)> = field.iter().map(|&(p, q, _)| (p, q)).collect();
        let ratings: Vec<f64> = field.iter().map(|&(_, _, r)| r).collect();
        let rank = rank_in_standings(&standings, case.points, case.penalty);
        assert_eq!(
            rank, case.rank,
            "contest {} score {}",
            case.contest, case.points
        );
        assert_eq!(
            performance_rating(&ratings, rank),
            case.rating,
            "contest {}",
            case.contest
        );
    }
}

#[test]
fn codeelo_round_performance_stays_near_the_reference_on_its_fields() {
    // Each of the 60 entrants counted as one more row of its contest's
    // field, rated at the reference's value: the arena's rule (the entrant
    // is part of the field) against the reference's (it is not).
    use super::codeelo::{Entrant, round_performances};
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/data/codeelo/reference.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let cases: Vec<CodeEloCase> = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}"));
    let mut fields = std::collections::HashMap::new();
    let mut worst = 0;
    for case in &cases {
        if let Some(field) = &case.field {
            fields.insert(case.contest, field.clone());
        }
        let mut entrants: Vec<Entrant> = fields[&case.contest]
            .iter()
            .map(|&(points, penalty, rating)| Entrant {
                rating,
                points,
                penalty,
            })
            .collect();
        entrants.push(Entrant {
            rating: case.rating as f64,
            points: case.points,
            penalty: case.penalty,
        });
        let ours = round_performances(&entrants)[entrants.len() - 1];
        // One more row ahead (itself) and less than one more expected:
        // never above the reference.
        assert!(
            ours <= case.rating,
            "contest {}: {ours} vs {}",
            case.contest,
            case.rating
        );
        worst = worst.max(case.rating - ours);
    }
    // Measured: 2 to 17 points below.
    assert!(worst <= 20, "{worst}");
}

/// One fit of `tests/data/bradley_terry/codeclash.json` (see its README).
#[derive(serde::Deserialize)]
struct BradleyTerryCase {
    /// The results.
    results: Vec<super::bradley_terry::PairResults>,
    /// λ.
    penalty: f64,
    /// `"half"` or `"drop"`.
    draws: String,
    /// Player names, sorted.
    players: Vec<String>,
    /// CodeClash's Elo per player.
    elo: Vec<f64>,
    /// CodeClash's Hessian standard deviation per player.
    elo_std: Vec<f64>,
}

#[test]
fn bradley_terry_matches_codeclash() {
    use super::bradley_terry::{Config, Draws, fit};
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/data/bradley_terry/codeclash.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let cases: Vec<BradleyTerryCase> =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(cases.len(), 8);
    for (k, case) in cases.iter().enumerate() {
        let config = Config {
            penalty: case.penalty,
            draws: if case.draws == "drop" {
                Draws::Drop
            } else {
                Draws::Half
            },
            ..Config::default()
        };
        let ours = fit(&case.results, &config).unwrap_or_else(|e| panic!("case {k}: {e}"));
        for (i, name) in case.players.iter().enumerate() {
            let p = ours
                .players
                .iter()
                .find(|p| &p.name == name)
                .unwrap_or_else(|| panic!("case {k}: no {name}"));
            // SciPy's SLSQP stops at ftol 1e-9, a few thousandths of an Elo point away.
            assert!(
                (p.elo - case.elo[i]).abs() < 0.01,
                "case {k} {name}: {} vs {}",
                p.elo,
                case.elo[i]
            );
            let std = p.elo_std.unwrap_or(f64::NAN);
            assert!(
                (std - case.elo_std[i]).abs() < 0.01,
                "case {k} {name}: std {std} vs {}",
                case.elo_std[i]
            );
        }
    }
}
