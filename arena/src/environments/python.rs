//! Python environments: one virtual environment per distinct dependency
//! set (a game's base set plus a codebase's `requirements.txt`), made from
//! the interpreter the sandbox runs, installed by `uv` (or `pip`), kept
//! under the cache and reused by every codebase with the same set.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use std::time::Instant;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use arena_agents::contract::Rejection;
use arena_agents::runner::{SANDBOX_PATH, find_in_sandbox_path};

use super::requirements::Requirement;
use super::run::{NotRan, last_lines, run};
use super::settings::{EnvSettings, InstallerChoice};
use super::{PrepareError, hex, locked, tree};

/// The interpreter bots run: `python3` on the sandbox's `PATH`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Interpreter {
    pub path: PathBuf,
    /// `3.11.2`.
    pub version: String,
}

/// The sandbox's `python3`, found once; `Err` says what to install.
pub fn interpreter() -> Result<Interpreter, String> {
    static FOUND: OnceLock<Result<Interpreter, String>> = OnceLock::new();
    FOUND
        .get_or_init(|| {
            let path = find_in_sandbox_path("python3").ok_or_else(|| {
                format!("no python3 on the sandbox's PATH ({SANDBOX_PATH}): install it with `apt-get install python3`")
            })?;
            let out = Command::new(&path)
                .args(["-c", "import platform; print(platform.python_version())"])
                .output()
                .map_err(|e| format!("{} does not run: {e}", path.display()))?;
            let version = String::from_utf8_lossy(&out.stdout).trim().to_string();
            if !out.status.success() || version.is_empty() {
                return Err(format!("{} does not run", path.display()));
            }
            Ok(Interpreter { path, version })
        })
        .clone()
}

/// What makes environments.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Installer {
    /// `uv` at this path.
    Uv(PathBuf),
    /// `python3 -m venv` and the environment's own `pip`.
    Pip,
}

impl Installer {
    /// Its name in messages.
    pub fn name(&self) -> &'static str {
        match self {
            Installer::Uv(_) => "uv",
            Installer::Pip => "pip",
        }
    }
}

/// `uv` on the arena's own `PATH` (the installer runs outside the sandbox).
pub fn find_uv() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join("uv"))
        .find(|p| p.is_file())
}

/// Whether `python3 -m venv` can make an environment with pip (Debian
/// splits `ensurepip` into `python3-venv`).
pub fn has_venv_with_pip(python: &Interpreter) -> bool {
    Command::new(&python.path)
        .args(["-c", "import venv, ensurepip"])
        .output()
        .is_ok_and(|o| o.status.success())
}

/// The installer the settings choose; `Err` says what to install.
pub fn installer(choice: InstallerChoice) -> Result<Installer, String> {
    const GET_UV: &str = "install uv with `pip install uv` (or `pipx install uv`)";
    match (choice, find_uv()) {
        (InstallerChoice::Uv, None) => Err(format!(
            "environments.installer is \"uv\" but there is no `uv` on the PATH: {GET_UV}"
        )),
        (InstallerChoice::Uv | InstallerChoice::Auto, Some(uv)) => Ok(Installer::Uv(uv)),
        (InstallerChoice::Pip | InstallerChoice::Auto, _) => Ok(Installer::Pip),
    }
}

/// What a ready environment records about itself; written last, so an
/// environment without it is an installation that did not finish.
#[derive(Debug, Serialize, Deserialize)]
struct Manifest {
    requirements: Vec<String>,
    python: String,
    installer: Installer,
    bytes: u64,
    install_ms: u64,
}

/// The manifest's file, inside the environment.
const MANIFEST: &str = "arena-env.json";

/// The environment for `requirements` (a dependency set: its order and
/// repeats do not matter) under `root`, made now if it is not there yet.
pub fn prepare(
    root: &Path,
    settings: &EnvSettings,
    requirements: &[Requirement],
) -> Result<PathBuf, PrepareError> {
    let python = interpreter().map_err(PrepareError::Host)?;
    let mut set: Vec<&str> = requirements.iter().map(Requirement::as_str).collect();
    set.sort_unstable();
    set.dedup();
    let key = key(&python, &set);
    let dir = root.join("python").join(&key);
    if ready(&dir) {
        return Ok(dir);
    }
    locked(root, "python", &key, || {
        if ready(&dir) {
            return Ok(());
        }
        install(&dir, &python, settings, &set)
    })?;
    Ok(dir)
}

/// The environment's name: the interpreter and the set.
fn key(python: &Interpreter, set: &[&str]) -> String {
    let mut h = Sha256::new();
    h.update(b"arena-python-env-1\0");
    h.update(python.path.to_string_lossy().as_bytes());
    h.update(b"\0");
    h.update(python.version.as_bytes());
    for r in set {
        h.update(b"\0");
        h.update(r.as_bytes());
    }
    hex(&h.finalize()[..10])
}

fn ready(dir: &Path) -> bool {
    std::fs::read(dir.join(MANIFEST))
        .ok()
        .and_then(|b| serde_json::from_slice::<Manifest>(&b).ok())
        .is_some()
}

/// Makes the environment at `dir` (removed first if a run left it half
/// made); on any failure nothing is left there.
fn install(
    dir: &Path,
    python: &Interpreter,
    settings: &EnvSettings,
    set: &[&str],
) -> Result<(), PrepareError> {
    let installer = installer(settings.installer).map_err(PrepareError::Host)?;
    if dir.exists() {
        std::fs::remove_dir_all(dir)
            .map_err(|e| PrepareError::Host(format!("cannot remove {}: {e}", dir.display())))?;
    }
    let started = Instant::now();
    let made = make(dir, python, settings, set, &installer, started);
    let made = made.and_then(|()| {
        let bytes = tree::open_up(dir).map_err(|e| {
            PrepareError::Host(format!("cannot read {}: {e}", dir.display()))
        })?;
        if bytes > settings.max_env_bytes {
            return Err(PrepareError::Rejected(Rejection(format!(
                "the Python environment for {} takes {} MiB, over the limit of {} MiB (environments.max_env_mb); depend on fewer or smaller packages",
                describe(set),
                bytes >> 20,
                settings.max_env_bytes >> 20
            ))));
        }
        let manifest = Manifest {
            requirements: set.iter().map(|s| s.to_string()).collect(),
            python: python.version.clone(),
            installer: installer.clone(),
            bytes,
            install_ms: started.elapsed().as_millis() as u64,
        };
        let text = serde_json::to_vec_pretty(&manifest)
            .map_err(|e| PrepareError::Host(format!("the environment's manifest: {e}")))?;
        let tmp = dir.join(format!("{MANIFEST}.tmp"));
        std::fs::write(&tmp, text)
            .and_then(|()| std::fs::rename(&tmp, dir.join(MANIFEST)))
            .map_err(|e| PrepareError::Host(format!("writing {}: {e}", dir.display())))?;
        tracing::info!(
            env = %dir.display(),
            installer = installer.name(),
            requirements = %describe(set),
            mib = bytes >> 20,
            seconds = started.elapsed().as_secs_f64(),
            "Python environment installed"
        );
        Ok(())
    });
    if made.is_err() {
        let _ = std::fs::remove_dir_all(dir);
    }
    made
}

/// The set in a message.
fn describe(set: &[&str]) -> String {
    if set.is_empty() {
        "no packages".into()
    } else {
        set.join(", ")
    }
}

/// Creates the environment and installs the set into it.
fn make(
    dir: &Path,
    python: &Interpreter,
    settings: &EnvSettings,
    set: &[&str],
    installer: &Installer,
    started: Instant,
) -> Result<(), PrepareError> {
    let parent = dir.parent().unwrap_or(dir);
    let mut venv = match installer {
        Installer::Uv(uv) => {
            let mut c = Command::new(uv);
            c.arg("venv").arg("--python").arg(&python.path).arg(dir);
            c
        }
        Installer::Pip => {
            let mut c = Command::new(&python.path);
            c.args(["-m", "venv"]);
            if set.is_empty() {
                c.arg("--without-pip");
            }
            c.arg(dir);
            c
        }
    };
    venv.current_dir(parent);
    step(
        venv,
        "create the environment",
        installer,
        settings,
        started,
        true,
    )?;
    if set.is_empty() {
        return Ok(());
    }
    let file = dir.join("arena-requirements.txt");
    std::fs::write(&file, set.join("\n") + "\n")
        .map_err(|e| PrepareError::Host(format!("writing {}: {e}", file.display())))?;
    let env_python = dir.join("bin").join("python");
    let mut install = match installer {
        Installer::Uv(uv) => {
            let mut c = Command::new(uv);
            c.args(["pip", "install", "--compile-bytecode", "--python"])
                .arg(&env_python);
            c
        }
        Installer::Pip => {
            let mut c = Command::new(&env_python);
            c.args([
                "-m",
                "pip",
                "install",
                "--disable-pip-version-check",
                "--no-input",
                "--no-warn-script-location",
            ]);
            c
        }
    };
    // Wheels only: installing runs no code from the packages.
    install.args(["--only-binary", ":all:"]);
    if let Some(url) = &settings.index_url {
        install.arg("--index-url").arg(url);
    }
    for link in &settings.find_links {
        install.arg("--find-links").arg(link);
    }
    if settings.no_index {
        install.arg("--no-index");
    }
    install.arg("-r").arg(&file).current_dir(parent);
    step(install, "install", installer, settings, started, false)
}

/// Runs one installer step within what is left of the time limit.
/// `host`: a failure is the host's (making an empty environment), not
/// the requirements'.
fn step(
    cmd: Command,
    what: &str,
    installer: &Installer,
    settings: &EnvSettings,
    started: Instant,
    host: bool,
) -> Result<(), PrepareError> {
    let left = settings.install_timeout.saturating_sub(started.elapsed());
    let name = installer.name();
    match run(cmd, left) {
        Ok(ran) if ran.status.success() => Ok(()),
        Ok(ran) => {
            let output = last_lines(&ran.output, 30);
            if host {
                let hint = match installer {
                    Installer::Pip => {
                        "; `python3 -m venv` needs Debian's python3-venv (`apt-get install python3-venv`), or install uv (`pip install uv`)"
                    }
                    Installer::Uv(_) => "",
                };
                Err(PrepareError::Host(format!(
                    "{name} could not {what} ({}){hint}:\n{output}",
                    ran.status
                )))
            } else {
                Err(PrepareError::Rejected(Rejection(format!(
                    "installing requirements.txt failed ({name}, {}):\n{output}",
                    ran.status
                ))))
            }
        }
        Err(NotRan::Spawn(e)) => Err(PrepareError::Host(format!(
            "cannot run {name} to {what}: {e}"
        ))),
        Err(NotRan::TimedOut(output)) => Err(PrepareError::Rejected(Rejection(format!(
            "installing requirements.txt took longer than {} s (environments.install_timeout_secs); it was stopped:\n{}",
            settings.install_timeout.as_secs(),
            last_lines(&output, 10)
        )))),
    }
}
