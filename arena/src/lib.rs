//! The arena's library: what the `arena` command and the tournament code
//! share. So far the rating algorithms, pure computation with no I/O.

pub mod ratings;
