//! [`BotProcess`]: one sandboxed bot process for one game: start, requests
//! (see `exchange.rs`), stop, and the decision of why it stopped.

use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::{Path, PathBuf};
use std::process::{Child, ExitStatus, Stdio};
use std::sync::mpsc::{Receiver, SyncSender};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use nix::sys::signal::Signal;
use tempfile::TempDir;

use super::cgroup::Cgroup;
use super::http::{Connector, Endpoint, HttpError};
use super::io::{LogBuffer, Out, Shared, spawn_line_reader, spawn_log_drain, spawn_writer};
use super::limits::{Backend, Limits};
use super::procfs;
use super::reason::{Latency, Phase, StopReason, StopReport};
use super::sandbox::{self, Launch};
use super::spawner::Network;

/// How the runner talks to the bot.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Protocol {
    /// One JSON object per line on stdin, one JSON answer per line on stdout
    /// (`agents/PROTOCOL.md`).
    JsonLines,
    /// An HTTP server the bot starts on `PORT` (set to `port`) on 127.0.0.1
    /// of its own network namespace; requests are `POST /<type>`.
    Http { port: u16 },
    /// A game's own text protocol on stdin/stdout (Halite I): a request is
    /// a JSON string written as it is (plus a newline; it may hold several
    /// lines), the answer is the next line read, as a JSON string. Lines
    /// are read in order, as a stream: one the bot wrote early answers the
    /// next request, as the game's own environment reads it.
    Lines,
}

impl Protocol {
    /// Whether the bot is spoken to over its stdin/stdout.
    pub fn is_stdio(self) -> bool {
        matches!(self, Protocol::JsonLines | Protocol::Lines)
    }
}

impl Protocol {
    /// HTTP on the usual port (8000). Any port is free in the bot's namespace.
    pub fn http() -> Protocol {
        Protocol::Http {
            port: Protocol::HTTP_PORT,
        }
    }

    /// The port HTTP bots serve on unless told otherwise.
    pub const HTTP_PORT: u16 = 8000;
}

/// Runtime messages that mean the process ran out of memory under RLIMIT_AS.
const OOM_MARKERS: &[&str] = &[
    "MemoryError",
    "Cannot allocate memory",
    "out of memory",
    "Out of memory",
    "memory allocation of",
    "std::bad_alloc",
    "OutOfMemoryError",
    "JavaScript heap out of memory",
];

/// A command that ran to its end in the sandbox ([`BotProcess::run_to_exit`]),
/// and the private folder it left, removed when this is dropped.
pub struct FinishedRun {
    pub report: StopReport,
    /// The command's working directory (its copy of the codebase).
    pub workdir: PathBuf,
    _tmp: TempDir,
}

/// One bot process for one game. Dropping it kills the bot and everything it
/// started, and removes its private directory and cgroup.
pub struct BotProcess {
    pub(super) limits: Limits,
    pub(super) protocol: Protocol,
    pub(super) child: Child,
    pub(super) shared: Arc<Shared>,
    cgroup: Option<Cgroup>,
    /// Kept until the bot is dead, then removed.
    tmp: Option<TempDir>,
    workdir: PathBuf,
    uid: u32,
    pub(super) stdin: Option<SyncSender<Vec<u8>>>,
    pub(super) stdout: Option<Receiver<Out>>,
    log: Arc<Mutex<LogBuffer>>,
    pub(super) endpoint: Option<Endpoint>,
    pub(super) info: Option<serde_json::Value>,
    pub(super) spawned: Instant,
    pub(super) answered_once: bool,
    pub(super) latency: Latency,
    pub(super) stopped: Option<StopReason>,
    exit: Option<ExitStatus>,
    cpu_time: Option<Duration>,
    peak_memory: Option<u64>,
    finished: bool,
    /// The threads copying the bot's stderr (and an HTTP bot's stdout)
    /// into `log`: joined at the end, so the log holds its last words.
    drains: Vec<std::thread::JoinHandle<()>>,
}

fn runner_error(what: String) -> Box<StopReport> {
    Box::new(StopReport::runner_error(what))
}

impl BotProcess {
    /// Copies `codebase_dir` to a private directory and starts `command`
    /// there (`command[0]` is looked up in `PATH` or relative to the
    /// directory), sandboxed under `limits`. HTTP bots are started and
    /// waited for (`GET /` answers) within `limits.startup`.
    pub fn start(
        codebase_dir: &Path,
        command: &[String],
        protocol: Protocol,
        limits: &Limits,
    ) -> Result<BotProcess, Box<StopReport>> {
        sandbox::check(limits.backend).map_err(runner_error)?;
        if command.is_empty() {
            return Err(runner_error("empty command".into()));
        }
        if !codebase_dir.is_dir() {
            return Err(runner_error(format!(
                "{} is not a directory",
                codebase_dir.display()
            )));
        }
        super::sweep::once(&super::cgroup::parents());
        let uid = limits.uid.unwrap_or_else(sandbox::fresh_uid);
        let tmp = tempfile::Builder::new()
            .prefix(&format!("{}{}-", super::sweep::PREFIX, std::process::id()))
            .tempdir()
            .map_err(|e| runner_error(format!("temporary directory: {e}")))?;
        std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(0o711))
            .map_err(|e| runner_error(format!("temporary directory: {e}")))?;
        let workdir = tmp.path().join("bot");
        sandbox::copy_codebase(codebase_dir, &workdir, uid)
            .map_err(|e| runner_error(format!("copying {}: {e}", codebase_dir.display())))?;
        // The environment's mount point: root's, so the bot cannot replace it.
        let env_target = tmp.path().join("env");
        if let Some(source) = &limits.environment {
            if !source.join("bin").is_dir() {
                return Err(runner_error(format!(
                    "the bot's environment {} has no bin/ folder",
                    source.display()
                )));
            }
            std::fs::create_dir(&env_target)
                .and_then(|()| {
                    std::fs::set_permissions(&env_target, std::fs::Permissions::from_mode(0o755))
                })
                .map_err(|e| runner_error(format!("the environment's mount point: {e}")))?;
        }

        let cgroup = if limits.cgroup {
            let name = format!("{}{}-{uid}", super::sweep::PREFIX, std::process::id());
            let cg = Cgroup::create(&name, limits.processes, limits.memory_bytes);
            if cg.is_none() {
                tracing::debug!("no cgroup available; rlimits only");
            }
            cg
        } else {
            None
        };
        let mut limits = limits.clone();
        if let Protocol::Http { port } = protocol {
            limits.env.push(("PORT".into(), port.to_string()));
        }
        let launch = Launch {
            workdir: &workdir,
            environment: limits
                .environment
                .as_deref()
                .map(|source| sandbox::EnvMount {
                    source,
                    target: &env_target,
                }),
            uid,
            command,
            limits: &limits,
            cgroup_procs: cgroup.as_ref().map(|c| c.procs_files()).unwrap_or_default(),
        };
        let mut cmd = sandbox::command(&launch);
        let json = protocol.is_stdio();
        cmd.stdin(if json { Stdio::piped() } else { Stdio::null() })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .process_group(0);
        // Spawned from the one long-lived spawner thread: the sandbox dies
        // with the thread that forks it (see spawner.rs).
        let network = match limits.backend {
            Backend::Bubblewrap => Network::Inherit,
            Backend::UtilLinux => Network::Fresh,
        };
        let child =
            super::spawner::spawn(cmd, network).map_err(|e| runner_error(format!("spawn: {e}")))?;
        let spawned = Instant::now();
        let pgid = i32::try_from(child.id()).unwrap_or(i32::MAX);
        let shared = Shared::new(pgid);
        let log = Arc::new(Mutex::new(LogBuffer::new(limits.stderr_keep)));

        let mut bot = BotProcess {
            protocol,
            shared: shared.clone(),
            cgroup,
            tmp: Some(tmp),
            workdir,
            uid,
            stdin: None,
            stdout: None,
            log: log.clone(),
            endpoint: None,
            info: None,
            spawned,
            answered_once: false,
            latency: Latency::default(),
            stopped: None,
            exit: None,
            cpu_time: None,
            peak_memory: None,
            finished: false,
            drains: Vec::new(),
            limits,
            child,
        };
        let io = bot.wire_pipes(json);
        if let Err(e) = io {
            let what = format!("pipes: {e}");
            return Err(Box::new(bot.finish(StopReason::RunnerError { what })));
        }
        if let Protocol::Http { port } = protocol
            && let Err(reason) = bot.wait_http_ready(port)
        {
            return Err(Box::new(bot.finish(reason)));
        }
        Ok(bot)
    }

    /// Runs `command` in a private copy of `codebase_dir`, sandboxed under
    /// `limits`, until it exits or `within` has passed (then it is killed):
    /// a build. Its stdin is closed at once. The report's reason is
    /// `Exited` for an exit status of 0, `Ended` when it was still running
    /// at `within`. Its folder is kept for the caller to take files from.
    pub fn run_to_exit(
        codebase_dir: &Path,
        command: &[String],
        limits: &Limits,
        within: Duration,
    ) -> Result<FinishedRun, Box<StopReport>> {
        let limits = Limits {
            exit_grace: within,
            ..limits.clone()
        };
        let mut run = BotProcess::start(codebase_dir, command, Protocol::JsonLines, &limits)?;
        let reason = run.stop_reason();
        // Taken before `finish`, which would remove it.
        let tmp = run.tmp.take();
        let workdir = run.workdir.clone();
        let report = run.finish(reason);
        match tmp {
            Some(tmp) => Ok(FinishedRun {
                report,
                workdir,
                _tmp: tmp,
            }),
            None => Err(runner_error("the run's folder is gone".into())),
        }
    }

    fn wire_pipes(&mut self, json: bool) -> std::io::Result<()> {
        let l = &self.limits;
        let missing = || std::io::Error::other("missing pipe");
        let err = self.child.stderr.take().ok_or_else(missing)?;
        self.drains.push(spawn_log_drain(
            err,
            "stderr",
            l.stderr_bytes,
            self.log.clone(),
            self.shared.clone(),
        )?);
        let out = self.child.stdout.take().ok_or_else(missing)?;
        if json {
            let (rx, _) = spawn_line_reader(
                out,
                l.max_message_bytes,
                l.stdout_bytes,
                self.shared.clone(),
            )?;
            self.stdout = Some(rx);
            let inp = self.child.stdin.take().ok_or_else(missing)?;
            let (tx, _) = spawn_writer(inp)?;
            self.stdin = Some(tx);
        } else {
            // An HTTP bot's stdout is a log like its stderr.
            self.drains.push(spawn_log_drain(
                out,
                "stdout",
                l.stdout_bytes,
                self.log.clone(),
                self.shared.clone(),
            )?);
        }
        Ok(())
    }

    /// Polls `GET /` through the bot's namespace until it answers.
    fn wait_http_ready(&mut self, port: u16) -> Result<(), StopReason> {
        let deadline = self.spawned + self.limits.startup;
        let addr = std::net::SocketAddr::from(([127, 0, 0, 1], port));
        let pid = i32::try_from(self.child.id()).unwrap_or(i32::MAX);
        loop {
            if let Some(reason) = self.dead_reason() {
                return Err(reason);
            }
            if Instant::now() >= deadline {
                return Err(StopReason::Timeout {
                    phase: Phase::Start,
                    after: self.limits.startup,
                });
            }
            if self.endpoint.is_none()
                && let Some(ns_pid) = procfs::sandbox_netns_pid(pid)
            {
                let ns = std::fs::File::open(format!("/proc/{ns_pid}/ns/net"));
                if let Ok(connector) = ns.and_then(Connector::enter) {
                    self.endpoint = Some(Endpoint::new(
                        addr,
                        addr.to_string(),
                        String::new(),
                        connector,
                    ));
                }
            }
            if let Some(ep) = &self.endpoint {
                let poll_end = deadline.min(Instant::now() + Duration::from_secs(1));
                match ep.call("GET", "/", None, poll_end, self.limits.max_message_bytes) {
                    Ok((_, body)) => {
                        self.info = serde_json::from_slice(&body).ok();
                        return Ok(());
                    }
                    Err(HttpError::Connect(_)) | Err(HttpError::Timeout) => {}
                    Err(HttpError::TooLarge(n)) => {
                        return Err(StopReason::OutputLimit {
                            stream: "HTTP response",
                            limit: n as u64,
                        });
                    }
                    Err(e) => {
                        return Err(StopReason::ProtocolError {
                            what: format!("GET /: {e}"),
                        });
                    }
                }
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// The bot's uid (no other process has it).
    pub fn uid(&self) -> u32 {
        self.uid
    }

    /// The private copy it runs in (removed when it stops).
    pub fn workdir(&self) -> &Path {
        &self.workdir
    }

    /// The pid of the launch chain's first process (the process group).
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// What an HTTP bot answered to `GET /` (BattleSnake: its info object).
    pub fn info(&self) -> Option<&serde_json::Value> {
        self.info.as_ref()
    }

    pub fn latency(&self) -> &Latency {
        &self.latency
    }

    /// What is kept of its stderr so far (HTTP bots: and stdout).
    pub fn log_text(&self) -> String {
        self.log.lock().map(|l| l.text()).unwrap_or_default()
    }

    /// Why it stopped, if it has.
    pub fn stopped(&self) -> Option<&StopReason> {
        self.stopped.as_ref()
    }

    /// If the process has ended (or broke a limit), why; `None` while it runs.
    pub(super) fn dead_reason(&mut self) -> Option<StopReason> {
        if let Some(v) = self.shared.violation() {
            return Some(v);
        }
        let status = self.child.try_wait().ok().flatten()?;
        self.exit = Some(status);
        Some(self.classify_exit(status))
    }

    /// After the bot's output ended: waits a moment for the exit status and
    /// classifies it.
    pub(super) fn reason_after_eof(&mut self) -> StopReason {
        let end = Instant::now() + Duration::from_millis(500);
        loop {
            if let Some(r) = self.dead_reason() {
                return r;
            }
            if Instant::now() >= end {
                return StopReason::ProtocolError {
                    what: "closed its stdout".into(),
                };
            }
            std::thread::sleep(Duration::from_millis(2));
        }
    }

    fn classify_exit(&mut self, status: ExitStatus) -> StopReason {
        // The launch chain reports a killed bot as 128 + signal.
        let (code, signal) = match (status.code(), status.signal()) {
            (Some(c), _) if (129..=128 + 64).contains(&c) => (None, Some(c - 128)),
            (c, s) => (c, s),
        };
        self.sample_usage();
        let log = self.log.lock().map(|l| l.text()).unwrap_or_default();
        let sig = |s: Signal| signal == Some(s as i32);
        if self.cgroup.as_ref().is_some_and(|c| c.oom_kills() > 0) {
            return StopReason::MemoryLimit;
        }
        if sig(Signal::SIGXCPU)
            || (sig(Signal::SIGKILL) && self.cpu_time.is_some_and(|c| c >= self.limits.cpu_time))
        {
            return StopReason::CpuLimit;
        }
        if sig(Signal::SIGXFSZ) {
            return StopReason::SandboxViolation {
                what: format!(
                    "wrote a file larger than {} bytes (file size limit)",
                    self.limits.file_size_bytes
                ),
            };
        }
        if code.is_some_and(|c| c != 0) && OOM_MARKERS.iter().any(|m| log.contains(m)) {
            return StopReason::MemoryLimit;
        }
        StopReason::Crashed { code, signal }
    }

    fn sample_usage(&mut self) {
        if let Some(cg) = &self.cgroup {
            self.cpu_time = cg.cpu_time().or(self.cpu_time);
            self.peak_memory = cg.peak_memory().or(self.peak_memory);
        }
        if self.cgroup.is_none() || self.cpu_time.is_none() {
            let pid = i32::try_from(self.child.id()).unwrap_or(i32::MAX);
            if self.exit.is_none() {
                self.cpu_time = procfs::tree_cpu_time(pid).max(self.cpu_time);
                self.peak_memory = procfs::tree_peak_memory(pid).max(self.peak_memory);
            }
        }
    }

    /// Records `reason` (if it is the first) and kills the bot; returns the
    /// reason the bot stopped for.
    pub(super) fn fail(&mut self, reason: StopReason) -> StopReason {
        let reason = self.shared.violation().unwrap_or(reason);
        self.sample_usage();
        self.shared.kill();
        self.stopped.get_or_insert(reason).clone()
    }

    /// Ends the game for this bot: a stdin/stdout bot gets its stdin closed
    /// and `limits.exit_grace` to exit (`Exited`), then, like an HTTP bot, it
    /// is killed with all its descendants (`Ended`).
    pub fn stop(mut self) -> StopReport {
        let reason = self.stop_reason();
        self.finish(reason)
    }

    fn stop_reason(&mut self) -> StopReason {
        if let Some(r) = self.stopped.clone() {
            return r;
        }
        if self.protocol.is_stdio() {
            self.sample_usage();
            self.stdin = None; // the writer thread ends, closing stdin
            let end = Instant::now() + self.limits.exit_grace;
            while Instant::now() < end {
                if let Some(v) = self.shared.violation() {
                    return v;
                }
                if let Ok(Some(status)) = self.child.try_wait() {
                    self.exit = Some(status);
                    return match status.code() {
                        Some(0) => StopReason::Exited,
                        _ => self.classify_exit(status),
                    };
                }
                std::thread::sleep(Duration::from_millis(2));
            }
        }
        self.shared.violation().unwrap_or(StopReason::Ended)
    }

    /// Kills everything, reaps, removes the cgroup and the directory, and
    /// reports.
    fn finish(&mut self, reason: StopReason) -> StopReport {
        self.finished = true;
        self.sample_usage();
        self.shared.kill();
        if let Some(cg) = &self.cgroup {
            cg.kill_all(Duration::from_secs(2));
            self.cpu_time = cg.cpu_time().or(self.cpu_time);
            self.peak_memory = cg.peak_memory().or(self.peak_memory);
        }
        if self.exit.is_none() {
            self.exit = self.child.wait().ok();
        }
        self.shared.mark_reaped();
        self.join_drains();
        self.cgroup = None; // removes it
        self.tmp = None; // removes the private copy
        self.stdin = None;
        self.stdout = None;
        let (stderr_tail, stderr_bytes) = self
            .log
            .lock()
            .map(|l| (l.text(), l.total()))
            .unwrap_or_default();
        let reason = self.stopped.get_or_insert(reason).clone();
        StopReport {
            reason,
            stderr_tail,
            stderr_bytes,
            cpu_time: self.cpu_time,
            peak_memory: self.peak_memory,
            latency: std::mem::take(&mut self.latency),
            wall_time: self.spawned.elapsed(),
        }
    }
}

impl BotProcess {
    /// Waits for the log drains to read what the bot wrote before it died
    /// (a compiler's error, a traceback): they end when the pipe closes.
    /// Briefly: a descendant that escaped the sandbox's namespaces could
    /// hold the pipe open, and the report must not wait for it.
    fn join_drains(&mut self) {
        let until = Instant::now() + DRAIN_WAIT;
        for drain in std::mem::take(&mut self.drains) {
            while !drain.is_finished() && Instant::now() < until {
                std::thread::sleep(Duration::from_millis(1));
            }
            if drain.is_finished() {
                let _ = drain.join();
            }
        }
    }
}

/// How long a finished bot's log drains get to read its last output.
const DRAIN_WAIT: Duration = Duration::from_secs(1);

impl Drop for BotProcess {
    fn drop(&mut self) {
        if !self.finished {
            self.finish(StopReason::Ended);
        }
    }
}
