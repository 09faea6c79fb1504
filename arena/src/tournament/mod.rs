//! `arena run`: a CodeClash tournament. Round 0 plays the starting
//! codebases; every later round is an edit phase (each agent makes a new
//! version, the arena validates it) and a competition phase (the valid
//! codebases play `sims` simulations, seats shuffled per simulation).
//!
//! Everything is stored as it happens, and everything that was stored is
//! reused on a rerun: submissions, matches (one transaction each), round
//! results. So a run killed at any moment continues where it stopped, and
//! every simulation's seed depends only on the tournament's seed, the
//! round and the simulation's index, so the continued run stores exactly
//! what an uninterrupted one would.

mod error;
pub mod executor;
mod format;
pub mod hooks;
mod sims;
mod standings;

use std::path::{Path, PathBuf};
use std::time::Duration;

use arena_agents::builtin::{AgentKind, AgentSpec, EditContext, Editor, from_spec};
use arena_agents::codebase::Snapshot;
use arena_agents::protocol::TournamentState;
use arena_agents::wire::{RoundResults, RoundStanding};

use crate::config::TournamentConfig;
use crate::environments::{Environments, PrepareError};
use crate::seeds;
use crate::store::{NewSubmission, Store, Submission};

pub use error::Result;
pub use error::TournamentError;
pub use hooks::{Hooks, LiveSink, NoHooks, Stopped};
pub use sims::{PracticeOutcome, practice};
pub use standings::{PlayerStanding, Standings, StandingsError, StandingsTable, stored_standings};

/// How to run.
#[derive(Clone, Debug)]
pub struct RunOptions {
    pub data_dir: PathBuf,
    /// Threads for simulations.
    pub jobs: usize,
    /// Progress bars on the terminal.
    pub progress: bool,
    /// The time an agent has for its edit.
    pub edit_deadline: Duration,
    /// Where simulations are played: `None` on this process's `jobs`
    /// threads; else an executor such as NATS workers (`--workers`).
    pub workers: Option<std::sync::Arc<dyn executor::Executor>>,
}

/// A player during the run.
pub struct Player {
    id: i64,
    name: String,
    editor: Box<dyn Editor>,
    /// The codebase it submitted last (what its agent edits next).
    codebase: Snapshot,
    /// The codebase it plays with this round, if valid.
    playing: Option<Snapshot>,
}

/// Runs (or resumes) a tournament to its end.
pub fn run(cfg: &TournamentConfig, config_text: &str, opts: &RunOptions) -> Result<Standings> {
    let mut store = Store::open(&opts.data_dir)?;
    let envs = environments(cfg, &opts.data_dir);
    let tid = create(
        &mut store,
        cfg,
        &envs,
        config_text,
        TournamentState::Running,
        false,
    )?;
    // `NoHooks` never asks for a stop.
    play_stored(cfg, opts, &mut store, tid, &NoHooks)
}

/// Stores a tournament (once: a second call with the same config finds
/// it): its config, its players and their starting codebases, read now,
/// as round 0's submissions, all in one transaction (their bots'
/// environments made first). `state` is a new tournament's state;
/// `served`: `arena serve` made it (and resumes it).
pub fn create(
    store: &mut Store,
    cfg: &TournamentConfig,
    envs: &Environments,
    config_text: &str,
    state: TournamentState,
    served: bool,
) -> Result<i64> {
    let tid = store.write(|w| -> Result<i64> {
        let tid = w.tournament(
            &cfg.name,
            cfg.game.game().name(),
            cfg.game.game().rules_version(),
            cfg.seed,
            config_text,
            state,
        )?;
        if served {
            w.mark_served(tid)?;
        }
        let ids = w.players(tid, &player_rows(cfg))?;
        for (p, id) in cfg.players.iter().zip(ids) {
            if w.submission(tid, id, 0)?.is_some() {
                continue;
            }
            let codebase = crate::games::read_codebase(cfg.game.game(), &p.codebase)?;
            let (valid, reason) =
                match validate(cfg, envs, &codebase).map_err(|error| TournamentError::Prepare {
                    what: format!("{}'s starting codebase", p.name),
                    error,
                })? {
                    Ok(()) => (true, "round 0 plays the starting codebase".to_string()),
                    Err(why) => (false, format!("{why} (the round is forfeited)")),
                };
            let sub = NewSubmission {
                round: 0,
                codebase: &codebase,
                valid,
                reason: &reason,
                logs_shown: "",
            };
            w.put_submission(tid, id, &sub)?;
        }
        Ok(tid)
    })?;
    crate::fault::point("tournament.created");
    Ok(tid)
}

/// The config's players as the store takes them: (name, agent).
fn player_rows(cfg: &TournamentConfig) -> Vec<(String, AgentKind)> {
    cfg.players
        .iter()
        .map(|p| (p.name.clone(), p.agent.kind()))
        .collect()
}

/// The config's players in the store (found again on a rerun): their ids.
fn register_players(store: &mut Store, tid: i64, cfg: &TournamentConfig) -> Result<Vec<i64>> {
    Ok(store.players(tid, &player_rows(cfg))?)
}

/// How a run ended that did not fail.
#[derive(Clone, Debug, PartialEq)]
pub enum Ended {
    /// Every round played; the final table.
    Finished(Standings),
    /// Stopped at a checkpoint (cancelled, or the server shutting down):
    /// not an error, and what was stored stays.
    Stopped(Stopped),
}

/// Runs (or resumes) a stored tournament to its end, telling `hooks`. A
/// stop that `hooks` asked for is [`Ended::Stopped`], not an error.
pub fn run_stored(
    cfg: &TournamentConfig,
    opts: &RunOptions,
    store: &mut Store,
    tid: i64,
    hooks: &dyn Hooks,
) -> Result<Ended> {
    match play_stored(cfg, opts, store, tid, hooks) {
        Ok(standings) => Ok(Ended::Finished(standings)),
        Err(TournamentError::Stopped(stop)) => Ok(Ended::Stopped(stop)),
        // A step that failed because a stop was under way (a remote
        // agent's edit cut short by a cancel) ends as the stop.
        Err(e) => match hooks.stop_requested(tid) {
            Err(stop) => Ok(Ended::Stopped(stop)),
            Ok(()) => Err(e),
        },
    }
}

fn play_stored(
    cfg: &TournamentConfig,
    opts: &RunOptions,
    store: &mut Store,
    tid: i64,
    hooks: &dyn Hooks,
) -> Result<Standings> {
    let ids = register_players(store, tid, cfg)?;
    let mut players = Vec::with_capacity(cfg.players.len());
    for (p, id) in cfg.players.iter().zip(ids) {
        let editor = match &p.agent {
            AgentSpec::Remote => hooks.remote_editor(tid, id, &p.name)?,
            spec => from_spec(spec).map_err(|message| TournamentError::Agent {
                player: p.name.clone(),
                message,
            })?,
        };
        let start = store
            .submission(tid, id, 0)?
            .ok_or_else(|| TournamentError::NotStored(format!("{}'s starting codebase", p.name)))?;
        players.push(Player {
            id,
            name: p.name.clone(),
            editor,
            codebase: store.codebase(&start.hash)?,
            playing: None,
        });
    }
    let mut previous_results: Option<RoundResults> = None;
    for round in 0..=cfg.rounds {
        hooks.checkpoint(tid)?;
        edit_phase(
            cfg,
            opts,
            store,
            (tid, round),
            &mut players,
            previous_results.as_ref(),
            hooks,
        )?;
        if !store.round_finished(tid, round)? {
            hooks.checkpoint(tid)?;
            let groups = format::groups(cfg, store, tid, round, &players)?;
            sims::competition(cfg, opts, store, tid, round, &groups, hooks)?;
            let winner = format::winner(cfg, store, tid, round, &players)?;
            let ratings = standings::rate_round(store, tid, round, &players_ids(&players))?;
            // One transaction: a rerun skips a round with a winner, so its
            // ratings must never be missing once the winner is stored.
            store.write(|w| w.finish_round(tid, round, winner, &ratings))?;
            crate::fault::point("round");
        }
        let results = round_results(store, tid, round, &players)?;
        hooks.round_finished(tid, round, &results);
        previous_results = Some(results);
    }
    let ids = players_ids(&players);
    let ratings = standings::final_ratings(store, tid, cfg, &ids)?;
    store.write(|w| w.finish_tournament(tid, cfg.rounds, &ratings))?;
    let standings = standings::stored_standings(store, tid, cfg, &ids)?;
    hooks.tournament_finished(tid, &standings);
    Ok(standings)
}

/// A stored tournament's standings as they are now (the final ones once
/// it finished).
pub fn standings_of(store: &Store, tid: i64, cfg: &TournamentConfig) -> Result<Standings> {
    let mut ids = Vec::with_capacity(cfg.players.len());
    for p in &cfg.players {
        let id = store.player_id(tid, &p.name)?.ok_or_else(|| {
            TournamentError::NotStored(format!("player {} of tournament {tid}", p.name))
        })?;
        ids.push((id, p.name.clone()));
    }
    Ok(standings::stored_standings(store, tid, cfg, &ids)?)
}

fn players_ids(players: &[Player]) -> Vec<(i64, String)> {
    players.iter().map(|p| (p.id, p.name.clone())).collect()
}

/// Where a tournament's bots' environments are kept and how they are made.
pub fn environments(cfg: &TournamentConfig, data_dir: &Path) -> Environments {
    Environments::under(data_dir, cfg.environments.clone())
}

/// Makes the starting codebases' environments (installs, builds) ahead of
/// `create`, which then finds them made: for a caller that must not hold the
/// store while an installer runs. Rejections are left for `create` to store.
pub fn prepare_starting(cfg: &TournamentConfig, envs: &Environments) -> Result<()> {
    for p in &cfg.players {
        let codebase = crate::games::read_codebase(cfg.game.game(), &p.codebase)?;
        // A rejection is stored by `create`; a host that cannot prepare
        // bots fails here.
        let _rejection =
            validate(cfg, envs, &codebase).map_err(|error| TournamentError::Prepare {
                what: format!("{}'s starting codebase", p.name),
                error,
            })?;
    }
    Ok(())
}

/// Checks a codebase against the game's contract and makes its bot's
/// environment: `Ok(Err(why))` rejects it; `Err` is a host that cannot
/// prepare bots (the message says what to install), which stops the run.
pub fn validate(
    cfg: &TournamentConfig,
    envs: &Environments,
    codebase: &Snapshot,
) -> Result<Result<(), String>, PrepareError> {
    match crate::games::prepare(&*cfg.game, envs, codebase) {
        Ok(_) => Ok(Ok(())),
        Err(PrepareError::Rejected(r)) => Ok(Err(r.0)),
        Err(e @ PrepareError::Host(_)) => Err(e),
    }
}

/// Each player's codebase for the round: stored if the round's edit was
/// already done, else edited now (every agent at once, as CodeClash's agents
/// work in parallel; round 0: the starting codebase), validated and stored
/// with the logs its agent was shown, each as soon as its edit ends (so a
/// remote agent hears at once that its submission is stored).
fn edit_phase(
    cfg: &TournamentConfig,
    opts: &RunOptions,
    store: &mut Store,
    (tid, round): (i64, u32),
    players: &mut [Player],
    previous_results: Option<&RoundResults>,
    hooks: &dyn Hooks,
) -> Result<()> {
    // Round 0 edits nothing; every later round has the round before's.
    let no_results = RoundResults {
        round: round.saturating_sub(1),
        winner: None,
        standings: Vec::new(),
    };
    let previous_results = previous_results.unwrap_or(&no_results);
    let mut editing = Vec::new();
    for (index, p) in players.iter_mut().enumerate() {
        if let Some(Submission { hash, valid, .. }) = store.submission(tid, p.id, round)? {
            p.codebase = store.codebase(&hash)?;
            p.playing = valid.then(|| p.codebase.clone());
            continue;
        }
        editing.push((index, p));
    }
    if editing.is_empty() {
        return Ok(());
    }
    // Edits can take a while (a mutating agent plays hundreds of rounds).
    let spinner = if opts.progress && round > 0 {
        let sp = indicatif::ProgressBar::new_spinner();
        let names: Vec<&str> = editing.iter().map(|(_, p)| p.name.as_str()).collect();
        sp.set_message(format!(
            "round {round}: {} editing their codebases",
            names.join(", ")
        ));
        sp.enable_steady_tick(Duration::from_millis(120));
        sp
    } else {
        indicatif::ProgressBar::hidden()
    };
    let mut done: Vec<(usize, Snapshot, bool)> = Vec::with_capacity(editing.len());
    // How each player's bots stopped last round (with a crash's stderr).
    let mut stops = match round.checked_sub(1) {
        Some(last) => store.round_bot_stops(tid, last)?,
        None => Default::default(),
    };
    std::thread::scope(|s| -> Result<()> {
        let (tx, rx) = std::sync::mpsc::channel();
        for (index, p) in editing {
            let tx = tx.clone();
            let stopped = stops.remove(&p.id);
            s.spawn(move || {
                let mut logs = if round == 0 {
                    String::new()
                } else {
                    previous_results.logs_for(&p.name)
                };
                if let Some(stopped) = &stopped {
                    logs.push_str(&bot_stops_log(stopped));
                }
                let (codebase, note) = if round == 0 {
                    (
                        p.codebase.clone(),
                        "round 0 plays the starting codebase".to_string(),
                    )
                } else {
                    let ctx = EditContext {
                        tournament: &cfg.name,
                        game: cfg.game.game().name(),
                        round,
                        seed: seeds::derive(cfg.seed, &[u64::from(round), index as u64, 0xED17]),
                        codebase: &p.codebase,
                        results: &previous_results.view_for(&p.name, cfg.transparent),
                        logs: &logs,
                        deadline: opts.edit_deadline,
                        settings: cfg.game.settings_any(),
                    };
                    match p.editor.edit(&ctx) {
                        Ok(edit) => (edit.codebase, edit.note),
                        // No new version in time: the previous one plays.
                        Err(e) => (
                            p.codebase.clone(),
                            format!("edit failed ({e}); the previous codebase plays"),
                        ),
                    }
                };
                let _ = tx.send((index, p.id, p.name.clone(), codebase, note, logs));
            });
        }
        drop(tx);
        let envs = environments(cfg, &opts.data_dir);
        for (index, id, name, codebase, note, logs) in rx {
            hooks.stop_requested(tid)?;
            let (valid, reason) =
                match validate(cfg, &envs, &codebase).map_err(|error| TournamentError::Prepare {
                    what: format!("{name}'s round {round} codebase"),
                    error,
                })? {
                    Ok(()) => (true, note),
                    Err(why) => (false, format!("{why} (the round is forfeited)")),
                };
            let sub = NewSubmission {
                round,
                codebase: &codebase,
                valid,
                reason: &reason,
                logs_shown: &logs,
            };
            store.put_submission(tid, id, &sub)?;
            crate::fault::point("submission");
            tracing::info!(player = %name, round, valid, %reason, "submission");
            hooks.submission_stored(tid, id, round, valid, codebase.hash(), &reason);
            done.push((index, codebase, valid));
        }
        Ok(())
    })?;
    spinner.finish_and_clear();
    for (index, codebase, valid) in done {
        let p = &mut players[index];
        p.playing = valid.then(|| codebase.clone());
        p.codebase = codebase;
    }
    Ok(())
}

/// A finished round, every player's line (each agent may see only its own
/// notes: [`RoundResults::view_for`]).
pub fn round_results(
    store: &Store,
    tid: i64,
    round: u32,
    players: &[Player],
) -> Result<RoundResults> {
    let tally = store.round_tally(tid, round)?;
    let winner = store.round_winner(tid, round)?;
    let mut standings = Vec::with_capacity(players.len());
    for p in players {
        let sub = store.submission(tid, p.id, round)?;
        let (sims_won, sims_shared_first) = tally.get(&p.id).copied().unwrap_or_default();
        standings.push(RoundStanding {
            player: p.name.clone(),
            sims_won,
            sims_shared_first,
            valid: sub.as_ref().is_some_and(|s| s.valid),
            note: sub.as_ref().map(|s| s.reason.clone()),
            codebase: sub.map(|s| s.hash),
        });
    }
    let winner = winner.and_then(|w| players.iter().find(|p| p.id == w).map(|p| p.name.clone()));
    Ok(RoundResults {
        round,
        winner,
        standings,
    })
}

/// What a player is told about how its bots stopped last round: the
/// count of each reason, and the end of its bot's stderr the last time it
/// stopped badly (a missing module, an exception), so it can fix it.
fn bot_stops_log(stopped: &crate::store::BotStops) -> String {
    let mut text = String::new();
    if !stopped.stops.is_empty() {
        let counts: Vec<String> = stopped
            .stops
            .iter()
            .map(|(why, n)| format!("{why} {n}"))
            .collect();
        text.push_str(&format!("  your bot stopped: {}\n", counts.join(", ")));
    }
    if let Some((sim, tail)) = &stopped.last_stderr {
        text.push_str(&format!(
            "  its stderr in simulation {sim}, where it last stopped badly, ended with:\n"
        ));
        for line in tail.lines() {
            text.push_str(&format!("  | {line}\n"));
        }
    }
    text
}
