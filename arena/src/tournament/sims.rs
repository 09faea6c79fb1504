//! The competition phase: the round's simulations, played on worker
//! threads and stored by this thread in simulation order, one transaction
//! each (so a resumed run stores the same rows in the same order).

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};

use anyhow::{Context, Result, anyhow, bail};
use serde_json::json;

use arena_agents::codebase::Snapshot;
use arena_replays::ReplayHeader;

use super::{Hooks, LiveSink, Player, RunOptions};
use crate::config::TournamentConfig;
use crate::environments::Environments;
use crate::games::{Entrant, Sim, SimOutcome, Table, Watch, seat_order};
use crate::ratings::confidence::{Decision, Sprt};
use crate::seeds;
use crate::store::{FinishedMatch, MatchPlayer, Store};

/// Opens a live game for a simulation about to be played, if anyone shows it.
type OpenLive<'a> = &'a (dyn Fn(u32, &ReplayHeader) -> Option<Box<dyn LiveSink>> + Sync);

/// A played simulation, and where its live game's end goes.
type Played = (FinishedMatch, Option<Box<dyn LiveSink>>);

/// A group at its table: the players' ids (by entrant) and the table.
struct Group {
    ids: Vec<i64>,
    table: Box<dyn Table>,
}

/// Plays the round's simulations that are not stored yet: `sims` for each
/// group (the format decides the groups); the group's `g`-th simulation
/// `s` is stored as simulation `g * sims + s`.
pub(super) fn competition(
    cfg: &TournamentConfig,
    opts: &RunOptions,
    store: &mut Store,
    tid: i64,
    round: u32,
    groups: &[Vec<&Player>],
    hooks: &dyn Hooks,
) -> Result<()> {
    let mut tables: Vec<Group> = Vec::with_capacity(groups.len());
    let envs = super::environments(cfg, &opts.data_dir);
    for group in groups {
        let playing: Vec<(&Player, &Snapshot)> = group
            .iter()
            .filter_map(|p| p.playing.as_ref().map(|s| (*p, s)))
            .collect();
        if playing.len() < 2 {
            bail!("a group of fewer than two valid codebases cannot play");
        }
        tables.push(group_table(cfg, &envs, &playing, cfg.sims)?);
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
    let bar = crate::matches::progress_bar(todo.len() as u64, !opts.progress);
    let sims = cfg.sims;
    let open_live = |sim: u32, header: &ReplayHeader| hooks.live_game(tid, round, sim, header);
    let play = move |k: u32| -> Result<Played> {
        let group = (k / sims) as usize;
        match tables.get(group) {
            Some(g) => play_sim(cfg, round, k, g, &open_live),
            None => Err(anyhow!(
                "simulation {k} of round {round} belongs to no group"
            )),
        }
    };
    let next = AtomicUsize::new(0);
    let (tx, rx) = std::sync::mpsc::sync_channel::<(usize, Result<Played>)>(4 * opts.jobs.max(1));
    std::thread::scope(|s| -> Result<()> {
        for _ in 0..opts.jobs.clamp(1, todo.len()) {
            let tx = tx.clone();
            let (next, todo, play) = (&next, &todo, &play);
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
        // Store in simulation order: hold results that come early.
        let mut early: BTreeMap<usize, Played> = BTreeMap::new();
        let mut written = 0usize;
        for (k, m) in rx {
            early.insert(k, m?);
            while let Some((m, live)) = early.remove(&written) {
                let id = store.put_match(tid, &m)?;
                crate::fault::point("match");
                if let Some(live) = live {
                    let result = m
                        .replay
                        .as_ref()
                        .and_then(|(h, _)| h.result.clone())
                        .unwrap_or_default();
                    live.finished(id, &result);
                }
                written += 1;
                bar.inc(1);
                early_stop.record(&m);
                if early_stop.decided(todo.len() - written) {
                    // Workers take no more simulations; those in flight
                    // are dropped with the channel.
                    next.store(todo.len(), Ordering::Relaxed);
                    return Ok(());
                }
                // Pauses hold the round here; workers stop once the
                // channel is full. A cancel ends the round (and the run).
                hooks.checkpoint(tid)?;
            }
        }
        Ok(())
    })?;
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

/// A group's table: its codebases, ready for any of its simulations (their
/// environments were made when they were validated: found in the cache,
/// or made again if it was emptied).
fn group_table(
    cfg: &TournamentConfig,
    envs: &Environments,
    playing: &[(&Player, &Snapshot)],
    games: u32,
) -> Result<Group> {
    let entrants: Vec<Entrant> = playing
        .iter()
        .map(|(p, s)| {
            let prepared = crate::games::prepare(&*cfg.game, envs, s)
                .with_context(|| format!("{}'s bot cannot be prepared", p.name))?;
            Ok(Entrant::codebase(&p.name, (*s).clone(), prepared))
        })
        .collect::<Result<_>>()?;
    Ok(Group {
        ids: playing.iter().map(|(p, _)| p.id).collect(),
        table: cfg.game.table(&entrants, games)?,
    })
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

/// One simulation of a group, seats shuffled from its seed.
fn play_sim(
    cfg: &TournamentConfig,
    round: u32,
    sim: u32,
    group: &Group,
    open_live: OpenLive,
) -> Result<Played> {
    let seed = seeds::derive(cfg.seed, &[u64::from(round), u64::from(sim)]);
    let spec = Sim {
        seed,
        game_id: format!("{}-r{round}-s{sim}", cfg.name),
        seats: seat_order(seed, group.ids.len()),
    };
    let mut watch = LiveWatch {
        open: open_live,
        sim,
        sink: None,
    };
    let outcome = group.table.play(&spec, &mut watch)?;
    Ok((
        finished(round, sim, seed, &spec, &group.ids, outcome)?,
        watch.sink,
    ))
}

/// How many of a bad stop's last stderr lines are stored (agents see them).
const STDERR_LINES: usize = 20;

/// The last `n` lines of `text`, at most 4000 bytes of them.
fn last_lines(text: &str, n: usize) -> String {
    let lines: Vec<&str> = text.trim_end().lines().collect();
    let mut tail = lines[lines.len().saturating_sub(n)..].join("\n");
    if tail.len() > 4000 {
        let mut cut = tail.len() - 4000;
        while !tail.is_char_boundary(cut) {
            cut += 1;
        }
        tail.drain(..cut);
    }
    tail
}

/// A played simulation as the store keeps it.
fn finished(
    round: u32,
    sim: u32,
    seed: u64,
    spec: &Sim,
    ids: &[i64],
    outcome: SimOutcome,
) -> Result<FinishedMatch> {
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
            stop: o.stop.map(|s| s.as_str().to_string()),
            stderr_tail: Some(last_lines(&o.stderr_tail, STDERR_LINES)).filter(|t| !t.is_empty()),
        })
        .collect();
    let mut header = outcome.header.clone();
    header.result = Some(serde_json::to_value(outcome.match_result())?);
    Ok(FinishedMatch {
        round,
        sim,
        seed,
        turns: outcome.turns,
        players,
        replay: Some((header, outcome.frames)),
    })
}

/// What a practice gave the first player: wins, losses, draws, and each
/// simulation as JSON.
pub struct PracticeOutcome {
    pub wins: u32,
    pub losses: u32,
    pub draws: u32,
    pub results: Vec<serde_json::Value>,
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
    let playing: Vec<(&Player, &Snapshot)> = players.iter().map(|p| (p, &p.codebase)).collect();
    let group = group_table(cfg, envs, &playing, sims)?;
    let no_live = |_: u32, _: &ReplayHeader| None;
    let mut out = PracticeOutcome {
        wins: 0,
        losses: 0,
        draws: 0,
        results: Vec::new(),
    };
    for sim in 0..sims {
        let (m, _) = play_sim(cfg, 0, sim, &group, &no_live)?;
        let mine = m.players.iter().find(|p| p.player_id == 0);
        let firsts = m.players.iter().filter(|p| p.placement == 1).count();
        match mine.map(|p| p.placement) {
            Some(1) if firsts == 1 => out.wins += 1,
            Some(1) => out.draws += 1,
            _ => out.losses += 1,
        }
        out.results.push(json!({
            "sim": sim,
            "placement": mine.map(|p| p.placement),
            "reason": mine.map(|p| p.reason.clone()),
            "bot_stopped": mine.and_then(|p| p.stop.clone()),
            "stderr_tail": mine.and_then(|p| p.stderr_tail.clone()),
            "turns": m.turns,
        }));
    }
    Ok(out)
}
