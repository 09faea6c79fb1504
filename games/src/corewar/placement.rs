//! Where warriors start each round: pMARS's random generator and its two
//! placement algorithms (pos.c), and the `-P` permutation (sim.c), so that
//! a seeded battle places warriors exactly where pMARS places them.

use super::mars::RoundPlan;
use super::redcode::Warrior;

/// pMARS's generator: Park and Miller's minimal standard (CACM 31:10, 1988),
/// integer version 2, computed on C `long` as pMARS does.
pub fn rng(seed: i64) -> i64 {
    let mut temp = 16807i64
        .wrapping_mul(seed % 127773)
        .wrapping_sub(2836i64.wrapping_mul(seed / 127773));
    if temp < 0 {
        temp = temp.wrapping_add(2147483647);
    }
    temp
}

/// How the first seed of a battle is chosen (pMARS's `-F`, `-f`, or neither).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SeedSource {
    /// `-F POS`: the second warrior's first position; the seed is `POS - distance`.
    FixedPosition(u32),
    /// `-f`: seeded from a checksum of the warriors' code.
    Checksum,
    /// Neither: pMARS seeds from the clock; the arena passes entropy or a match seed.
    Seed(i64),
}

/// pMARS's `checksum_warriors()`: a sum over every field of every warrior,
/// each XORed with a running counter.
pub fn checksum(warriors: &[Warrior]) -> i64 {
    let mut shuffle: i64 = 0;
    let mut sum: i64 = 0;
    for w in warriors {
        for i in &w.code {
            for field in [
                i64::from(i.op_code()),
                i64::from(i.a_mode.code()),
                i64::from(i.b_mode.code()),
                i64::from(i.a),
                i64::from(i.b),
            ] {
                sum = sum.wrapping_add(field ^ shuffle);
                shuffle += 1;
            }
        }
    }
    sum
}

/// The placement parameters pMARS reads from its options.
#[derive(Clone, Copy, Debug)]
pub struct Placement {
    pub core_size: u32,
    /// `-d`, the minimum distance (pMARS's `separation`).
    pub min_distance: u32,
    pub warriors: usize,
    /// `-P`: visit every (position, starter) pair once, in random order.
    pub permutate: bool,
}

/// Generates each round's positions and starter exactly as pMARS's
/// `simulator1()` does; the sequence depends only on the seed, never on
/// how rounds end, so a battle's plans can be made up front.
pub struct Planner {
    p: Placement,
    seed: i64,
    /// The warrior that starts the next round (pMARS's `starter`).
    starter: usize,
    positions: Vec<u32>,
    /// `-P`: the (position, starter) pairs not yet drawn (pMARS's `permbuf`).
    perm: Vec<u32>,
}

impl Planner {
    /// A planner for a battle of these warriors.
    pub fn new(p: Placement, source: SeedSource, warriors: &[Warrior]) -> Planner {
        let mut seed = match source {
            SeedSource::FixedPosition(pos) => i64::from(pos) - i64::from(p.min_distance),
            SeedSource::Checksum => rng(checksum(warriors)),
            SeedSource::Seed(s) => rng(s),
        };
        if p.permutate && matches!(source, SeedSource::FixedPosition(_)) {
            seed = seed.wrapping_mul(p.warriors as i64);
        }
        Planner {
            p,
            seed,
            starter: 0,
            positions: vec![0; p.warriors],
            perm: Vec::new(),
        }
    }

    /// The next round's plan.
    pub fn next_round(&mut self) -> RoundPlan {
        let n = self.p.warriors;
        let mut starter = self.starter;
        if n == 2 {
            let positions = self.p.core_size + 1 - 2 * self.p.min_distance;
            if self.p.permutate {
                // pMARS fills the table at the first round and again once
                // every pair was drawn.
                if self.perm.is_empty() {
                    self.perm = (0..n as u32 * positions).collect();
                }
                let k = (self.seed.rem_euclid(self.perm.len() as i64)) as usize;
                let pick = self.perm[k];
                self.positions[1] = self.p.min_distance + pick / n as u32;
                starter = (pick % n as u32) as usize;
                self.perm.swap_remove(k);
            } else {
                self.positions[1] =
                    self.p.min_distance + (self.seed.rem_euclid(i64::from(positions))) as u32;
            }
            self.seed = rng(self.seed);
        } else if n > 2 && self.posit() {
            self.npos();
        }
        // pMARS advances the starter after every round, then -P overrides it.
        self.starter = if starter + 1 >= n { 0 } else { starter + 1 };
        RoundPlan {
            positions: self.positions.clone(),
            starter,
        }
    }

    /// pMARS's `posit()`: random positions with retries and backtracking.
    /// Returns true when it gives up (then `npos()` places them).
    fn posit(&mut self) -> bool {
        const RETRIES1: i32 = 20;
        const RETRIES2: i32 = 4;
        let n = self.p.warriors;
        let sep = i64::from(self.p.min_distance);
        let range = i64::from(self.p.core_size) - 2 * sep + 1;
        let (mut retries1, mut retries2) = (RETRIES1, RETRIES2);
        let mut pos = 1;
        loop {
            self.seed = rng(self.seed);
            self.positions[pos] = (self.seed % range + sep) as u32;
            let mut i = 1;
            while i < pos {
                let diff = (i64::from(self.positions[pos]) - i64::from(self.positions[i])).abs();
                if diff < sep {
                    break;
                }
                i += 1;
            }
            if i == pos {
                pos += 1;
            } else {
                if retries2 == 0 {
                    return true;
                }
                if retries1 == 0 {
                    pos = i;
                    retries2 -= 1;
                    retries1 = RETRIES1;
                } else {
                    retries1 -= 1;
                }
            }
            if pos >= n {
                return false;
            }
        }
    }

    /// pMARS's `npos()`: sorted random gaps, then a random shuffle.
    fn npos(&mut self) {
        let n = self.p.warriors;
        let sep = self.p.min_distance;
        // The options check keeps core_size >= warriors * distance, so room >= 1.
        let room = i64::from(self.p.core_size) - i64::from(sep) * n as i64 + 1;
        for i in 1..n {
            self.seed = rng(self.seed);
            let temp = (self.seed % room.max(1)) as u32;
            let mut j = i - 1;
            while j > 0 {
                if temp > self.positions[j] {
                    break;
                }
                self.positions[j + 1] = self.positions[j];
                j -= 1;
            }
            self.positions[j + 1] = temp;
        }
        let mut temp = sep;
        for i in 1..n {
            self.positions[i] = self.positions[i].wrapping_add(temp);
            temp = temp.wrapping_add(sep);
        }
        for i in 1..n {
            self.seed = rng(self.seed);
            let j = (self.seed % (n - i) as i64) as usize + i;
            self.positions.swap(i, j);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rng_matches_park_miller() {
        // The minimal standard generator's published check: seed 1 gives
        // 1043618065 after 10000 steps.
        let mut s = 1;
        for _ in 0..10000 {
            s = rng(s);
        }
        assert_eq!(s, 1043618065);
    }

    #[test]
    fn two_warriors_from_fixed_position() {
        let p = Placement {
            core_size: 8000,
            min_distance: 100,
            warriors: 2,
            permutate: false,
        };
        let mut planner = Planner::new(p, SeedSource::FixedPosition(4000), &[]);
        let first = planner.next_round();
        assert_eq!(first.positions, vec![0, 4000]);
        assert_eq!(first.starter, 0);
        assert_eq!(planner.next_round().starter, 1);
    }
}
