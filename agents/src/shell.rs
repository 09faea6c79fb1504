//! Running an agent's shell command in a folder: `sh -c COMMAND` in its own
//! process group, the whole group killed at a time limit (and after a normal
//! exit, so nothing it left behind keeps running), and the ends of its
//! output kept for messages. Shared by the `command` built-in agent (which
//! runs it in a private copy) and the `arena agent` client (which runs it in
//! the agent's own folder).
//!
//! The command is not sandboxed: it runs as the caller's user, with its
//! network, like any tool the person running the arena starts.

use std::fs::File as FsFile;
use std::io::{Read, Seek, SeekFrom};
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use nix::sys::signal::{Signal, killpg};
use nix::unistd::Pid;

/// The folder, inside the one the command runs in, that holds what the
/// arena shows the agent; it is never part of the codebase read back.
pub(crate) const ARENA_DIR: &str = ".arena";
/// Bytes of each output stream's end kept for notes and errors.
const TAIL_BYTES: u64 = 2000;
/// How often the command is checked for having exited.
const POLL: Duration = Duration::from_millis(10);

/// Replaces `dir/.arena/` with `results.json` (the previous round's results,
/// pretty-printed) and `logs.txt`; returns the folder's path.
pub(crate) fn write_arena_dir(
    dir: &Path,
    results: &crate::wire::RoundResults,
    logs: &str,
) -> Result<PathBuf, String> {
    let arena = dir.join(ARENA_DIR);
    remove_any(&arena).map_err(|e| format!("cannot clear {}: {e}", arena.display()))?;
    let results =
        serde_json::to_vec_pretty(results).map_err(|e| format!("cannot write the results: {e}"))?;
    std::fs::create_dir(&arena)
        .and_then(|()| std::fs::write(arena.join("results.json"), results))
        .and_then(|()| std::fs::write(arena.join("logs.txt"), logs))
        .map_err(|e| format!("cannot write {}: {e}", arena.display()))?;
    Ok(arena)
}

/// One run of `sh -c COMMAND`.
#[derive(Clone, Debug)]
pub(crate) struct Shell<'a> {
    pub command: &'a str,
    /// The folder it runs in.
    pub dir: &'a Path,
    /// Added to the caller's environment.
    pub env: Vec<(&'static str, String)>,
    /// Taken out of the caller's environment (secrets the command needs not see).
    pub env_remove: &'a [&'a str],
    /// When the whole process group is killed.
    pub time_limit: Duration,
}

/// How a command ended.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Outcome {
    Exited(ExitStatus),
    /// Still running at the time limit: its whole group was killed.
    TimedOut,
}

/// A finished run: how it ended, after how long, and its output's ends.
#[derive(Clone, Debug)]
pub(crate) struct Ran {
    pub outcome: Outcome,
    pub elapsed: Duration,
    pub stdout: String,
    pub stderr: String,
}

impl Ran {
    /// Whether it exited with code 0.
    pub fn success(&self) -> bool {
        matches!(self.outcome, Outcome::Exited(s) if s.success())
    }

    /// "exited with code 3", "was killed by signal 9", "ran past its time
    /// limit of 5 s and was killed", ...
    pub fn how(&self) -> String {
        match self.outcome {
            Outcome::TimedOut => format!(
                "ran past its time limit of {:.1} s and was killed",
                self.elapsed.as_secs_f64()
            ),
            Outcome::Exited(status) => match (status.code(), status.signal()) {
                (Some(code), _) => format!("exited with code {code}"),
                (None, Some(sig)) => format!("was killed by signal {sig}"),
                (None, None) => "failed".to_string(),
            },
        }
    }

    /// The ends of stdout and stderr that are not blank, labelled, for a
    /// message; empty when the command printed nothing.
    pub fn output_tails(&self) -> String {
        let mut text = String::new();
        for (name, tail) in [("stdout", &self.stdout), ("stderr", &self.stderr)] {
            if !tail.trim().is_empty() {
                text.push_str(&format!("\n{name} ends:\n{}", tail.trim_end()));
            }
        }
        text
    }
}

impl Shell<'_> {
    /// Runs the command to its end or its time limit; an error only when it
    /// could not be started or watched (the text says why).
    pub fn run(&self) -> Result<Ran, String> {
        let started = Instant::now();
        // Unnamed files: the output lives outside the folder the command
        // edits, so it is never mistaken for part of the codebase.
        let out =
            tempfile::tempfile().map_err(|e| format!("cannot create a file for stdout: {e}"))?;
        let err =
            tempfile::tempfile().map_err(|e| format!("cannot create a file for stderr: {e}"))?;
        let (out_child, err_child) = out
            .try_clone()
            .and_then(|o| Ok((o, err.try_clone()?)))
            .map_err(|e| format!("cannot share the output files: {e}"))?;
        let mut command = Command::new("sh");
        command
            .arg("-c")
            .arg(self.command)
            .current_dir(self.dir)
            .stdin(Stdio::null())
            .stdout(out_child)
            .stderr(err_child)
            .process_group(0);
        for name in self.env_remove {
            command.env_remove(name);
        }
        for (name, value) in &self.env {
            command.env(name, value);
        }
        let mut child = command
            .spawn()
            .map_err(|e| format!("cannot start sh: {e}"))?;
        let group = i32::try_from(child.id()).map(Pid::from_raw).ok();
        let kill_group = || {
            if let Some(pgid) = group {
                // ESRCH when the group is already gone: nothing to do.
                let _ = killpg(pgid, Signal::SIGKILL);
            }
        };

        let outcome = loop {
            match child.try_wait() {
                Ok(Some(status)) => break Outcome::Exited(status),
                Ok(None) => {}
                Err(e) => {
                    kill_group();
                    let _ = child.wait();
                    return Err(format!("cannot wait for the command: {e}"));
                }
            }
            let elapsed = started.elapsed();
            if elapsed >= self.time_limit {
                kill_group();
                let _ = child.kill();
                let _ = child.wait();
                break Outcome::TimedOut;
            }
            std::thread::sleep(POLL.min(self.time_limit - elapsed));
        };
        // Whatever the command left running in its group goes with it.
        kill_group();
        Ok(Ran {
            outcome,
            elapsed: started.elapsed(),
            stdout: tail(out),
            stderr: tail(err),
        })
    }
}

/// Removes a file, link or folder at `path`, if there is one (a link is
/// removed, never followed).
pub(crate) fn remove_any(path: &Path) -> std::io::Result<()> {
    match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.is_dir() => std::fs::remove_dir_all(path),
        Ok(_) => std::fs::remove_file(path),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e),
    }
}

/// The last [`TAIL_BYTES`] of a file, as lossy UTF-8.
fn tail(mut file: FsFile) -> String {
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
