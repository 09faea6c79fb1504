//! Codeforces' rating algorithm, as Mike Mirzayanov published it in 2015
//! ("Open Codeforces Rating System", blog entry 20762), reproducing the
//! official rating changes to the point.
//!
//! One contest at a time: every contestant's *seed* is the rank the Elo
//! model expects from its rating against everyone else; the rating it
//! *needs* is the one whose expected rank is the geometric mean of that seed
//! and its actual place; the raw change is half the way there. Two
//! corrections then keep the pool from inflating: everyone gives up the
//! average gain plus one, and the strongest `4·√n` give up whatever they
//! still gain on average (up to 10 points).
//!
//! Exactness hangs on details that are easy to get subtly wrong, each
//! checked against three real contests (`tests/data/codeforces/`, every row):
//! integer arithmetic truncating toward zero as Java's does, the place of a
//! tie being the *last* rank among the tied, the needed rating searched over
//! integers in `[1, 8000)` with the expected rank counting every contestant
//! *but the one being rated* (Mirzayanov's 2015 code counted it too, which
//! is off by a point or so for most rows and by up to 19 at the top; the
//! later implementations such as carrot's leave it out, and so do the
//! official changes), and the "strongest" being taken by rating with ties
//! kept in standings order.
//!
//! Speed: the naive seed computation is O(n²) Elo probabilities. Ratings are
//! integers, so every probability is a table lookup by rating difference and
//! every sum runs over the distinct ratings (weighted by how many hold each)
//! instead of over contestants; the expected rank at a candidate rating is
//! memoised, since the binary searches of thousands of contestants probe
//! the same few hundred ratings.

use std::cmp::Ordering;

use thiserror::Error;

/// The lowest rating the needed-rating search can return (Codeforces' bound).
const SEARCH_LOW: i32 = 1;
/// One past the highest rating the needed-rating search can return.
const SEARCH_HIGH: i32 = 8000;

/// One line of a contest's standings.
#[derive(Clone, Debug, PartialEq)]
pub struct Contestant {
    /// Who this is; carried through to the result.
    pub handle: String,
    /// Points scored: more is better.
    pub points: f64,
    /// Penalty among equal points: less is better.
    pub penalty: f64,
    /// Rating before the contest (1500 for a newcomer, as Codeforces showed
    /// newcomers until 2020).
    pub rating: i32,
}

/// What the contest did to one contestant's rating.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct RatingChange {
    /// The contestant's handle.
    pub handle: String,
    /// Rating before the contest.
    pub old: i32,
    /// Rating after the contest.
    pub new: i32,
    /// `new - old`.
    pub delta: i32,
}

/// Why a contest cannot be rated.
#[derive(Debug, Error, PartialEq)]
pub enum CodeforcesError {
    /// Ratings and places were given for different numbers of contestants.
    #[error("{ratings} ratings but {places} places; give one of each per contestant")]
    LengthMismatch {
        /// How many ratings were given.
        ratings: usize,
        /// How many places were given.
        places: usize,
    },
    /// A place outside `1..=n`.
    #[error("contestant {index}: place {place} is outside 1..={n}")]
    BadPlace {
        /// The contestant's index in the input.
        index: usize,
        /// The place given.
        place: usize,
        /// How many contestants there are.
        n: usize,
    },
    /// Points or penalty that cannot be ordered.
    #[error("contestant {index} ({handle}): points and penalty must be finite numbers")]
    NotFinite {
        /// The contestant's index in the input.
        index: usize,
        /// Its handle.
        handle: String,
    },
}

/// Rates one contest from its standings: the result is in input order.
///
/// Rows are ranked by points (more first), then penalty (less first); rows
/// equal in both share the place of the last of them.
pub fn rate_contest(contestants: &[Contestant]) -> Result<Vec<RatingChange>, CodeforcesError> {
    for (index, c) in contestants.iter().enumerate() {
        if !c.points.is_finite() || !c.penalty.is_finite() {
            return Err(CodeforcesError::NotFinite {
                index,
                handle: c.handle.clone(),
            });
        }
    }
    let standings: Vec<(f64, f64)> = contestants.iter().map(|c| (c.points, c.penalty)).collect();
    let places = places(&standings);
    let ratings: Vec<i32> = contestants.iter().map(|c| c.rating).collect();
    let deltas = deltas(&ratings, &places)?;
    Ok(contestants
        .iter()
        .zip(deltas)
        .map(|(c, delta)| RatingChange {
            handle: c.handle.clone(),
            old: c.rating,
            new: c.rating + delta,
            delta,
        })
        .collect())
}

/// The 1-based place of each `(points, penalty)` row, in input order: more
/// points first, then less penalty; tied rows share the place of the last
/// of them (two contestants tied for first are both 2nd), as Codeforces
/// ranks for rating.
pub fn places(standings: &[(f64, f64)]) -> Vec<usize> {
    let order = standings_order(standings.len(), |a, b| {
        let (pa, qa) = standings[a];
        let (pb, qb) = standings[b];
        pb.total_cmp(&pa).then(qa.total_cmp(&qb))
    });
    let mut places = vec![0; standings.len()];
    let mut end = order.len();
    while end > 0 {
        let last = standings[order[end - 1]];
        let mut start = end - 1;
        while start > 0 && standings[order[start - 1]] == last {
            start -= 1;
        }
        for &i in &order[start..end] {
            places[i] = end;
        }
        end = start;
    }
    places
}

/// Indices `0..n` stably sorted by `cmp`.
fn standings_order(n: usize, cmp: impl Fn(usize, usize) -> Ordering) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| cmp(a, b));
    order
}

/// The rating change of each contestant, in input order, from ratings
/// before the contest and 1-based places (ties share the last place of the
/// tied block, see [`places`]).
pub fn deltas(ratings: &[i32], places: &[usize]) -> Result<Vec<i32>, CodeforcesError> {
    let n = ratings.len();
    if places.len() != n {
        return Err(CodeforcesError::LengthMismatch {
            ratings: n,
            places: places.len(),
        });
    }
    if let Some((index, &place)) = places
        .iter()
        .enumerate()
        .find(|(_, p)| !(1..=n).contains(*p))
    {
        return Err(CodeforcesError::BadPlace { index, place, n });
    }
    if n == 0 {
        return Ok(Vec::new());
    }
    let field = Field::new(ratings);

    // The raw change: halfway to the rating whose expected rank is the
    // geometric mean of the seed and the actual place.
    let mut expected = ExpectedRank::new(&field);
    let mut delta: Vec<i64> = Vec::with_capacity(n);
    for (&rating, &place) in ratings.iter().zip(places) {
        // The seed leaves the contestant out (it does not play itself): the
        // all-contestant sum includes its own 1/2 against itself.
        let seed = field.expected_rank(rating) - 0.5;
        let mid_rank = (place as f64 * seed).sqrt();
        let need = expected.rating_for_rank(mid_rank, rating);
        delta.push((i64::from(need) - i64::from(rating)) / 2);
    }

    // Correction 1: the sum of changes must not be positive.
    let n_i64 = n as i64;
    let sum: i64 = delta.iter().sum();
    let inc = -sum / n_i64 - 1;
    delta.iter_mut().for_each(|d| *d += inc);

    // Correction 2: the strongest 4·√n (by rating; equal ratings in
    // standings order, as Codeforces' stable sort leaves them) must not gain
    // on the whole, taking at most 10 from everyone to get there.
    let mut by_standing: Vec<usize> = (0..n).collect();
    by_standing.sort_by_key(|&i| places[i]);
    let mut by_rating = by_standing;
    by_rating.sort_by_key(|&i| std::cmp::Reverse(ratings[i]));
    let top = ((4.0 * (n as f64).sqrt().round()) as usize).min(n);
    let top_sum: i64 = by_rating[..top].iter().map(|&i| delta[i]).sum();
    let inc = (-top_sum / top as i64).clamp(-10, 0);
    delta.iter_mut().for_each(|d| *d += inc);

    // |delta| is at most 4000 plus the two corrections, well inside i32.
    Ok(delta
        .into_iter()
        .map(|d| i32::try_from(d).unwrap_or(if d < 0 { i32::MIN } else { i32::MAX }))
        .collect())
}

/// The Elo probability that a player rated `a` beats one rated `b`.
pub fn win_probability(a: f64, b: f64) -> f64 {
    1.0 / (1.0 + 10f64.powf((b - a) / 400.0))
}

/// The contestants' ratings as a histogram, with the Elo probabilities it
/// needs looked up by rating difference.
struct Field {
    /// Each distinct rating with how many contestants hold it, ascending.
    counts: Vec<(i32, f64)>,
    /// `win[d - lowest_difference]` is the probability that a player beats
    /// one rated `d` points higher than itself.
    win: Vec<f64>,
    /// The smallest difference the table covers.
    lowest_difference: i64,
}

impl Field {
    fn new(ratings: &[i32]) -> Self {
        let mut sorted = ratings.to_vec();
        sorted.sort_unstable();
        let mut counts: Vec<(i32, f64)> = Vec::new();
        for r in sorted {
            match counts.last_mut() {
                Some((last, c)) if *last == r => *c += 1.0,
                _ => counts.push((r, 1.0)),
            }
        }
        let min = i64::from(counts.first().map_or(0, |c| c.0));
        let max = i64::from(counts.last().map_or(0, |c| c.0));
        // Differences `probe - rating` for probes at contestants' ratings and
        // over the search range.
        let lo = (min.min(i64::from(SEARCH_LOW))) - max;
        let hi = (max.max(i64::from(SEARCH_HIGH))) - min;
        let win = (lo..=hi).map(|d| win_probability(0.0, d as f64)).collect();
        Self {
            counts,
            win,
            lowest_difference: lo,
        }
    }

    /// The probability that a contestant rated `other` beats one rated `probe`.
    fn beats(&self, other: i32, probe: i32) -> f64 {
        let d = i64::from(probe) - i64::from(other) - self.lowest_difference;
        // Every probe and rating is inside the table by construction.
        usize::try_from(d)
            .ok()
            .and_then(|d| self.win.get(d))
            .copied()
            .unwrap_or_else(|| win_probability(f64::from(other), f64::from(probe)))
    }

    /// The rank a contestant rated `probe` is expected to take against all
    /// contestants: 1 + the chance each of them beats it.
    fn expected_rank(&self, probe: i32) -> f64 {
        1.0 + self
            .counts
            .iter()
            .map(|&(r, c)| c * self.beats(r, probe))
            .sum::<f64>()
    }
}

/// [`Field::expected_rank`] over the search range, memoised.
struct ExpectedRank<'a> {
    /// The contest.
    field: &'a Field,
    /// The expected rank at `SEARCH_LOW + i`, once probed.
    memo: Vec<Option<f64>>,
}

impl<'a> ExpectedRank<'a> {
    fn new(field: &'a Field) -> Self {
        Self {
            field,
            memo: vec![None; (SEARCH_HIGH - SEARCH_LOW) as usize],
        }
    }

    fn at(&mut self, rating: i32) -> f64 {
        let i = (rating - SEARCH_LOW) as usize;
        match self.memo.get(i).copied().flatten() {
            Some(v) => v,
            None => {
                let v = self.field.expected_rank(rating);
                if let Some(slot) = self.memo.get_mut(i) {
                    *slot = Some(v);
                }
                v
            }
        }
    }

    /// The highest rating in `[SEARCH_LOW, SEARCH_HIGH)` at which a
    /// contestant whose own rating is `own` would expect a rank of at least
    /// `rank` among the others (Codeforces' binary search, which returns the
    /// low end when even that rating expects a better rank).
    fn rating_for_rank(&mut self, rank: f64, own: i32) -> i32 {
        let (mut left, mut right) = (SEARCH_LOW, SEARCH_HIGH);
        while right - left > 1 {
            let mid = (left + right) / 2;
            if self.at(mid) - self.field.beats(own, mid) < rank {
                right = mid;
            } else {
                left = mid;
            }
        }
        left
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ties_share_the_last_place() {
        let p = places(&[
            (10.0, 5.0),
            (20.0, 0.0),
            (10.0, 5.0),
            (10.0, 1.0),
            (0.0, 0.0),
        ]);
        assert_eq!(p, vec![4, 1, 4, 2, 5]);
    }

    #[test]
    fn bad_places_are_errors() {
        assert_eq!(
            deltas(&[1500, 1500], &[1, 3]),
            Err(CodeforcesError::BadPlace {
                index: 1,
                place: 3,
                n: 2
            })
        );
        assert!(matches!(
            deltas(&[1500], &[1, 1]),
            Err(CodeforcesError::LengthMismatch { .. })
        ));
    }

    #[test]
    fn winner_gains_and_loser_loses() {
        let d = deltas(&[1500, 1500], &[1, 2]).unwrap_or_default();
        assert_eq!(d.len(), 2);
        assert!(d[0] > 0 && d[1] < 0, "{d:?}");
    }

    #[test]
    fn empty_contest() {
        assert_eq!(deltas(&[], &[]), Ok(Vec::new()));
    }
}
