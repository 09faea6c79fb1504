//! `arena doctor`: what bots need on this host (the sandbox, cgroups,
//! Python and its installer, the environment cache, compilers, Node.js),
//! and for whatever is missing, the command that installs it.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde::Serialize;

use arena_agents::runner::{self, Backend, SANDBOX_PATH, find_in_sandbox_path};

use crate::environments::python::{self, Installer};
use crate::environments::{EnvSettings, Environments, InstallerChoice, Language};

/// `arena doctor`'s options.
#[derive(clap::Args, Debug)]
pub struct DoctorArgs {
    /// The data directory whose environment cache is checked
    /// (`DATA_DIR/envs`, or `ARENA_ENV_DIR`).
    #[arg(long, default_value = "arena-data")]
    pub data_dir: PathBuf,
    /// Print the checks as JSON.
    #[arg(long)]
    pub json: bool,
}

/// How a check came out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// Present and working.
    Ok,
    /// Works, less well than it could (the slower sandbox, no cgroups, pip).
    Degraded,
    /// Missing: the bots that need it cannot run.
    Missing,
}

impl Status {
    fn word(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Degraded => "degraded",
            Status::Missing => "missing",
        }
    }
}

/// One thing bots need.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Check {
    /// What is checked (`sandbox`, `python3`, `C compiler`, ...).
    pub what: &'static str,
    /// Which bots need it.
    pub for_bots: &'static str,
    /// Whether most bots need it (the exit status is 1 when a required
    /// check is missing); the rest only some games' bots do.
    pub required: bool,
    pub status: Status,
    /// What was found, or what is wrong.
    pub detail: String,
    /// The command that fixes it, when it is not `ok`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<String>,
}

impl Check {
    /// A check of what most bots need.
    fn required(what: &'static str, for_bots: &'static str) -> CheckBuilder {
        CheckBuilder {
            what,
            for_bots,
            required: true,
        }
    }

    /// A check of what only some games' bots need.
    fn optional(what: &'static str, for_bots: &'static str) -> CheckBuilder {
        CheckBuilder {
            what,
            for_bots,
            required: false,
        }
    }
}

struct CheckBuilder {
    what: &'static str,
    for_bots: &'static str,
    required: bool,
}

impl CheckBuilder {
    fn ok(self, detail: impl Into<String>) -> Check {
        self.with(Status::Ok, detail, None)
    }

    fn with(self, status: Status, detail: impl Into<String>, fix: Option<String>) -> Check {
        Check {
            what: self.what,
            for_bots: self.for_bots,
            required: self.required,
            status,
            detail: detail.into(),
            fix,
        }
    }
}

/// Every check, in the order they are printed.
pub fn checks(data_dir: &Path) -> Vec<Check> {
    let mut out = vec![sandbox(), cgroups()];
    let python = python::interpreter();
    out.push(match &python {
        Ok(p) => Check::required("python3", "Python bots").ok(format!(
            "{} (Python {}), the sandbox's",
            p.path.display(),
            p.version
        )),
        Err(e) => Check::required("python3", "Python bots").with(
            Status::Missing,
            e.clone(),
            Some("apt-get install python3".into()),
        ),
    });
    out.push(installer(python.as_ref().ok()));
    out.push(cache(data_dir));
    for lang in Language::ALL {
        out.push(compiler(lang));
    }
    out.push(node());
    out
}

fn sandbox() -> Check {
    let c = Check::required("sandbox", "every program bot");
    let bwrap = runner::check_backend(Backend::Bubblewrap);
    let util = runner::check_backend(Backend::UtilLinux);
    match (bwrap, util) {
        (Ok(()), _) => c.ok("bubblewrap (bwrap, prlimit, setpriv), running as root"),
        (Err(why), Ok(())) => c.with(
            Status::Degraded,
            format!("util-linux (unshare, mount, prlimit, setpriv); bubblewrap is faster: {why}"),
            Some("apt-get install bubblewrap".into()),
        ),
        (Err(_), Err(why)) => {
            let fix = why
                .split('`')
                .find(|part| part.starts_with("apt-get install"))
                .map(str::to_string);
            c.with(Status::Missing, why, fix)
        }
    }
}

fn cgroups() -> Check {
    let c = Check::required("cgroups", "every program bot (memory, processes, CPU time)");
    match runner::probe_cgroups() {
        Ok(kind) => c.ok(kind),
        Err(why) => c.with(
            Status::Degraded,
            why,
            Some("run the arena as root on a host with /sys/fs/cgroup mounted read-write".into()),
        ),
    }
}

fn installer(python: Option<&python::Interpreter>) -> Check {
    let c = Check::required("installer", "Python bots' environments");
    let settings = EnvSettings::from_env().unwrap_or_default();
    let venv_ok = python.is_some_and(python::has_venv_with_pip);
    match python::installer(settings.installer) {
        Ok(Installer::Uv(path)) => {
            let version = version_of(&path, "--version").unwrap_or_default();
            c.ok(format!("{version} ({})", path.display()))
        }
        Ok(Installer::Pip) if venv_ok => c.with(
            if settings.installer == InstallerChoice::Pip {
                Status::Ok
            } else {
                Status::Degraded
            },
            "pip (python3 -m venv); uv installs many times faster",
            Some("pip install uv".into()),
        ),
        Ok(Installer::Pip) => c.with(
            Status::Missing,
            "no uv on the PATH, and python3 -m venv cannot install pip (Debian keeps ensurepip in python3-venv)",
            Some("pip install uv   # or: apt-get install python3-venv".into()),
        ),
        Err(why) => c.with(Status::Missing, why, Some("pip install uv".into())),
    }
}

fn cache(data_dir: &Path) -> Check {
    let envs = Environments::under(data_dir, EnvSettings::default());
    let c = Check::required("environments", "Python and compiled bots");
    let root = envs.root();
    let count = |kind: &str| {
        std::fs::read_dir(root.join(kind))
            .map(|d| {
                d.filter_map(Result::ok)
                    .filter(|e| e.path().is_dir())
                    .count()
            })
            .unwrap_or(0)
    };
    // The nearest folder that exists must take the cache.
    let mut probe = root.to_path_buf();
    while !probe.exists() {
        match probe.parent() {
            Some(p) => probe = p.to_path_buf(),
            None => break,
        }
    }
    let writable = tempfile::tempfile_in(&probe).is_ok();
    if writable {
        c.ok(format!(
            "{} ({} Python environments, {} builds)",
            root.display(),
            count("python"),
            count("builds")
        ))
    } else {
        c.with(
            Status::Missing,
            format!("{} cannot be written", root.display()),
            Some(format!(
                "pass a writable --data-dir, or set ARENA_ENV_DIR to a writable folder (not {})",
                probe.display()
            )),
        )
    }
}

fn compiler(lang: Language) -> Check {
    let (what, for_bots) = match lang {
        Language::C => ("C compiler", "C bots (Halite's main.c)"),
        Language::Cpp => ("C++ compiler", "C++ bots (Halite's main.cpp)"),
        Language::Rust => ("Rust compiler", "Rust bots (Halite's main.rs)"),
    };
    let c = Check::optional(what, for_bots);
    match lang.find_compiler() {
        Ok(path) => {
            let version = version_of(&path, "--version").unwrap_or_default();
            c.ok(format!("{} {version}", path.display()))
        }
        Err(why) => c.with(
            Status::Missing,
            why,
            Some(format!("apt-get install {}", lang.package())),
        ),
    }
}

fn node() -> Check {
    let c = Check::optional("node", "RobotRumble's robot.js bots");
    match find_in_sandbox_path("node") {
        Some(path) => {
            let version = version_of(&path, "--version").unwrap_or_default();
            c.ok(format!("{} {version}", path.display()))
        }
        None => c.with(
            Status::Missing,
            format!("no node on the sandbox's PATH ({SANDBOX_PATH})"),
            Some("apt-get install nodejs".into()),
        ),
    }
}

/// The first line a program prints for `flag`.
fn version_of(program: &Path, flag: &str) -> Option<String> {
    let out = Command::new(program).arg(flag).output().ok()?;
    let text = String::from_utf8_lossy(&out.stdout);
    text.lines().next().map(|l| l.trim().to_string())
}

/// Prints the checks; `false` (exit status 1) when something most bots
/// need is missing.
pub fn run(args: &DoctorArgs) -> serde_json::Result<bool> {
    let checks = checks(&args.data_dir);
    if args.json {
        println!("{}", serde_json::to_string_pretty(&checks)?);
    } else {
        let w = checks.iter().map(|c| c.what.len()).max().unwrap_or(8);
        for c in &checks {
            println!("{:<8}  {:<w$}  {}", c.status.word(), c.what, c.detail);
            if c.status != Status::Ok {
                let only = if c.required { "" } else { "only " };
                println!("{:<8}  {:<w$}  {only}needed by {}", "", "", c.for_bots);
                if let Some(fix) = &c.fix {
                    println!("{:<8}  {:<w$}  fix: {fix}", "", "");
                }
            }
        }
        let fixes: Vec<&str> = checks
            .iter()
            .filter(|c| c.status == Status::Missing)
            .filter_map(|c| c.fix.as_deref())
            .filter(|f| f.starts_with("apt-get install "))
            .collect();
        if !fixes.is_empty() {
            let pkgs: Vec<&str> = fixes
                .iter()
                .flat_map(|f| f.trim_start_matches("apt-get install ").split_whitespace())
                .take_while(|w| !w.starts_with('#'))
                .collect();
            println!(
                "\nto install what is missing: apt-get install {}",
                pkgs.join(" ")
            );
        }
    }
    Ok(checks
        .iter()
        .all(|c| !c.required || c.status != Status::Missing))
}
