//! Placeholder crate: grows with issue 3/4.
