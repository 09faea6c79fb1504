//! Halite I (Two Sigma, 2016) exactly as the official environment
//! (`environment/` of HaliteChallenge/Halite, vendored in `tools/halite-env/`)
//! plays it: the same maps from a seed, the same frames from the same moves,
//! the same ranking.
//!
//! - [`random`]: `std::mt19937` and libstdc++'s distributions, bit for bit.
//! - [`map`]: sites on a torus and the map generator.
//! - [`protocol`]: the wire text (init, frames, moves lines).
//! - [`game`]: the ECS game ([`Halite`]): moves, production, combat, ranking.

pub mod game;
pub mod hlt;
pub mod map;
pub mod protocol;
pub mod random;

pub use game::{
    Halite, HaliteAction, HaliteFrame, HaliteSetup, HaliteText, PlayerStats, Rankings, Standing,
};
pub use hlt::HltGame;
pub use map::{Location, Map, MapError, Site};
pub use random::Mt19937;
