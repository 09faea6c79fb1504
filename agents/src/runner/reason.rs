//! Why a bot stopped ([`StopReason`]) and what is known about its run
//! ([`StopReport`], [`Latency`]).

use std::fmt;
use std::time::Duration;

/// When a deadline was missed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    /// Before the bot was ready (HTTP: `GET /`; stdin/stdout: first answer).
    Start,
    /// Answering a request.
    Request,
}

/// Why a bot stopped. Every stop has exactly one reason; the runner decides
/// it from what it saw (deadlines, the byte counts it enforces) and from the
/// exit status and the cgroup's counters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StopReason {
    /// A deadline passed without an answer; the bot was killed.
    Timeout { phase: Phase, after: Duration },
    /// The process ended on its own: an exit code, or a signal.
    /// An exit code of 0 before `stop()` is also a crash.
    Crashed {
        code: Option<i32>,
        signal: Option<i32>,
    },
    /// It ran out of memory: the cgroup's OOM killer, or an allocation failure
    /// under RLIMIT_AS reported by its runtime (`MemoryError`, ...).
    MemoryLimit,
    /// It used its CPU time (RLIMIT_CPU: SIGXCPU, then SIGKILL).
    CpuLimit,
    /// It wrote more than allowed on stdout or stderr, or a message longer
    /// than the maximum.
    OutputLimit { stream: &'static str, limit: u64 },
    /// It answered, but not as the protocol says.
    ProtocolError { what: String },
    /// It tried something the sandbox forbids and the runner could tell
    /// (a file larger than RLIMIT_FSIZE, ...). Most attempts (network, files
    /// outside its directory) simply fail inside the bot and are not seen.
    SandboxViolation { what: String },
    /// It exited with code 0 after `stop()` closed its stdin.
    Exited,
    /// It was still running when the game ended (`stop()`), and was killed
    /// with all its descendants. The normal end of an HTTP bot.
    Ended,
    /// The runner could not start the sandbox (a missing tool, a failed
    /// copy). Not the bot's fault.
    RunnerError { what: String },
}

/// A [`StopReason`] without its details: what tables count and the store keeps.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    serde::Serialize,
    serde::Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum StopKind {
    Timeout,
    Crashed,
    #[serde(rename = "memory")]
    MemoryLimit,
    #[serde(rename = "cpu")]
    CpuLimit,
    OutputLimit,
    ProtocolError,
    SandboxViolation,
    Exited,
    Ended,
    RunnerError,
    /// Not a bot's stop: a Core War warrior that died in the core.
    Killed,
}

impl StopKind {
    /// The name tables and the store use (the serde name).
    pub fn as_str(self) -> &'static str {
        match self {
            StopKind::Timeout => "timeout",
            StopKind::Crashed => "crashed",
            StopKind::MemoryLimit => "memory",
            StopKind::CpuLimit => "cpu",
            StopKind::OutputLimit => "output-limit",
            StopKind::ProtocolError => "protocol-error",
            StopKind::SandboxViolation => "sandbox-violation",
            StopKind::Exited => "exited",
            StopKind::Ended => "ended",
            StopKind::RunnerError => "runner-error",
            StopKind::Killed => "killed",
        }
    }
}

impl fmt::Display for StopKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl StopReason {
    /// True when the bot ended normally (`Exited` or `Ended`).
    pub fn is_clean(&self) -> bool {
        matches!(self, StopReason::Exited | StopReason::Ended)
    }

    /// The reason's kind.
    pub fn kind(&self) -> StopKind {
        match self {
            StopReason::Timeout { .. } => StopKind::Timeout,
            StopReason::Crashed { .. } => StopKind::Crashed,
            StopReason::MemoryLimit => StopKind::MemoryLimit,
            StopReason::CpuLimit => StopKind::CpuLimit,
            StopReason::OutputLimit { .. } => StopKind::OutputLimit,
            StopReason::ProtocolError { .. } => StopKind::ProtocolError,
            StopReason::SandboxViolation { .. } => StopKind::SandboxViolation,
            StopReason::Exited => StopKind::Exited,
            StopReason::Ended => StopKind::Ended,
            StopReason::RunnerError { .. } => StopKind::RunnerError,
        }
    }

    /// How the game sees a bot that stopped for this reason.
    pub fn end_reason(&self) -> arena_games::engine::EndReason {
        use arena_games::engine::EndReason;
        match self {
            StopReason::Timeout { .. } => EndReason::Timeout,
            StopReason::ProtocolError { .. } => EndReason::Invalid,
            _ => EndReason::Crashed,
        }
    }
}

fn signal_name(sig: i32) -> String {
    match nix::sys::signal::Signal::try_from(sig) {
        Ok(s) => s.as_str().to_string(),
        Err(_) => format!("signal {sig}"),
    }
}

impl fmt::Display for StopReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StopReason::Timeout {
                phase: Phase::Start,
                after,
            } => {
                write!(f, "did not start within {} ms", after.as_millis())
            }
            StopReason::Timeout {
                phase: Phase::Request,
                after,
            } => {
                write!(f, "did not answer within {} ms", after.as_millis())
            }
            StopReason::Crashed { code: Some(0), .. } => {
                write!(f, "exited (code 0) before the game ended")
            }
            StopReason::Crashed { code: Some(c), .. } if *c == 126 || *c == 127 => {
                write!(
                    f,
                    "crashed with exit code {c} (is the command right and executable?)"
                )
            }
            StopReason::Crashed { code: Some(c), .. } => write!(f, "crashed with exit code {c}"),
            StopReason::Crashed {
                signal: Some(s), ..
            } => {
                write!(f, "crashed: killed by {}", signal_name(*s))
            }
            StopReason::Crashed { .. } => write!(f, "crashed"),
            StopReason::MemoryLimit => write!(f, "ran out of memory (memory limit)"),
            StopReason::CpuLimit => write!(f, "used up its CPU time (CPU limit)"),
            StopReason::OutputLimit { stream, limit } => {
                write!(
                    f,
                    "wrote more than {limit} bytes on {stream} (output limit)"
                )
            }
            StopReason::ProtocolError { what } => write!(f, "protocol error: {what}"),
            StopReason::SandboxViolation { what } => write!(f, "sandbox violation: {what}"),
            StopReason::Exited => write!(f, "exited cleanly"),
            StopReason::Ended => write!(f, "still running at the end of the game; stopped"),
            StopReason::RunnerError { what } => write!(f, "the runner failed: {what}"),
        }
    }
}

/// Per-request latency as the runner measured it: from writing the request to
/// having parsed the answer.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Latency {
    pub samples: Vec<Duration>,
}

impl Latency {
    pub fn record(&mut self, d: Duration) {
        self.samples.push(d);
    }
    pub fn count(&self) -> usize {
        self.samples.len()
    }
    pub fn mean(&self) -> Option<Duration> {
        let n = u32::try_from(self.samples.len()).ok().filter(|n| *n > 0)?;
        Some(self.samples.iter().sum::<Duration>() / n)
    }
    /// The `q`-quantile (0.0..=1.0), nearest rank.
    pub fn quantile(&self, q: f64) -> Option<Duration> {
        let mut v = self.samples.clone();
        v.sort();
        let last = v.len().checked_sub(1)?;
        let i = ((last as f64) * q.clamp(0.0, 1.0)).round() as usize;
        v.get(i.min(last)).copied()
    }
    pub fn max(&self) -> Option<Duration> {
        self.samples.iter().max().copied()
    }
}

/// What is known about a bot once it has stopped.
#[derive(Clone, Debug)]
pub struct StopReport {
    pub reason: StopReason,
    /// The beginning and the end of its stderr (HTTP bots: stdout too),
    /// at most `Limits::stderr_keep` bytes, lossy UTF-8.
    pub stderr_tail: String,
    /// All stderr bytes it wrote, kept or not.
    pub stderr_bytes: u64,
    /// CPU time of the bot and its descendants, when known (cgroup, or the
    /// process tree sampled before the kill).
    pub cpu_time: Option<Duration>,
    /// Peak memory, when known (cgroup, or the largest VmHWM in the tree).
    pub peak_memory: Option<u64>,
    pub latency: Latency,
    /// From spawn to stop.
    pub wall_time: Duration,
}

impl StopReport {
    /// A report for a bot the runner could not run (not the bot's fault).
    pub fn runner_error(what: impl Into<String>) -> StopReport {
        StopReport {
            reason: StopReason::RunnerError { what: what.into() },
            stderr_tail: String::new(),
            stderr_bytes: 0,
            cpu_time: None,
            peak_memory: None,
            latency: Latency::default(),
            wall_time: Duration::ZERO,
        }
    }
}

impl fmt::Display for StopReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.reason)?;
        if let Some(c) = self.cpu_time {
            write!(f, "; cpu {} ms", c.as_millis())?;
        }
        if let Some(m) = self.peak_memory {
            write!(f, "; peak memory {} MiB", m >> 20)?;
        }
        write!(f, "; {} requests", self.latency.count())
    }
}
