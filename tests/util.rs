//! Helpers shared by the end-to-end tests.

use std::path::PathBuf;
use std::process::Command;

/// The `arena` executable that cargo built for these tests.
pub fn arena() -> Command {
    Command::new(env!("CARGO_BIN_EXE_arena"))
}

/// A path under `tests/data/`.
pub fn data(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/data")
        .join(rel)
}

/// A path in the repository.
pub fn repo(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(rel)
}
