//! Halite I (Two Sigma, 2016) exactly as the official environment
//! (`environment/` of HaliteChallenge/Halite, vendored in `tools/halite-env/`)
//! plays it: the same maps from a seed, the same frames from the same moves,
//! the same ranking.
//!
//! - [`random`]: `std::mt19937` and libstdc++'s distributions, bit for bit.
//! - [`map`]: sites on a torus and the map generator.

pub mod map;
pub mod random;

pub use map::{Location, Map, MapError, Site};
pub use random::Mt19937;
