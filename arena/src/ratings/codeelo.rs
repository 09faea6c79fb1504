//! CodeElo's performance rating (QwenLM/CodeElo, `calc_rating.py`): the
//! rating at which an entrant's expected rank among a contest's rated field
//! equals the rank it took, so that an agent's standing in a round can be
//! read on the Codeforces scale.
//!
//! Faithful to the reference in the places where it is idiosyncratic,
//! because the point is to be comparable with CodeElo's published numbers:
//!
//! - The rank `m` is the 0-based index of the first standings row strictly
//!   worse than the entrant (fewer points, or equal points and more
//!   penalty), so rows tied with the entrant count as ahead of it.
//! - The rating is the largest integer `r` in `[0, max_rating + 100)` with
//!   `1 + Σ_i 1/(1 + 10^((r - r_i)/400)) >= m`, over the field's ratings
//!   before the contest, found by the reference's binary search (which
//!   returns 0 when even 0 falls short, and `max_rating + 99` when the
//!   entrant beat everyone). `max_rating` is at least 0.
//! - Over several contests, the rating is the mean of the per-contest ones.
//!
//! CodeElo enters a model into a contest it is not part of, against
//! thousands of rated humans. An arena round has no outside field: its
//! entrants are the whole contest. [`round_performances`] therefore rates
//! every entrant against the same field, the round's entrants themselves
//! (each with its rating before the round), which makes the rating
//! monotone in the standings; leaving each entrant out of its own field,
//! as a literal port would, inverts winners and losers in small fields
//! (see `docs/ratings.md`).

/// The reference's rank of an entrant that scored `points` with `penalty`
/// against the rated field's `standings` (rows of `(points, penalty)` in
/// standings order, best first): the index of the first row strictly worse
/// than the entrant, or the number of rows if none is.
pub fn rank_in_standings(standings: &[(f64, f64)], points: f64, penalty: f64) -> usize {
    standings
        .iter()
        .position(|&(p, q)| p < points || (p == points && q > penalty))
        .unwrap_or(standings.len())
}

/// The performance rating of an entrant of rank `rank` (as
/// [`rank_in_standings`] counts it) against a field rated `field` before the
/// contest.
pub fn performance_rating(field: &[f64], rank: usize) -> i64 {
    let max_rating = field.iter().copied().fold(0.0_f64, f64::max);
    let rank = rank as f64;
    // The reference keeps `r` as the float `max_rating + 100` until it is
    // first replaced by a midpoint; `mid` is always `int((l + r) / 2)`.
    let mut low: i64 = 0;
    let mut high: f64 = max_rating + 100.0;
    while high - low as f64 > 1.0 {
        let mid = ((low as f64 + high) / 2.0).trunc() as i64;
        if expected_rank(field, mid as f64) < rank {
            high = mid as f64;
        } else {
            low = mid;
        }
    }
    low
}

/// The rank a player rated `rating` is expected to take against `field`:
/// 1 + the chance each of them beats it, summed in field order as the
/// reference sums it.
pub fn expected_rank(field: &[f64], rating: f64) -> f64 {
    let mut seed = 1.0;
    for &r in field {
        seed += 1.0 / (1.0 + 10f64.powf((rating - r) / 400.0));
    }
    seed
}

/// The rating over several contests: the mean of the per-contest
/// performance ratings (none for no contest).
pub fn mean_rating(performances: &[i64]) -> Option<f64> {
    if performances.is_empty() {
        return None;
    }
    Some(performances.iter().map(|&p| p as f64).sum::<f64>() / performances.len() as f64)
}

/// One entrant of a contest for [`round_performances`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Entrant {
    /// Its rating before the contest.
    pub rating: f64,
    /// Its score (more is better).
    pub points: f64,
    /// Its penalty (less is better at equal points).
    pub penalty: f64,
}

/// Every entrant's performance rating in a contest whose entrants are the
/// whole rated field, in input order.
///
/// The field is every entrant, the rated one included, in standings order;
/// each entrant's rank is [`rank_in_standings`] in it (so its own row, tied
/// with itself, counts as ahead of it, as tied rows do in the reference),
/// and its rating is [`performance_rating`]. Every entrant faces the same
/// field and the rating does not increase with the rank, so an entrant
/// placed above another never rates lower than it. Where the field is a
/// large rated pool, one more row changes the reference's value by a few
/// points at most (the property tests bound it).
pub fn round_performances(entrants: &[Entrant]) -> Vec<i64> {
    let mut order: Vec<&Entrant> = entrants.iter().collect();
    order.sort_by(|a, b| {
        b.points
            .total_cmp(&a.points)
            .then(a.penalty.total_cmp(&b.penalty))
    });
    let standings: Vec<(f64, f64)> = order.iter().map(|e| (e.points, e.penalty)).collect();
    let field: Vec<f64> = order.iter().map(|e| e.rating).collect();
    entrants
        .iter()
        .map(|e| performance_rating(&field, rank_in_standings(&standings, e.points, e.penalty)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ties_count_as_ahead() {
        let standings = [(30.0, 5.0), (20.0, 3.0), (20.0, 7.0), (10.0, 0.0)];
        assert_eq!(rank_in_standings(&standings, 40.0, 0.0), 0);
        assert_eq!(rank_in_standings(&standings, 20.0, 3.0), 2);
        assert_eq!(rank_in_standings(&standings, 20.0, 5.0), 2);
        assert_eq!(rank_in_standings(&standings, 20.0, 7.0), 3);
        assert_eq!(rank_in_standings(&standings, 0.0, 0.0), 4);
    }

    #[test]
    fn hand_computed_fields() {
        // Two rated 1500: expected rank at r is 1 + 2/(1 + 10^((r-1500)/400)).
        let field = [1500.0, 1500.0];
        // Rank 2 (one ahead): 2/(1+x) >= 1 holds up to x = 1, r = 1500.
        assert_eq!(performance_rating(&field, 2), 1500);
        // Rank 3 (both ahead): at r = 0, 1 + 2/(1 + 10^(-3.75)) = 2.99964 < 3,
        // so no rating in range reaches it and the search returns 0.
        assert_eq!(performance_rating(&field, 3), 0);
        // Rank 1 (or 0): every rating reaches it: the top of the range.
        assert_eq!(performance_rating(&field, 1), 1599);
        assert_eq!(performance_rating(&field, 0), 1599);
        assert_eq!(performance_rating(&[2000.0], 1), 2099);
        // Two rated 2000, rank 2: 2/(1 + 10^((r-2000)/400)) >= 1 up to r = 2000.
        assert_eq!(performance_rating(&[2000.0, 2000.0], 2), 2000);
        assert_eq!(performance_rating(&[2000.0, 2000.0], 3), 0);
    }

    #[test]
    fn negative_ratings_floor_the_range_at_zero() {
        assert_eq!(performance_rating(&[-50.0, -20.0], 1), 99);
    }

    #[test]
    fn mean() {
        assert_eq!(mean_rating(&[]), None);
        assert_eq!(mean_rating(&[1000, 1500, 2300]), Some(1600.0));
    }

    #[test]
    fn two_entrants_do_not_invert() {
        // The case: the winner rated 1589 before the round, the
        // loser 1966. Leaving each out of its own field gives the winner
        // 1589 + 99 and the loser 1966 + 99.
        let leave_one_out = [
            performance_rating(&[1966.0], rank_in_standings(&[(1.0, 0.0)], 9.0, 0.0)),
            performance_rating(&[1589.0], rank_in_standings(&[(9.0, 0.0)], 1.0, 0.0)),
        ];
        assert_eq!(leave_one_out, [2065, 1688]);
        let round = round_performances(&[
            Entrant {
                rating: 1589.0,
                points: 9.0,
                penalty: 0.0,
            },
            Entrant {
                rating: 1966.0,
                points: 1.0,
                penalty: 0.0,
            },
        ]);
        // Winner: top of the range, 1966 + 99. Loser: expected rank 2 among
        // {1589, 1966}: 1/(1 + 10^((r-1589)/400)) + 1/(1 + 10^((r-1966)/400)) = 1
        // at r = 1777.5 by symmetry.
        assert_eq!(round, [2065, 1777]);
    }

    #[test]
    fn tied_entrants_rate_alike() {
        let e = |rating, points| Entrant {
            rating,
            points,
            penalty: 0.0,
        };
        let round = round_performances(&[e(1400.0, 5.0), e(1700.0, 5.0), e(1500.0, 2.0)]);
        assert_eq!(round[0], round[1]);
        assert!(round[2] < round[0]);
    }

    use proptest::prelude::*;

    /// A contest: `(rating, points)` per entrant.
    fn contest(sizes: std::ops::Range<usize>) -> impl Strategy<Value = Vec<(f64, f64)>> {
        prop::collection::vec((0.0..3500.0f64, 0u32..20), sizes).prop_map(|v| {
            v.into_iter()
                .map(|(r, p)| (r.round(), f64::from(p)))
                .collect()
        })
    }

    fn entrants(c: &[(f64, f64)]) -> Vec<Entrant> {
        c.iter()
            .map(|&(rating, points)| Entrant {
                rating,
                points,
                penalty: 0.0,
            })
            .collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        /// An entrant placed above another never gets a lower performance.
        #[test]
        fn monotone_in_the_standings(c in contest(2..12)) {
            let perf = round_performances(&entrants(&c));
            for i in 0..c.len() {
                for j in 0..c.len() {
                    if c[i].1 > c[j].1 {
                        prop_assert!(perf[i] >= perf[j], "{c:?}: {perf:?}");
                    }
                }
            }
        }

        /// Over several rounds: above in every round, never lower on average.
        #[test]
        fn monotone_over_rounds(rounds in prop::collection::vec(contest(3..8), 1..6)) {
            // Entrant 0 and 1 of every round are the same two players; make
            // player 0 place strictly above player 1 in each.
            let mut sums = [0i64; 2];
            for mut c in rounds {
                if c[0].1 <= c[1].1 {
                    c[0].1 = c[1].1 + 1.0;
                }
                let perf = round_performances(&entrants(&c));
                sums[0] += perf[0];
                sums[1] += perf[1];
            }
            prop_assert!(sums[0] >= sums[1]);
        }

        /// In a large rated field, counting the entrant as one of the field
        /// moves the reference's rating by a few points, except at the very
        /// top, where the reference caps both at the field's best + 99.
        #[test]
        fn agrees_with_the_reference_on_large_fields(
            field in prop::collection::vec((0.0..3500.0f64, 0u32..60), 200..400),
            me in (0.0..3500.0f64, 0u32..60),
        ) {
            let mut rows: Vec<(f64, f64)> =
                field.iter().map(|&(r, p)| (r.round(), f64::from(p))).collect();
            rows.sort_by(|a, b| b.1.total_cmp(&a.1));
            let standings: Vec<(f64, f64)> = rows.iter().map(|r| (r.1, 0.0)).collect();
            let ratings: Vec<f64> = rows.iter().map(|r| r.0).collect();
            let (rating, points) = (me.0.round(), f64::from(me.1));
            let reference = performance_rating(&ratings, rank_in_standings(&standings, points, 0.0));
            rows.push((rating, points));
            let ours = round_performances(&entrants(&rows))[rows.len() - 1];
            // The reference's search stops at the field's best + 99 (the
            // entrant not counted): a reference at that cap says nothing,
            // and within a few hundred points of it the cap pulls it down.
            let cap = ratings.iter().copied().fold(0.0_f64, f64::max) as i64 + 99;
            prop_assume!(reference < cap);
            let allowed = if reference + NEAR_CAP >= cap { AGREEMENT_NEAR_CAP } else { AGREEMENT };
            let diff = (ours - reference).abs();
            prop_assert!(diff <= allowed, "ours {ours}, reference {reference}, cap {cap}");
        }
    }

    /// The largest difference the large-field property allows, in rating
    /// points, away from the reference's cap and near it.
    const AGREEMENT: i64 = 40;
    const AGREEMENT_NEAR_CAP: i64 = 80;
    const NEAR_CAP: i64 = 200;
}
