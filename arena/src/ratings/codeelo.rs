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
}
