//! Seeds derived from a tournament's seed, so every simulation, seat order
//! and agent's edit is reproducible on its own, whatever ran before it or
//! on which thread.

/// SplitMix64's output function: neighbouring inputs give unrelated outputs.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The seed for `path` (e.g. `[round, sim]`) under `seed`.
pub fn derive(seed: u64, path: &[u64]) -> u64 {
    path.iter().fold(mix(seed), |acc, &part| {
        mix(acc ^ part.wrapping_add(1).wrapping_mul(0x9E37_79B9_7F4A_7C15))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn different_paths_differ_and_the_same_repeats() {
        assert_eq!(derive(7, &[1, 2]), derive(7, &[1, 2]));
        assert_ne!(derive(7, &[1, 2]), derive(7, &[2, 1]));
        assert_ne!(derive(7, &[1]), derive(8, &[1]));
        assert_ne!(derive(7, &[0]), derive(7, &[]));
    }
}
