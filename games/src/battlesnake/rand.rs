//! The randomness the rules consume, shaped like the official engine's `Rand`
//! (`Intn`, `Shuffle`) so that placement and food spawning draw in the same
//! order. Matches draw from the seeded [`MatchRng`]; the official tests'
//! `MinRand` and `MaxRand` are here too, so their expected boards can be
//! checked exactly. Bit-for-bit parity with Go's `math/rand` is not a goal.

use rand_core::{Rng, SeedableRng};
use rand_pcg::Pcg64;
use serde::{Deserialize, Serialize};

use crate::engine::MatchRng;

/// A source of random numbers for the rules.
pub trait RulesRng {
    /// A number in `0..n` (0 when `n` is 0).
    fn intn(&mut self, n: usize) -> usize;

    /// Shuffles `n` items through `swap`, as Go's `rand.Shuffle` does
    /// (Fisher-Yates from the end).
    fn shuffle(&mut self, n: usize, swap: &mut dyn FnMut(usize, usize)) {
        for i in (1..n).rev() {
            let j = self.intn(i + 1);
            swap(i, j);
        }
    }
}

/// Uniform in `0..n` from 64 random bits, without modulo bias.
fn below(mut next: impl FnMut() -> u64, n: usize) -> usize {
    if n <= 1 {
        return 0;
    }
    let n = n as u64;
    let zone = u64::MAX - u64::MAX % n;
    loop {
        let x = next();
        if x < zone {
            return (x % n) as usize;
        }
    }
}

impl RulesRng for MatchRng {
    fn intn(&mut self, n: usize) -> usize {
        below(|| self.next_u64(), n)
    }
}

/// A generator from a seed: the engine's `NewSeedRand`, on PCG.
#[derive(Clone, Debug)]
pub struct SeedRand(Pcg64);

impl SeedRand {
    pub fn new(seed: u64) -> Self {
        SeedRand(Pcg64::seed_from_u64(seed))
    }
}

impl RulesRng for SeedRand {
    fn intn(&mut self, n: usize) -> usize {
        below(|| self.0.next_u64(), n)
    }
}

/// Always the minimum; shuffling changes nothing (the engine's `MinRand`).
#[derive(Clone, Copy, Debug, Default)]
pub struct MinRand;

impl RulesRng for MinRand {
    fn intn(&mut self, _n: usize) -> usize {
        0
    }

    fn shuffle(&mut self, _n: usize, _swap: &mut dyn FnMut(usize, usize)) {}
}

/// Always the maximum; shuffling rotates left by one (the engine's `MaxRand`).
#[derive(Clone, Copy, Debug, Default)]
pub struct MaxRand;

impl RulesRng for MaxRand {
    fn intn(&mut self, n: usize) -> usize {
        n.saturating_sub(1)
    }

    fn shuffle(&mut self, n: usize, swap: &mut dyn FnMut(usize, usize)) {
        if n < 2 {
            return;
        }
        for i in 0..n - 2 {
            swap(i, i + 1);
        }
        swap(n - 2, n - 1);
    }
}

/// Plays back a fixed list of numbers (each taken modulo `n`), cycling; for
/// tests that transcribe an outcome of Go's generator.
#[derive(Clone, Debug, Default)]
pub struct ScriptRand {
    values: Vec<usize>,
    pos: usize,
}

impl ScriptRand {
    pub fn new(values: Vec<usize>) -> Self {
        ScriptRand { values, pos: 0 }
    }
}

impl RulesRng for ScriptRand {
    fn intn(&mut self, n: usize) -> usize {
        if n == 0 || self.values.is_empty() {
            return 0;
        }
        let v = self.values[self.pos % self.values.len()];
        self.pos += 1;
        v % n
    }
}

/// A generator chosen by configuration: seeded, or one of the test ones
/// (the engine's `Settings.WithRand` override).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RandSource {
    /// A generator seeded from the ruleset's seed plus the turn (`GetRand`).
    Seeded,
    Min,
    Max,
    Script(Vec<usize>),
}

/// The generator a [`RandSource`] gives for one use.
#[derive(Clone, Debug)]
pub enum AnyRand {
    Seed(SeedRand),
    Min(MinRand),
    Max(MaxRand),
    Script(ScriptRand),
}

impl RandSource {
    /// The engine's `Settings.GetRand(turn)`.
    pub fn get(&self, seed: u64, turn: i32) -> AnyRand {
        match self {
            RandSource::Seeded => AnyRand::Seed(SeedRand::new(seed.wrapping_add(turn as u64))),
            RandSource::Min => AnyRand::Min(MinRand),
            RandSource::Max => AnyRand::Max(MaxRand),
            RandSource::Script(v) => AnyRand::Script(ScriptRand::new(v.clone())),
        }
    }
}

impl RulesRng for AnyRand {
    fn intn(&mut self, n: usize) -> usize {
        match self {
            AnyRand::Seed(r) => r.intn(n),
            AnyRand::Min(r) => r.intn(n),
            AnyRand::Max(r) => r.intn(n),
            AnyRand::Script(r) => r.intn(n),
        }
    }

    fn shuffle(&mut self, n: usize, swap: &mut dyn FnMut(usize, usize)) {
        match self {
            AnyRand::Seed(r) => r.shuffle(n, swap),
            AnyRand::Min(r) => r.shuffle(n, swap),
            AnyRand::Max(r) => r.shuffle(n, swap),
            AnyRand::Script(r) => r.shuffle(n, swap),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn max_rand_rotates() {
        let mut v = vec![0, 1, 2, 3];
        MaxRand.shuffle(4, &mut |i, j| v.swap(i, j));
        assert_eq!(v, vec![1, 2, 3, 0]);
    }

    #[test]
    fn seeded_is_in_range_and_repeatable() {
        let mut a = SeedRand::new(9);
        let mut b = SeedRand::new(9);
        for n in 1..50 {
            let x = a.intn(n);
            assert!(x < n);
            assert_eq!(x, b.intn(n));
        }
    }
}
