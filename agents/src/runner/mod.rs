//! The sandboxed bot runner: one child process per bot per game, run from a
//! private copy of its codebase, under limits, spoken to over stdin/stdout
//! JSON lines or HTTP. See `agents/README.md` (design, backends, figures) and
//! `agents/PROTOCOL.md` (the wire protocols). [`BotServer`] instead keeps one
//! HTTP bot process for a whole round, serving its games concurrently and
//! restarting it (a limited number of times) when it dies.
//!
//! ```no_run
//! use std::time::Duration;
//! use arena_agents::runner::{BotProcess, Limits, Protocol};
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let limits = Limits::default();
//! let cmd = vec!["python3".to_string(), "bot.py".to_string()];
//! let mut bot = BotProcess::start("bots/snake".as_ref(), &cmd, Protocol::JsonLines, &limits)
//!     .map_err(|r| r.to_string())?;
//! let answer = bot.request(&serde_json::json!({"type": "move"}), Duration::from_millis(500));
//! let report = bot.stop();
//! println!("{answer:?}: {report}");
//! # Ok(()) }
//! ```

mod cgroup;
mod exchange;
mod external;
mod http;
mod io;
mod limits;
mod netlink;
mod process;
pub mod procfs;
mod reason;
mod sandbox;
mod server;
mod spawner;
mod sweep;

pub use cgroup::probe as probe_cgroups;
pub use external::ExternalBot;
pub use limits::{Backend, Limits};
pub use process::{BotProcess, FinishedRun, Protocol};
pub use reason::{Latency, Phase, StopKind, StopReason, StopReport};
pub use sandbox::check as check_backend;
pub use sandbox::{SANDBOX_PATH, find_in_sandbox_path};
pub use server::{BotServer, ServerLimits};
