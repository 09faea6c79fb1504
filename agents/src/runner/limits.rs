//! What a bot may use: [`Limits`], and which sandbox [`Backend`] enforces them.

use std::path::PathBuf;
use std::time::Duration;

/// How the bot's process is confined. Both backends give the bot its own
/// network namespace (loopback only), PID namespace (all its descendants die
/// with it), IPC and UTS namespaces, a read-only view of the file system except
/// its private working directory, rlimits (`prlimit`) and an unprivileged uid
/// of its own (`setpriv`), plus a cgroup (pids, memory, cpuacct) when one can
/// be made. See `agents/README.md` for the comparison and start-up costs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    /// `bwrap` (Debian's `bubblewrap`): `--ro-bind / /`, a private `/tmp`,
    /// fresh `/proc` and `/dev`, `--unshare-net --unshare-pid --unshare-ipc
    /// --unshare-uts --die-with-parent --new-session`. The default where
    /// `bwrap` is installed: one exec sets up every namespace and mount, and
    /// it is the faster of the two.
    Bubblewrap,
    /// Nothing beyond what every Debian has (util-linux, mount, dash): the
    /// runner spawns in a fresh network namespace whose loopback it brought
    /// up itself (rtnetlink), then `unshare --pid --mount --ipc --uts --fork
    /// --kill-child --mount-proc`, a root shell inside the namespaces
    /// remounts every mount read-only except the working directory; then
    /// `prlimit` and `setpriv`. The default where `bwrap` is missing.
    UtilLinux,
}

impl Default for Backend {
    /// Bubblewrap when `bwrap` is on the `PATH`, else util-linux, so a
    /// machine with nothing installed by hand runs bots.
    fn default() -> Backend {
        static FOUND: std::sync::OnceLock<Backend> = std::sync::OnceLock::new();
        *FOUND.get_or_init(|| {
            if super::sandbox::has_tool("bwrap") {
                Backend::Bubblewrap
            } else {
                Backend::UtilLinux
            }
        })
    }
}

impl Backend {
    pub fn name(self) -> &'static str {
        match self {
            Backend::Bubblewrap => "bubblewrap",
            Backend::UtilLinux => "util-linux",
        }
    }
}

/// Resource limits and sandbox settings for one bot process.
///
/// The per-request deadline is not here: the caller passes it to each
/// [`request`](crate::runner::BotProcess::request).
#[derive(Clone, Debug)]
pub struct Limits {
    /// From spawn until the bot is ready: for HTTP bots until `GET /`
    /// answers; for stdin/stdout bots it is the deadline of the first request
    /// (interpreters and JVMs need time to boot).
    pub startup: Duration,
    /// CPU time (user + system) of the whole game, RLIMIT_CPU: SIGXCPU at this
    /// value, SIGKILL one second later.
    pub cpu_time: Duration,
    /// Memory: the cgroup's memory limit when a cgroup is available.
    pub memory_bytes: u64,
    /// RLIMIT_AS, the backstop when no cgroup is available. `None`: no
    /// address-space limit (some runtimes reserve much more than they use).
    pub address_space_bytes: Option<u64>,
    /// Processes and threads: RLIMIT_NPROC of the bot's own uid and the
    /// cgroup's `pids.max`.
    pub processes: u64,
    /// RLIMIT_FSIZE: the largest file the bot may write.
    pub file_size_bytes: u64,
    /// RLIMIT_NOFILE.
    pub open_files: u64,
    /// Bytes the bot may write on stdout over the whole game.
    pub stdout_bytes: u64,
    /// Bytes the bot may write on stderr over the whole game.
    pub stderr_bytes: u64,
    /// How much of stderr is kept for the logs (its beginning and its end).
    pub stderr_keep: usize,
    /// The largest single message (JSON line or HTTP response body).
    pub max_message_bytes: usize,
    /// After `stop()`, how long a stdin/stdout bot has to exit on its own once
    /// its stdin is closed.
    pub exit_grace: Duration,
    /// Extra environment variables (the environment is otherwise cleared to
    /// `PATH`, `HOME` = the bot's directory and `LANG`).
    pub env: Vec<(String, String)>,
    /// A prepared environment for the bot (a Python virtual environment the
    /// arena installed): bound read-only at `env/` beside the bot's private
    /// folder, its `bin/` first on `PATH` and `VIRTUAL_ENV` set, as an
    /// activated venv. The bot can use it and cannot change it.
    pub environment: Option<PathBuf>,
    pub backend: Backend,
    /// The uid and gid the bot runs as; `None` picks a fresh one per bot from
    /// a high range, so that RLIMIT_NPROC (counted per uid) is the bot's own.
    pub uid: Option<u32>,
    /// Use a cgroup (v1 or v2) for pids, memory and CPU accounting when one
    /// can be created; rlimits alone otherwise.
    pub cgroup: bool,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            startup: Duration::from_secs(10),
            cpu_time: Duration::from_secs(120),
            memory_bytes: 512 << 20,
            address_space_bytes: Some(4 << 30),
            processes: 64,
            file_size_bytes: 64 << 20,
            open_files: 256,
            stdout_bytes: 64 << 20,
            stderr_bytes: 16 << 20,
            stderr_keep: 64 << 10,
            max_message_bytes: 1 << 20,
            exit_grace: Duration::from_secs(1),
            env: Vec::new(),
            environment: None,
            backend: Backend::default(),
            uid: None,
            cgroup: true,
        }
    }
}
