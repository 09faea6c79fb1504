//! Compiled bots: built once, in the sandbox, when the codebase is
//! validated; the program is kept under the cache by the codebase's hash
//! and copied beside every game's bot.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use arena_agents::codebase::Snapshot;
use arena_agents::contract::Rejection;
use arena_agents::runner::{self, BotProcess, SANDBOX_PATH, StopReason, find_in_sandbox_path};

use super::run::last_lines;
use super::settings::EnvSettings;
use super::{PrepareError, hex, locked};

/// The built program's name, in the bot's folder.
pub const PROGRAM: &str = ".arena-bot";

/// A language whose bots are compiled.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Language {
    C,
    Cpp,
    Rust,
}

impl Language {
    pub const ALL: [Language; 3] = [Language::C, Language::Cpp, Language::Rust];

    /// The source file a codebase of this language has (`main.c`).
    pub fn source(self) -> &'static str {
        match self {
            Language::C => "main.c",
            Language::Cpp => "main.cpp",
            Language::Rust => "main.rs",
        }
    }

    /// The compiler, on the sandbox's `PATH`.
    pub fn compiler(self) -> &'static str {
        match self {
            Language::C => "cc",
            Language::Cpp => "c++",
            Language::Rust => "rustc",
        }
    }

    /// The Debian package that provides the compiler.
    pub fn package(self) -> &'static str {
        match self {
            Language::C => "gcc",
            Language::Cpp => "g++",
            Language::Rust => "rustc",
        }
    }

    /// The language's name in messages.
    pub fn name(self) -> &'static str {
        match self {
            Language::C => "C",
            Language::Cpp => "C++",
            Language::Rust => "Rust",
        }
    }

    /// The build command, run in the source's folder.
    pub fn command(self) -> String {
        match self {
            Language::C => format!("cc -O2 -o {PROGRAM} main.c -lm"),
            Language::Cpp => format!("c++ -O2 -std=c++17 -o {PROGRAM} main.cpp"),
            Language::Rust => format!("rustc -O -o {PROGRAM} main.rs"),
        }
    }

    /// The compiler, or what to install.
    pub fn find_compiler(self) -> Result<PathBuf, String> {
        find_in_sandbox_path(self.compiler()).ok_or_else(|| {
            format!(
                "{} bots need a {} compiler, and `{}` is not on the sandbox's PATH ({SANDBOX_PATH}): install it with `apt-get install {}`",
                self.name(),
                self.name(),
                self.compiler(),
                self.package()
            )
        })
    }
}

/// A build to make: the language and the source's folder in the codebase
/// (`""` or `"submission/"`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BuildNeeds {
    pub language: Language,
    pub dir: String,
}

/// The program built from `codebase`, built now (in the sandbox) if it is
/// not in the cache yet.
pub fn prepare(
    root: &Path,
    settings: &EnvSettings,
    needs: &BuildNeeds,
    codebase: &Snapshot,
) -> Result<PathBuf, PrepareError> {
    let key = key(needs, codebase);
    let program = root.join("builds").join(&key).join(PROGRAM);
    if program.is_file() {
        return Ok(program);
    }
    locked(root, "builds", &key, || {
        if program.is_file() {
            return Ok(());
        }
        build(needs, codebase, settings, &program)
    })?;
    Ok(program)
}

fn key(needs: &BuildNeeds, codebase: &Snapshot) -> String {
    let mut h = Sha256::new();
    h.update(b"arena-build-1\0");
    h.update(codebase.hash().as_bytes());
    h.update(b"\0");
    h.update(needs.dir.as_bytes());
    h.update(b"\0");
    h.update(needs.language.command().as_bytes());
    hex(&h.finalize()[..10])
}

/// One sandboxed build; the program is moved to `program`.
fn build(
    needs: &BuildNeeds,
    codebase: &Snapshot,
    settings: &EnvSettings,
    program: &Path,
) -> Result<(), PrepareError> {
    let lang = needs.language;
    lang.find_compiler().map_err(PrepareError::Host)?;
    let src = tempfile::tempdir()
        .map_err(|e| PrepareError::Host(format!("a folder for the build: {e}")))?;
    codebase
        .write_to(src.path())
        .map_err(|e| PrepareError::Host(format!("writing the codebase for its build: {e}")))?;
    let cd = if needs.dir.is_empty() {
        String::new()
    } else {
        format!("cd '{}' && ", needs.dir.trim_end_matches('/'))
    };
    let command = vec![
        "sh".to_string(),
        "-c".to_string(),
        format!("{cd}{} 1>&2", lang.command()),
    ];
    // Compilers need more than a bot: memory, processes, big files.
    let limits = runner::Limits {
        cpu_time: settings.build_timeout,
        memory_bytes: 2 << 30,
        address_space_bytes: None,
        processes: 256,
        file_size_bytes: 512 << 20,
        ..runner::Limits::default()
    };
    let ran = BotProcess::run_to_exit(src.path(), &command, &limits, settings.build_timeout)
        .map_err(|r| PrepareError::Host(format!("the build could not start: {}", r.reason)))?;
    let report = &ran.report;
    let output = last_lines(&report.stderr_tail, 40);
    let source = format!("{}{}", needs.dir, lang.source());
    let failed = |what: String| {
        Err(PrepareError::Rejected(Rejection(if output.is_empty() {
            what
        } else {
            format!("{what}:\n{output}")
        })))
    };
    match &report.reason {
        StopReason::Exited => {}
        StopReason::Ended => {
            return failed(format!(
                "{source} took longer than {} s to build (environments.build_timeout_secs)",
                settings.build_timeout.as_secs()
            ));
        }
        StopReason::RunnerError { what } => {
            return Err(PrepareError::Host(format!(
                "the build of {source} could not run: {what}"
            )));
        }
        StopReason::Crashed {
            code: Some(code), ..
        } => {
            return failed(format!(
                "{source} does not compile (`{}` exited with {code})",
                lang.command()
            ));
        }
        other => return failed(format!("building {source}: the compiler {other}")),
    }
    let built = ran.workdir.join(&needs.dir).join(PROGRAM);
    let dir = program.parent().unwrap_or(program);
    std::fs::create_dir_all(dir)
        .and_then(|()| std::fs::copy(&built, dir.join(".partial")))
        .and_then(|_| {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(dir.join(".partial"), std::fs::Permissions::from_mode(0o755))
        })
        .and_then(|()| std::fs::rename(dir.join(".partial"), program))
        .map_err(|e| {
            PrepareError::Host(format!(
                "keeping the program built from {source} ({}): {e}",
                built.display()
            ))
        })?;
    tracing::info!(codebase = codebase.hash(), %source, "built");
    Ok(())
}
