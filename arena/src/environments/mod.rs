//! Bot environments: what a codebase needs besides its own files, made
//! once, outside the bot's sandbox, when the codebase is validated, kept
//! under the data directory and reused.
//!
//! - Python bots get a virtual environment per distinct dependency set
//!   (the game's base set plus the codebase's `requirements.txt`),
//!   installed by `uv` where it is on the `PATH`, else `pip`, with a time
//!   and a size limit; the sandbox runs the bot with that environment's
//!   interpreter, bound read-only.
//! - Compiled bots (Halite's `main.c`, ...) are built once, in the sandbox,
//!   and the program is kept by the codebase's hash.
//!
//! A failure that is the codebase's (a package that does not exist, a
//! compile error) is a [`Rejection`] with the installer's or compiler's
//! message; one that is the host's (no `python3`, no compiler) says what
//! to install.

pub mod build;
pub mod python;
pub mod requirements;
pub mod run;
pub mod settings;
mod tree;

use std::fs::File;
use std::path::{Path, PathBuf};

use arena_agents::codebase::Snapshot;
use arena_agents::contract::Rejection;
use nix::fcntl::{Flock, FlockArg};

pub use build::{BuildNeeds, Language};
pub use requirements::Requirement;
pub use settings::{EnvSection, EnvSettings, InstallerChoice};

/// The variable that puts the cache somewhere else than `DATA_DIR/envs`
/// (several data directories can share one).
pub const ENV_DIR_VARIABLE: &str = "ARENA_ENV_DIR";

/// The name of a codebase's own requirements file.
pub const REQUIREMENTS: &str = "requirements.txt";

/// What a valid codebase's bot needs before it can run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Needs {
    /// Nothing: it runs as it is (a Core War warrior, a `node` bot, a
    /// program an `arena.toml` names).
    Nothing,
    /// A Python environment with the game's `base` packages and those of
    /// the codebase's requirements file at `requirements`, if any.
    Python {
        base: &'static [&'static str],
        requirements: Option<String>,
    },
    /// A program built from source.
    Build(BuildNeeds),
}

impl Needs {
    /// A Python bot's needs: the game's base set, and the first of
    /// `dirs`' `requirements.txt` the codebase has (`""` is the top).
    pub fn python(codebase: &Snapshot, base: &'static [&'static str], dirs: &[&str]) -> Needs {
        let requirements = dirs
            .iter()
            .map(|d| format!("{d}{REQUIREMENTS}"))
            .find(|f| codebase.get(f).is_some());
        Needs::Python { base, requirements }
    }
}

/// A bot's environment, ready.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Prepared {
    Nothing,
    /// A Python virtual environment's folder.
    Python {
        venv: PathBuf,
    },
    /// A built program at `path`, copied into the bot's folder at `at`
    /// (its source folder's [`build::PROGRAM`]).
    Program {
        path: PathBuf,
        at: String,
    },
}

/// Why a codebase's environment could not be made.
#[derive(Debug, thiserror::Error)]
pub enum PrepareError {
    /// The codebase's fault: it is rejected with this reason.
    #[error(transparent)]
    Rejected(Rejection),
    /// The host's: it lacks a tool (the message says what to install), or
    /// its disk failed. No codebase can be prepared until it is fixed.
    #[error("this host cannot prepare bots: {0}")]
    Host(String),
}

/// Where environments are kept, and how they are made.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Environments {
    root: PathBuf,
    settings: EnvSettings,
}

impl Environments {
    /// Environments kept in `root` (made absolute: installers run
    /// elsewhere, and a bot's sandbox binds the path).
    pub fn new(root: PathBuf, settings: EnvSettings) -> Environments {
        let root = std::path::absolute(&root).unwrap_or(root);
        Environments { root, settings }
    }

    /// Environments kept under a data directory (`DATA_DIR/envs`), or where
    /// `ARENA_ENV_DIR` says.
    pub fn under(data_dir: &Path, settings: EnvSettings) -> Environments {
        let root = std::env::var_os(ENV_DIR_VARIABLE)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
            .unwrap_or_else(|| data_dir.join("envs"));
        Environments::new(root, settings)
    }

    /// The folder they are kept in.
    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn settings(&self) -> &EnvSettings {
        &self.settings
    }

    /// What `needs` asks for, made now if it is not in the cache yet.
    pub fn prepare(&self, needs: &Needs, codebase: &Snapshot) -> Result<Prepared, PrepareError> {
        match needs {
            Needs::Nothing => Ok(Prepared::Nothing),
            Needs::Python { base, requirements } => {
                let mut set: Vec<Requirement> = base.iter().map(|r| Requirement::base(r)).collect();
                if let Some(file) = requirements {
                    let bytes = codebase.get(file).unwrap_or_default();
                    let own = requirements::parse(file, bytes)
                        .map_err(|why| PrepareError::Rejected(Rejection(why)))?;
                    set.extend(own);
                }
                python::prepare(&self.root, &self.settings, &set)
                    .map(|venv| Prepared::Python { venv })
            }
            Needs::Build(b) => {
                build::prepare(&self.root, &self.settings, b, codebase).map(|path| {
                    Prepared::Program {
                        path,
                        at: format!("{}{}", b.dir, build::PROGRAM),
                    }
                })
            }
        }
    }
}

/// Runs `make` holding the lock of `kind/key` (an exclusive `flock`,
/// between processes and threads alike), so one environment is made once.
fn locked(
    root: &Path,
    kind: &str,
    key: &str,
    make: impl FnOnce() -> Result<(), PrepareError>,
) -> Result<(), PrepareError> {
    let dir = root.join(kind);
    tree::create_open_dir(&dir)
        .map_err(|e| PrepareError::Host(format!("cannot create {}: {e}", dir.display())))?;
    let path = dir.join(format!("{key}.lock"));
    let file = File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| PrepareError::Host(format!("cannot open {}: {e}", path.display())))?;
    let _lock = Flock::lock(file, FlockArg::LockExclusive)
        .map_err(|(_, e)| PrepareError::Host(format!("cannot lock {}: {e}", path.display())))?;
    make()
}

/// Lowercase hex.
fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}
