//! The competition phase: the round's simulations, played on worker
//! threads and stored by this thread in simulation order, one transaction
//! each (so a resumed run stores the same rows in the same order).

use std::collections::BTreeMap;

use super::{Result, TournamentError};

use arena_agents::codebase::Snapshot;
use arena_replays::ReplayHeader;

use super::executor::{Executor, Flow, InProcess, PlannedGroup, Played, RoundPlan, play_sim};
use super::{Hooks, Player, RunOptions};
use crate::config::TournamentConfig;
use crate::environments::Environments;
use crate::ratings::confidence::{Decision, Sprt};
use crate::store::{FinishedMatch, Store};

/// Plays the round's simulations that are not stored yet: `sims` for each
/// group (the format decides the groups); the group's `g`-th simulation
/// `s` is stored as simulation `g * sims + s`. The executor (in-process
/// threads, or workers) plays them; this thread stores them.
pub(super) fn competition(
    cfg: &TournamentConfig,
    opts: &RunOptions,
    store: &mut Store,
    tid: i64,
    round: u32,
    groups: &[Vec<&Player>],
    hooks: &dyn Hooks,
) -> Result<()> {
    let mut planned: Vec<PlannedGroup> = Vec::with_capacity(groups.len());
    for group in groups {
        let playing: Vec<&Player> = group
            .iter()
            .copied()
            .filter(|p| p.playing.is_some())
            .collect();
        if playing.len() < 2 {
            return Err(TournamentError::Plan {
                round,
                problem: "a group of fewer than two valid codebases cannot play".into(),
            });
        }
        planned.push(PlannedGroup {
            ids: playing.iter().map(|p| p.id).collect(),
            entrants: playing
                .iter()
                .filter_map(|p| p.playing.as_ref().map(|s| (p.name.clone(), s.clone())))
                .collect(),
        });
    }
    let total = groups.len() as u32 * cfg.sims;
    let stored = store.stored_sims(tid, round)?;
    let todo: Vec<u32> = (0..total).filter(|s| !stored.contains(s)).collect();
    let mut early_stop = EarlyStop::new(cfg, groups, store, tid, round)?;
    // Stored results are a prefix of the round, so a resumed round reaches
    // the decision its first run reached, at the same simulation.
    if todo.is_empty() || early_stop.decided(todo.len()) {
        return Ok(());
    }
    let config_text = store.tournament_config(tid)?;
    let bar = crate::matches::progress_bar(todo.len() as u64, !opts.progress);
    let open_live = |sim: u32, header: &ReplayHeader| hooks.live_game(tid, round, sim, header);
    let plan = RoundPlan {
        cfg,
        tournament: tid,
        config_text: &config_text,
        round,
        groups: planned,
        envs: &super::environments(cfg, &opts.data_dir),
        open_live: &open_live,
    };
    // Store in simulation order: hold results that come early.
    let mut early: BTreeMap<usize, Played> = BTreeMap::new();
    let mut written = 0usize;
    let mut on_result = |k: usize, m: Result<Played>| -> Result<Flow> {
        early.insert(k, m?);
        while let Some((m, live)) = early.remove(&written) {
            let id = store.put_match(tid, &m)?;
            crate::fault::point("match");
            if let Some(live) = live {
                let result = m
                    .replay
                    .as_ref()
                    .and_then(|(h, _)| h.result.clone())
                    .unwrap_or_else(|| arena_agents::wire::MatchResult {
                        turns: m.turns,
                        players: Vec::new(),
                    });
                live.finished(id, &result);
            }
            written += 1;
            bar.inc(1);
            early_stop.record(&m);
            if early_stop.decided(todo.len() - written) {
                return Ok(Flow::Stop);
            }
            // Pauses hold the round here; the executor stops handing
            // results over. A cancel ends the round (and the run).
            hooks.checkpoint(tid)?;
        }
        Ok(Flow::More)
    };
    match &opts.workers {
        Some(executor) => executor.play(&plan, &todo, &mut on_result)?,
        None => InProcess { jobs: opts.jobs }.play(&plan, &todo, &mut on_result)?,
    }
    bar.finish_and_clear();
    Ok(())
}

/// The round's sequential test (`[sprt]`, two players): simulations won
/// outright by each, and whether the round's winner is decided.
struct EarlyStop {
    sprt: Option<Sprt>,
    /// The config's first and second players' ids.
    first: i64,
    second: i64,
    wins: u64,
    losses: u64,
}

impl EarlyStop {
    /// The test, with the round's stored simulations counted.
    fn new(
        cfg: &TournamentConfig,
        groups: &[Vec<&Player>],
        store: &Store,
        tid: i64,
        round: u32,
    ) -> Result<EarlyStop> {
        let (sprt, first, second) = match (&cfg.sprt, groups) {
            (Some(c), [group]) if group.len() == 2 => {
                (Some(Sprt::new(c)?), group[0].id, group[1].id)
            }
            _ => (None, 0, 0),
        };
        let tally = store.round_tally(tid, round)?;
        let won = |id: i64| tally.get(&id).map_or(0, |t| t.0);
        Ok(EarlyStop {
            sprt,
            first,
            second,
            wins: won(first),
            losses: won(second),
        })
    }

    /// Counts a stored simulation.
    fn record(&mut self, m: &FinishedMatch) {
        if self.sprt.is_none() {
            return;
        }
        let firsts: Vec<i64> = m
            .players
            .iter()
            .filter(|p| p.placement == 1)
            .map(|p| p.player_id)
            .collect();
        match firsts.as_slice() {
            [w] if *w == self.first => self.wins += 1,
            [w] if *w == self.second => self.losses += 1,
            _ => {}
        }
    }

    /// Whether the test has decided with `remaining` simulations unplayed.
    fn decided(&self, remaining: usize) -> bool {
        self.sprt.as_ref().is_some_and(|s| {
            s.decide(self.wins, self.losses, remaining as u64) != Decision::Continue
        })
    }
}

/// What a practice gave the first player: wins, losses, draws, and each
/// simulation as JSON.
pub struct PracticeOutcome {
    pub wins: u32,
    pub losses: u32,
    pub draws: u32,
    pub results: Vec<arena_agents::wire::PracticeSim>,
}

/// `practice`: `sims` simulations of `me` against `opponent`, nothing
/// stored. `cfg.seed` should be the practice's own (a practice must not
/// preview the round's real seeds).
pub fn practice(
    cfg: &TournamentConfig,
    envs: &Environments,
    me: (&str, &Snapshot),
    opponent: (&str, &Snapshot),
    sims: u32,
) -> Result<PracticeOutcome> {
    let players: Vec<Player> = [me, opponent]
        .iter()
        .enumerate()
        .map(|(i, (name, codebase))| Player {
            id: i as i64,
            name: (*name).to_owned(),
            editor: Box::new(arena_agents::builtin::StaticAgent),
            codebase: (*codebase).clone(),
            playing: Some((*codebase).clone()),
        })
        .collect();
    let no_live = |_: u32, _: &ReplayHeader| None;
    let plan = RoundPlan {
        cfg,
        tournament: 0,
        config_text: "",
        round: 0,
        groups: vec![PlannedGroup {
            ids: players.iter().map(|p| p.id).collect(),
            entrants: players
                .iter()
                .map(|p| (p.name.clone(), p.codebase.clone()))
                .collect(),
        }],
        envs,
        open_live: &no_live,
    };
    let table = super::executor::group_table(cfg, envs, &plan.groups[0].entrants, sims)?;
    let mut out = PracticeOutcome {
        wins: 0,
        losses: 0,
        draws: 0,
        results: Vec::new(),
    };
    for sim in 0..sims {
        let (m, _) = play_sim(&plan, sim, &plan.groups[0].ids, &*table)?;
        let mine = m.players.iter().find(|p| p.player_id == 0);
        let firsts = m.players.iter().filter(|p| p.placement == 1).count();
        match mine.map(|p| p.placement) {
            Some(1) if firsts == 1 => out.wins += 1,
            Some(1) => out.draws += 1,
            _ => out.losses += 1,
        }
        out.results.push(arena_agents::wire::PracticeSim {
            sim,
            placement: mine.map_or(2, |p| p.placement),
            reason: end_reason(&m, mine.map(|p| p.seat)),
            turns: m.turns,
            bot_stopped: mine.and_then(|p| p.stop),
            stderr_tail: mine.and_then(|p| p.stderr_tail.clone()),
        });
    }
    Ok(out)
}

/// Why a seat's game ended, from the replay header's result.
fn end_reason(m: &FinishedMatch, seat: Option<u32>) -> arena_agents::wire::EndReason {
    let result: Option<arena_agents::wire::MatchResult> =
        m.replay.as_ref().and_then(|(h, _)| h.result.clone());
    result
        .and_then(|r| {
            r.players
                .into_iter()
                .find(|p| Some(u32::from(p.seat)) == seat)
        })
        .map_or(arena_agents::wire::EndReason::Invalid, |p| p.reason)
}
