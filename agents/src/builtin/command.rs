//! `command`: runs a shell command in a private copy of the codebase and
//! takes the folder back: how an LLM agent's command-line tool is plugged
//! in locally.
//!
//! The copy holds the codebase plus `.arena/results.json` (the previous
//! round's results) and `.arena/logs.txt` (the logs this agent may see); the
//! command runs as `sh -c COMMAND` in it, in its own process group, with
//! `ARENA_ROUND`, `ARENA_DEADLINE_SECS`, `ARENA_GAME`, `ARENA_TOURNAMENT`,
//! `ARENA_SEED` (and `ARENA_RESULTS`, `ARENA_LOGS`: the two files' relative
//! paths) added to the arena's own environment. At the deadline the whole
//! group is killed; after a normal exit any process it left behind in its
//! group is killed too. The folder is then read back, without `.arena/`,
//! within the codebase limits.
//!
//! The command is not sandboxed: it runs as the arena's user, with its
//! network, like any tool the person running the arena starts.

use std::fs::File as FsFile;
use std::io::{Read, Seek, SeekFrom};
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::Path;
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use nix::sys::signal::{Signal, killpg};
use nix::unistd::Pid;

use super::{Edit, EditContext, EditError, Editor};
use crate::codebase::{Limits, Snapshot};

/// The folder inside the copy that holds what the arena shows the agent.
pub const ARENA_DIR: &str = ".arena";
/// Bytes of each output stream's end kept for notes and errors.
const TAIL_BYTES: u64 = 2000;
/// How often the command is checked for having exited.
const POLL: Duration = Duration::from_millis(10);

/// Runs `sh -c COMMAND` in a copy of the codebase.
#[derive(Clone, Debug)]
pub struct CommandAgent {
    command: String,
    limits: Limits,
}

impl CommandAgent {
    /// An agent running this shell command (not empty).
    pub fn new(command: String) -> Result<CommandAgent, String> {
        if command.trim().is_empty() {
            return Err(
                "command: the command is empty; give the shell command that edits the codebase in its current folder, e.g. command = \"./my-agent\"".into(),
            );
        }
        Ok(CommandAgent {
            command,
            limits: Limits::default(),
        })
    }

    /// Reads the edited folder within these limits instead of the defaults.
    pub fn with_limits(mut self, limits: Limits) -> CommandAgent {
        self.limits = limits;
        self
    }
}

fn failed(what: impl std::fmt::Display) -> EditError {
    EditError::Failed(format!("command: {what}"))
}

impl Editor for CommandAgent {
    fn edit(&mut self, ctx: &EditContext) -> Result<Edit, EditError> {
        let started = Instant::now();
        let root = tempfile::Builder::new()
            .prefix("arena-edit-")
            .tempdir()
            .map_err(|e| failed(format!("cannot make a temporary folder: {e}")))?;
        let work = root.path().join("codebase");
        std::fs::create_dir(&work)
            .and_then(|()| ctx.codebase.write_to(&work))
            .map_err(|e| {
                failed(format!(
                    "cannot copy the codebase to {}: {e}",
                    work.display()
                ))
            })?;
        let arena = work.join(ARENA_DIR);
        remove_any(&arena).map_err(|e| failed(format!("cannot clear {}: {e}", arena.display())))?;
        let results = serde_json::to_vec_pretty(ctx.results)
            .map_err(|e| failed(format!("cannot write the results: {e}")))?;
        std::fs::create_dir(&arena)
            .and_then(|()| std::fs::write(arena.join("results.json"), results))
            .and_then(|()| std::fs::write(arena.join("logs.txt"), ctx.logs))
            .map_err(|e| failed(format!("cannot write {}: {e}", arena.display())))?;

        let out_path = root.path().join("stdout");
        let err_path = root.path().join("stderr");
        let out = FsFile::create(&out_path)
            .map_err(|e| failed(format!("cannot create {}: {e}", out_path.display())))?;
        let err = FsFile::create(&err_path)
            .map_err(|e| failed(format!("cannot create {}: {e}", err_path.display())))?;
        let mut child = Command::new("sh")
            .arg("-c")
            .arg(&self.command)
            .current_dir(&work)
            .env("ARENA_ROUND", ctx.round.to_string())
            .env("ARENA_DEADLINE_SECS", ctx.deadline.as_secs().to_string())
            .env("ARENA_GAME", ctx.game)
            .env("ARENA_TOURNAMENT", ctx.tournament)
            .env("ARENA_SEED", ctx.seed.to_string())
            .env("ARENA_RESULTS", format!("{ARENA_DIR}/results.json"))
            .env("ARENA_LOGS", format!("{ARENA_DIR}/logs.txt"))
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err)
            .process_group(0)
            .spawn()
            .map_err(|e| failed(format!("cannot start sh: {e}")))?;
        let group = i32::try_from(child.id()).map(Pid::from_raw).ok();
        let kill_group = || {
            if let Some(pgid) = group {
                // ESRCH when the group is already gone: nothing to do.
                let _ = killpg(pgid, Signal::SIGKILL);
            }
        };

        let status: ExitStatus = loop {
            match child.try_wait() {
                Ok(Some(status)) => break status,
                Ok(None) => {}
                Err(e) => {
                    kill_group();
                    let _ = child.wait();
                    return Err(failed(format!("cannot wait for the command: {e}")));
                }
            }
            let elapsed = started.elapsed();
            if elapsed >= ctx.deadline {
                kill_group();
                let _ = child.kill();
                let _ = child.wait();
                return Err(EditError::Timeout(ctx.deadline));
            }
            std::thread::sleep(POLL.min(ctx.deadline - elapsed));
        };
        // Whatever the command left running in its group goes with it.
        kill_group();

        if !status.success() {
            let how = match (status.code(), status.signal()) {
                (Some(code), _) => format!("exited with code {code}"),
                (None, Some(sig)) => format!("was killed by signal {sig}"),
                (None, None) => "failed".to_string(),
            };
            let stderr = tail(&err_path);
            let stderr = if stderr.trim().is_empty() {
                "(stderr was empty)".to_string()
            } else {
                format!("stderr ends:\n{}", stderr.trim_end())
            };
            return Err(failed(format!("`{}` {how}; {stderr}", self.command)));
        }

        remove_any(&arena)
            .map_err(|e| failed(format!("cannot remove {}: {e}", arena.display())))?;
        let snapshot = Snapshot::read(&work, &self.limits)
            .map_err(|e| failed(format!("the edited codebase is not valid: {e}")))?;
        let mut note = format!(
            "command: `{}` exited 0; codebase {}",
            self.command,
            if snapshot.hash() == ctx.codebase.hash() {
                "unchanged"
            } else {
                "changed"
            }
        );
        for (name, path) in [("stdout", &out_path), ("stderr", &err_path)] {
            let text = tail(path);
            if !text.trim().is_empty() {
                note.push_str(&format!("\n{name} ends:\n{}", text.trim_end()));
            }
        }
        Ok(Edit::new(snapshot, note))
    }
}

/// Removes a file, link or folder at `path`, if there is one (a link is
/// removed, never followed).
fn remove_any(path: &Path) -> std::io::Result<()> {
    match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.is_dir() => std::fs::remove_dir_all(path),
        Ok(_) => std::fs::remove_file(path),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e),
    }
}

/// The last [`TAIL_BYTES`] of a file, as lossy UTF-8.
fn tail(path: &Path) -> String {
    let Ok(mut file) = FsFile::open(path) else {
        return String::new();
    };
    let len = file.metadata().map(|m| m.len()).unwrap_or(0);
    let start = len.saturating_sub(TAIL_BYTES);
    if file.seek(SeekFrom::Start(start)).is_err() {
        return String::new();
    }
    let mut bytes = Vec::new();
    let _ = file.read_to_end(&mut bytes);
    let text = String::from_utf8_lossy(&bytes).into_owned();
    if start > 0 {
        format!("...{text}")
    } else {
        text
    }
}
