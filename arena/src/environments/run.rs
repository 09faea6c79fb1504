//! Running an installer on the host: its own process group, a deadline,
//! and its output kept for the message a failure gives.

use std::io::Read;
use std::os::unix::process::CommandExt;
use std::process::{Command, ExitStatus, Stdio};
use std::time::Duration;

use nix::sys::signal::{Signal, killpg};
use nix::unistd::Pid;

/// How much of each stream is kept (its end).
const KEEP: usize = 64 << 10;

/// A finished command.
pub struct Ran {
    pub status: ExitStatus,
    /// Standard error then standard output, each's end, lossy UTF-8.
    pub output: String,
}

/// Why a command did not finish.
pub enum NotRan {
    /// It could not be started (the program is missing).
    Spawn(std::io::Error),
    /// It was still running at the deadline and was killed with its
    /// whole process group; what it printed so far.
    TimedOut(String),
}

/// Runs `cmd` (stdin closed) until it exits or `within` passes.
pub fn run(mut cmd: Command, within: Duration) -> Result<Ran, NotRan> {
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0);
    let mut child = cmd.spawn().map_err(NotRan::Spawn)?;
    let drain = |stream: Option<Box<dyn Read + Send>>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            if let Some(mut s) = stream {
                let mut buf = [0u8; 8192];
                while let Ok(n) = s.read(&mut buf) {
                    if n == 0 {
                        break;
                    }
                    bytes.extend_from_slice(&buf[..n]);
                    if bytes.len() > 2 * KEEP {
                        bytes.drain(..bytes.len() - KEEP);
                    }
                }
            }
            let from = bytes.len().saturating_sub(KEEP);
            String::from_utf8_lossy(&bytes[from..]).into_owned()
        })
    };
    let err = drain(
        child
            .stderr
            .take()
            .map(|s| Box::new(s) as Box<dyn Read + Send>),
    );
    let out = drain(
        child
            .stdout
            .take()
            .map(|s| Box::new(s) as Box<dyn Read + Send>),
    );
    let pgid = Pid::from_raw(i32::try_from(child.id()).unwrap_or(i32::MAX));
    let (tx, rx) = std::sync::mpsc::channel();
    let waiter = std::thread::spawn(move || {
        let _ = tx.send(child.wait());
    });
    let waited = rx.recv_timeout(within);
    let timed_out = waited.is_err();
    if timed_out {
        let _ = killpg(pgid, Signal::SIGKILL);
    }
    // Killed or not, the waiter returns now; the readers end with the
    // group's last writer.
    let status = match waited {
        Ok(s) => Some(s),
        Err(_) => rx.recv().ok(),
    };
    let _ = waiter.join();
    let output = join(err) + &join(out);
    match status {
        Some(Ok(status)) if !timed_out => Ok(Ran { status, output }),
        Some(Err(e)) => Err(NotRan::Spawn(e)),
        _ => Err(NotRan::TimedOut(output)),
    }
}

fn join(h: std::thread::JoinHandle<String>) -> String {
    h.join().unwrap_or_default()
}

/// The last `lines` lines of `text`, for a message.
pub fn last_lines(text: &str, lines: usize) -> String {
    let all: Vec<&str> = text.trim_end().lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}
