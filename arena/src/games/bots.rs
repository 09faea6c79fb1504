//! Program bots at a table: where each player's bot comes from and how a
//! game's seats get their bots. Shared by every game whose players are
//! programs (BattleSnake, Gomoku, ...).

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use arena_agents::codebase::Snapshot;
use arena_agents::contract::{self, Entry, Launch, Rejection};
use arena_agents::play::SeatBot;
use arena_agents::runner::{self, BotProcess, BotServer, ExternalBot, StopReason, StopReport};

use super::{Entrant, GameError, Result, Source};
use crate::environments::Prepared;

/// How long an HTTP bot's process lives.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum BotLifetime {
    /// One process per player for the whole round, serving its games
    /// several at a time (each request carries its game's id), restarted if
    /// it dies; as upstream Battlesnake and CodeClash run their bots.
    #[default]
    Round,
    /// A fresh process (and sandbox) for every game: nothing a bot keeps
    /// in memory can carry from one game to the next.
    Game,
}

impl BotLifetime {
    /// The limits of a process that serves `games` games: a game's CPU time
    /// and output for each of them (memory, processes and files are a
    /// process's, whatever it serves).
    pub fn round_limits(game: &runner::Limits, games: u32) -> runner::Limits {
        let games = games.max(1);
        runner::Limits {
            cpu_time: game.cpu_time.saturating_mul(games),
            stdout_bytes: game.stdout_bytes.saturating_mul(u64::from(games)),
            stderr_bytes: game.stderr_bytes.saturating_mul(u64::from(games)),
            ..game.clone()
        }
    }
}

/// The entry of a bot that is one source file run by the game's adapter
/// (`command`), as CodeClash's Gomoku and RobotRumble bots are: `None`
/// when the codebase has no `file`; a rejection when it is not UTF-8 text
/// or never mentions `function` (`how` says how to define it).
pub fn adapter_entry(
    codebase: &Snapshot,
    file: &str,
    function: &str,
    how: &str,
    command: &[&str],
) -> std::result::Result<Option<Entry>, Rejection> {
    let Some(source) = codebase.get(file) else {
        return Ok(None);
    };
    let text =
        std::str::from_utf8(source).map_err(|_| Rejection(format!("{file} is not UTF-8 text")))?;
    if !text.contains(function) {
        return Err(Rejection(format!(
            "{file} never mentions {function}: {how}"
        )));
    }
    Ok(Some(Entry::Program(Launch {
        command: command.iter().map(|s| s.to_string()).collect(),
        protocol: contract::Protocol::Stdio,
    })))
}

/// Whether a program bot is a Python one: its command runs `python`,
/// `python3` or `python3.N`, or its codebase has a `requirements.txt`.
pub fn runs_python(command: &[String], codebase: &Snapshot) -> bool {
    let program = command
        .first()
        .map(|c| c.rsplit('/').next().unwrap_or(c))
        .unwrap_or("");
    let python = program == "python"
        || program.strip_prefix("python3").is_some_and(|v| {
            v.is_empty()
                || v.strip_prefix('.')
                    .is_some_and(|n| n.parse::<u32>().is_ok())
        });
    python || codebase.get(crate::environments::REQUIREMENTS).is_some()
}

/// How a seat's bot is started.
pub enum BotSource {
    /// A codebase written to a folder of the table's, run sandboxed in a
    /// fresh process for each game.
    Folder {
        dir: tempfile::TempDir,
        launch: Launch,
        /// Its Python environment, bound read-only into its sandbox.
        environment: Option<PathBuf>,
    },
    /// An HTTP bot started once for the table (the round), shared by its
    /// games; or why it did not start (every game then plays without it).
    Server {
        server: Result<Arc<BotServer>, Box<StopReport>>,
        /// Its codebase's folder, removed with the table.
        _dir: tempfile::TempDir,
    },
    /// A bot already serving the game's HTTP API.
    Url(String),
}

impl BotSource {
    /// Writes an entrant's codebase to a folder (with the game's own
    /// `extra` files beside it, e.g. an adapter, and its built program if
    /// it has one) and finds its launch with the game's `contract`.
    pub fn prepare(
        entrant: &Entrant,
        contract: fn(&Snapshot) -> Result<Entry, Rejection>,
        extra: &[(&str, &[u8])],
    ) -> Result<BotSource> {
        let snapshot = match &entrant.source {
            Source::Url(url) => return Ok(BotSource::Url(url.clone())),
            Source::Codebase(s) => s,
        };
        let launch = match contract(snapshot) {
            Ok(Entry::Program(l)) => l,
            Ok(Entry::Warrior(_)) => {
                return Err(GameError::WrongKind {
                    player: entrant.name.clone(),
                    wanted: "program",
                });
            }
            Err(rejection) => {
                return Err(GameError::Rejected {
                    player: entrant.name.clone(),
                    rejection,
                });
            }
        };
        let io = |what: String| move |error| GameError::Io { what, error };
        let dir = tempfile::tempdir().map_err(io("a folder for the round's codebases".into()))?;
        snapshot
            .write_to(dir.path())
            .map_err(io("writing a codebase for the round".into()))?;
        for (name, bytes) in extra {
            std::fs::write(dir.path().join(name), bytes).map_err(io(format!(
                "writing {name} beside {}'s codebase",
                entrant.name
            )))?;
        }
        let environment = match &entrant.prepared {
            Prepared::Nothing => None,
            Prepared::Python { venv } => Some(venv.clone()),
            Prepared::Program { path, at } => {
                let to = dir.path().join(at);
                std::fs::copy(path, &to).map_err(io(format!(
                    "copying {}'s program {} beside its codebase",
                    entrant.name,
                    path.display()
                )))?;
                None
            }
        };
        Ok(BotSource::Folder {
            dir,
            launch,
            environment,
        })
    }

    /// As [`prepare`](Self::prepare), but an HTTP bot living for the
    /// `lifetime` given is started now, for the whole table.
    pub fn prepare_for(
        entrant: &Entrant,
        contract: fn(&Snapshot) -> Result<Entry, Rejection>,
        extra: &[(&str, &[u8])],
        lifetime: BotLifetime,
        limits: &runner::Limits,
    ) -> Result<BotSource> {
        match Self::prepare(entrant, contract, extra)? {
            BotSource::Folder {
                dir,
                launch,
                environment,
            } if lifetime == BotLifetime::Round && launch.protocol == contract::Protocol::Http => {
                let port = runner::Protocol::HTTP_PORT;
                let limits = runner::Limits {
                    environment,
                    ..limits.clone()
                };
                let server = BotServer::start(dir.path(), &launch.command, port, &limits)
                    .map(Arc::new)
                    .inspect_err(|r| {
                        tracing::info!(bot = %entrant.name, reason = %r.reason, "bot server did not start");
                    });
                Ok(BotSource::Server { server, _dir: dir })
            }
            other => Ok(other),
        }
    }

    /// The bot for one game.
    fn start(&self, limits: &runner::Limits) -> Result<Box<dyn SeatBot>, Box<StopReport>> {
        match self {
            BotSource::Folder {
                dir,
                launch,
                environment,
            } => {
                let protocol = match launch.protocol {
                    contract::Protocol::Http => runner::Protocol::http(),
                    contract::Protocol::Stdio => runner::Protocol::JsonLines,
                    contract::Protocol::Lines => runner::Protocol::Lines,
                };
                let limits = runner::Limits {
                    environment: environment.clone(),
                    ..limits.clone()
                };
                BotProcess::start(dir.path(), &launch.command, protocol, &limits)
                    .map(|b| Box::new(b) as Box<dyn SeatBot>)
            }
            BotSource::Server { server, .. } => match server {
                Ok(server) => Ok(Box::new(ServerSeat {
                    server: server.clone(),
                    stopped: None,
                })),
                Err(report) => Err(report.clone()),
            },
            BotSource::Url(url) => {
                ExternalBot::connect(url, limits.startup).map(|b| Box::new(b) as Box<dyn SeatBot>)
            }
        }
    }
}

/// One game's seat at a round-long bot server.
struct ServerSeat {
    server: Arc<BotServer>,
    /// Why this game is over for the bot, once it is.
    stopped: Option<StopReason>,
}

impl SeatBot for ServerSeat {
    fn request(&mut self, msg: &Value, deadline: Duration) -> Result<Option<Value>, StopReason> {
        if let Some(r) = &self.stopped {
            return Err(r.clone());
        }
        self.server
            .request(msg, deadline)
            .inspect_err(|r| self.stopped = Some(r.clone()))
    }

    /// The game's end for this seat: `Ended` if the server still serves it;
    /// its stderr's tail if it broke.
    fn stop(self: Box<Self>) -> StopReport {
        let mut report = StopReport::runner_error("");
        report.reason = self.stopped.unwrap_or(StopReason::Ended);
        if !report.reason.is_clean() {
            report.stderr_tail = self.server.log_text();
        }
        report.latency = self.server.latency();
        report
    }
}

/// Each seat's bot for one game, started at once (interpreters take a
/// while to boot; a round-long server is already up).
pub fn start_all(
    seats: &[&BotSource],
    limits: &runner::Limits,
) -> Vec<Result<Box<dyn SeatBot>, Box<StopReport>>> {
    std::thread::scope(|s| {
        let handles: Vec<_> = seats
            .iter()
            .map(|source| s.spawn(move || source.start(limits)))
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join().unwrap_or_else(|_| {
                    Err(Box::new(StopReport::runner_error(
                        "the start-up thread panicked",
                    )))
                })
            })
            .collect()
    })
}
