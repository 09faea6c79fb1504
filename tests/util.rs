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

/// A codebase in a fresh temporary folder holding one file: `file` with
/// `source` (`name` keeps test cases' folders apart).
pub fn one_file_codebase(name: &str, file: &str, source: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("arena-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    std::fs::write(dir.join(file), source).expect("write bot");
    dir
}

/// `arena match --game GAME --seed 4 --json A B` (2 games unless `extra`
/// says `--sims`), parsed.
pub fn match_json(
    game: &str,
    a: &std::path::Path,
    b: &std::path::Path,
    extra: &[&str],
) -> serde_json::Value {
    let sims = if extra.contains(&"--sims") {
        &[][..]
    } else {
        &["--sims", "2"][..]
    };
    let out = arena()
        .args(["match", "--game", game, "--seed", "4", "--json"])
        .args(sims)
        .args(extra)
        .arg(a)
        .arg(b)
        .output()
        .expect("run arena");
    serde_json::from_str(&stdout_of_success(&out)).expect("arena match --json prints JSON")
}

/// In a 2-game `match_json`: the bot in seat 0 lost both games, its
/// opponent won both, and the losses are counted under `cause`.
pub fn lost_both(v: &serde_json::Value, cause: &str) {
    let p = &v["players"];
    assert_eq!(p[0]["losses"].as_u64(), Some(2), "{v}");
    assert_eq!(p[1]["wins"].as_u64(), Some(2), "{v}");
    assert_eq!(p[0]["eliminations"][cause].as_u64(), Some(2), "{v}");
}
