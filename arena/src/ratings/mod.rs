//! Rating algorithms: pure computation over stored results, so that any
//! rating can be recomputed from scratch and equal the incremental one.
//!
//! - [`codeforces`]: Codeforces' published algorithm, one contest (round
//!   standings) at a time; reproduces official rating changes exactly.
//! - [`codeelo`]: CodeElo's performance rating: the rating whose expected
//!   rank among the rated field equals the actual rank.
//! - [`bradley_terry`]: Bradley-Terry maximum likelihood over all pairwise
//!   results, as CodeClash reports it, with Hessian and bootstrap intervals.
//! - [`elo`] and [`weng_lin`]: sequential ratings through `skillratings`.
//!
//! [`cli`] is the `arena rating` command over these.

pub mod bradley_terry;
pub mod codeelo;
pub mod codeforces;
mod linalg;

#[cfg(test)]
mod conformance;
