//! Program bots at a table: where each player's bot comes from and how a
//! game's seats get their bots. Shared by every game whose players are
//! programs (BattleSnake, Gomoku, ...).

use anyhow::{Context, Result, bail};

use arena_agents::codebase::Snapshot;
use arena_agents::contract::{self, Entry, Launch, Rejection};
use arena_agents::play::SeatBot;
use arena_agents::runner::{self, BotProcess, ExternalBot, StopReport};

use super::{Entrant, Source};

/// How a seat's bot is started.
pub enum BotSource {
    /// A codebase written to a folder of the table's, run sandboxed in a
    /// fresh process for each game.
    Folder {
        dir: tempfile::TempDir,
        launch: Launch,
    },
    /// A bot already serving the game's HTTP API.
    Url(String),
}

impl BotSource {
    /// Writes an entrant's codebase to a folder (with the game's own
    /// `extra` files beside it, e.g. an adapter) and finds its launch with
    /// the game's `contract`.
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
            Ok(Entry::Warrior(_)) => bail!("{}'s codebase is not a program", entrant.name),
            Err(r) => bail!("{}: {r}", entrant.name),
        };
        let dir = tempfile::tempdir().context("a folder for the round's codebases")?;
        snapshot
            .write_to(dir.path())
            .context("writing a codebase for the round")?;
        for (name, bytes) in extra {
            std::fs::write(dir.path().join(name), bytes)
                .with_context(|| format!("writing {name} beside {}'s codebase", entrant.name))?;
        }
        Ok(BotSource::Folder { dir, launch })
    }

    /// The bot for one game.
    fn start(&self, limits: &runner::Limits) -> Result<Box<dyn SeatBot>, Box<StopReport>> {
        match self {
            BotSource::Folder { dir, launch } => {
                let protocol = match launch.protocol {
                    contract::Protocol::Http => runner::Protocol::http(),
                    contract::Protocol::Stdio => runner::Protocol::JsonLines,
                    contract::Protocol::Lines => runner::Protocol::Lines,
                };
                BotProcess::start(dir.path(), &launch.command, protocol, limits)
                    .map(|b| Box::new(b) as Box<dyn SeatBot>)
            }
            BotSource::Url(url) => {
                ExternalBot::connect(url, limits.startup).map(|b| Box::new(b) as Box<dyn SeatBot>)
            }
        }
    }
}

/// Each seat's bot for one game, started at once (interpreters take a
/// while to boot); `game_id` names the game to bots that serve several.
pub fn start_all(
    seats: &[&BotSource],
    limits: &runner::Limits,
    game_id: &str,
) -> Vec<Result<Box<dyn SeatBot>, Box<StopReport>>> {
    let _ = game_id;
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
