//! Where a round's simulations are played: the seam between the storing
//! loop of the competition phase (`sims.rs`, one for every executor) and
//! the machines that play. [`InProcess`] plays on this process's threads
//! (the default); `crate::workers::NatsExecutor` publishes the
//! simulations as jobs for `arena worker` processes.

use std::sync::atomic::{AtomicUsize, Ordering};

use super::{Result, TournamentError};

use arena_agents::codebase::Snapshot;
use arena_replays::ReplayHeader;

use super::LiveSink;
use crate::config::TournamentConfig;
use crate::environments::Environments;
use crate::games::{Entrant, Sim, SimOutcome, Table, Watch, seat_order};
use crate::seeds;
use crate::store::{FinishedMatch, MatchPlayer};

/// Opens a live game for a simulation about to be played, if anyone shows it.
pub type OpenLive<'a> = &'a (dyn Fn(u32, &ReplayHeader) -> Option<Box<dyn LiveSink>> + Sync);

/// A played simulation, and where its live game's end goes.
pub type Played = (FinishedMatch, Option<Box<dyn LiveSink>>);

/// What the storing loop says after each result.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flow {
    /// Go on playing.
    More,
    /// The round is decided (an early stop): play no more.
    Stop,
}

/// Takes each result as it comes (`k`: its index in the round's `todo`).
pub type OnResult<'a> = &'a mut dyn FnMut(usize, Result<Played>) -> Result<Flow>;

/// Plays a round's simulations somewhere.
pub trait Executor: Send + Sync + std::fmt::Debug {
    /// Plays the simulations `todo` of `plan`, handing each result to
    /// `on_result` exactly once, in any order, until all are handed over or
    /// `on_result` says [`Flow::Stop`] or fails.
    fn play(&self, plan: &RoundPlan<'_>, todo: &[u32], on_result: OnResult<'_>) -> Result<()>;
}

/// A group of the round: its players' ids and codebases (by entrant).
pub struct PlannedGroup {
    pub ids: Vec<i64>,
    /// (name, codebase) of each entrant.
    pub entrants: Vec<(String, Snapshot)>,
}

/// A round's competition phase, as any executor needs it.
pub struct RoundPlan<'a> {
    pub cfg: &'a TournamentConfig,
    pub tournament: i64,
    /// The tournament's config text as stored (workers read the game's
    /// section from it).
    pub config_text: &'a str,
    pub round: u32,
    pub groups: Vec<PlannedGroup>,
    /// Where the bots' environments are (made when their codebases were
    /// validated; found again here).
    pub envs: &'a Environments,
    pub open_live: OpenLive<'a>,
}

impl RoundPlan<'_> {
    /// Simulation `sim`'s group (the group's `g`-th simulation `s` is the
    /// round's simulation `g * sims + s`).
    pub fn group_of(&self, sim: u32) -> Option<(usize, &PlannedGroup)> {
        let g = (sim / self.cfg.sims) as usize;
        self.groups.get(g).map(|group| (g, group))
    }

    /// Simulation `sim`'s seed, game id and seats: everything that makes
    /// it, beside the codebases.
    pub fn sim(&self, sim: u32, players: usize) -> Sim {
        let seed = seeds::derive(self.cfg.seed, &[u64::from(self.round), u64::from(sim)]);
        Sim {
            seed,
            game_id: format!("{}-r{}-s{sim}", self.cfg.name, self.round),
            seats: seat_order(seed, players),
        }
    }

    /// A simulation's outcome as the store keeps it (the same for every
    /// executor: the seed, seats and players' ids come from the plan).
    pub fn finished(&self, sim: u32, ids: &[i64], outcome: SimOutcome) -> Result<FinishedMatch> {
        let spec = self.sim(sim, ids.len());
        let players = spec
            .seats
            .iter()
            .zip(&outcome.seats)
            .enumerate()
            .map(|(seat, (&k, o))| MatchPlayer {
                player_id: ids[k],
                seat: seat as u32,
                placement: o.placement,
                score: o.score,
                reason: o.reason_text(),
                stop: o.stop,
                stderr_tail: Some(stderr_tail(&o.stderr_tail)).filter(|t| !t.is_empty()),
            })
            .collect();
        let mut header = outcome.header.clone();
        header.result = Some(outcome.match_result());
        Ok(FinishedMatch {
            round: self.round,
            sim,
            seed: spec.seed,
            turns: outcome.turns,
            players,
            replay: Some((header, outcome.frames)),
        })
    }
}

/// Plays on this process's threads (`--jobs`): the embedded default.
#[derive(Debug)]
pub struct InProcess {
    pub jobs: usize,
}

impl Executor for InProcess {
    fn play(&self, plan: &RoundPlan<'_>, todo: &[u32], on_result: OnResult<'_>) -> Result<()> {
        let mut tables: Vec<Box<dyn Table>> = Vec::with_capacity(plan.groups.len());
        for group in &plan.groups {
            tables.push(group_table(
                plan.cfg,
                plan.envs,
                &group.entrants,
                plan.cfg.sims,
            )?);
        }
        let play = |k: u32| -> Result<Played> {
            match plan.group_of(k) {
                Some((g, group)) => play_sim(plan, k, &group.ids, &*tables[g]),
                None => Err(TournamentError::Plan {
                    round: plan.round,
                    problem: format!("simulation {k} belongs to no group"),
                }),
            }
        };
        let next = AtomicUsize::new(0);
        let (tx, rx) =
            std::sync::mpsc::sync_channel::<(usize, Result<Played>)>(4 * self.jobs.max(1));
        std::thread::scope(|s| -> Result<()> {
            for _ in 0..self.jobs.clamp(1, todo.len().max(1)) {
                let tx = tx.clone();
                let (next, play) = (&next, &play);
                s.spawn(move || {
                    loop {
                        let k = next.fetch_add(1, Ordering::Relaxed);
                        let Some(&sim) = todo.get(k) else { break };
                        if tx.send((k, play(sim))).is_err() {
                            break;
                        }
                    }
                });
            }
            drop(tx);
            for (k, m) in rx {
                let flow = on_result(k, m);
                if !matches!(flow, Ok(Flow::More)) {
                    // Workers take no more simulations; those in flight
                    // are dropped with the channel.
                    next.store(todo.len(), Ordering::Relaxed);
                    return flow.map(|_| ());
                }
            }
            Ok(())
        })
    }
}

/// A group's table: its codebases, ready for `games` simulations (their
/// environments were made when they were validated: found in the cache, or
/// made again if it was emptied).
pub fn group_table(
    cfg: &TournamentConfig,
    envs: &Environments,
    entrants: &[(String, Snapshot)],
    games: u32,
) -> Result<Box<dyn Table>> {
    let entrants: Vec<Entrant> = entrants
        .iter()
        .map(|(name, s)| {
            let prepared = crate::games::prepare(&*cfg.game, envs, s).map_err(|error| {
                TournamentError::Prepare {
                    what: format!("{name}'s bot cannot be prepared"),
                    error,
                }
            })?;
            Ok(Entrant::codebase(name, s.clone(), prepared))
        })
        .collect::<Result<_>>()?;
    Ok(cfg.game.table(&entrants, games)?)
}

/// How many of a bad stop's last stderr lines are stored (agents see them).
const STDERR_LINES: usize = 20;

/// The last lines of a bot's stderr as stored: at most `STDERR_LINES`
/// lines and 4000 bytes of them.
fn stderr_tail(text: &str) -> String {
    let mut tail = crate::environments::run::last_lines(text, STDERR_LINES);
    if tail.len() > 4000 {
        let mut cut = tail.len() - 4000;
        while !tail.is_char_boundary(cut) {
            cut += 1;
        }
        tail.drain(..cut);
    }
    tail
}

/// A live game's watcher: opens the live game when the header is known.
struct LiveWatch<'a> {
    open: OpenLive<'a>,
    sim: u32,
    sink: Option<Box<dyn LiveSink>>,
}

impl Watch for LiveWatch<'_> {
    fn start(&mut self, header: &ReplayHeader) {
        self.sink = (self.open)(self.sim, header);
    }

    fn frame(&mut self, turn: u64, frame: &serde_json::Value) {
        if let Some(sink) = self.sink.as_mut() {
            sink.frame(turn, frame);
        }
    }
}

/// One simulation of a group at its table, seats shuffled from its seed.
pub fn play_sim(plan: &RoundPlan<'_>, sim: u32, ids: &[i64], table: &dyn Table) -> Result<Played> {
    let spec = plan.sim(sim, ids.len());
    let mut watch = LiveWatch {
        open: plan.open_live,
        sim,
        sink: None,
    };
    let outcome = table.play(&spec, &mut watch)?;
    Ok((plan.finished(sim, ids, outcome)?, watch.sink))
}
