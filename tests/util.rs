//! Helpers shared by the end-to-end tests.

use std::path::PathBuf;
use std::process::{Command, Output};

/// The `arena` executable that cargo built for these tests, with the
/// tests' shared cache of bot environments (so Flask is installed once for
/// all of them, not once per test's data directory).
pub fn arena() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_arena"));
    cmd.env("ARENA_ENV_DIR", env_dir());
    cmd
}

/// The bot environments every test shares (under cargo's target folder).
pub fn env_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("arena-envs")
}

/// The shared environments, for tests that call the library.
pub fn environments() -> arena::environments::Environments {
    let settings = arena::environments::EnvSettings::from_env().expect("ARENA_* variables");
    arena::environments::Environments::new(env_dir(), settings)
}

/// A finished command's stdout; fails the test, showing its stdout and
/// stderr, if the command failed.
pub fn stdout_of_success(out: &Output) -> String {
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    text
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
