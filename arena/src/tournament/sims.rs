//! The competition phase: the round's simulations, played on worker
//! threads and stored by this thread in simulation order, one transaction
//! each (so a resumed run stores the same rows in the same order).

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use anyhow::{Context, Result, anyhow, bail};
use serde_json::json;

use arena_agents::codebase::Snapshot;
use arena_agents::contract::{self, Entry};
use arena_agents::runner;
use arena_games::battlesnake::{BattleSnakeSetup, RulesetName};
use arena_games::corewar::Warrior;
use arena_games::corewar::battle::{Battle, BattleOutcome, default_points};
use arena_games::corewar::placement::SeedSource;
use arena_games::engine::{EndReason, MatchRng};
use arena_replays::{ReplayHeader, ReplayPlayer};

use super::{Hooks, LiveSink, Player, RunOptions, rules_version};
use crate::config::{GameKind, TournamentConfig};
use crate::matches::battlesnake::{Entrant, play_game_live};
use crate::seeds;
use crate::store::{FinishedMatch, MatchPlayer, Store};

/// A playing codebase: who, and what.
struct Contender {
    player_id: i64,
    name: String,
    hash: String,
}

/// Opens a live game for a simulation about to be played, if anyone shows it.
type OpenLive<'a> = &'a (dyn Fn(u32, &ReplayHeader) -> Option<Box<dyn LiveSink>> + Sync);

/// A played simulation, and where its live game's end goes.
type Played = (FinishedMatch, Option<Box<dyn LiveSink>>);

/// How one group of players plays one of its simulations.
type PlayOne<'a> = Box<dyn Fn(u32, u32, OpenLive) -> Result<Played> + Sync + 'a>;

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
    let mut players: Vec<PlayOne> = Vec::with_capacity(groups.len());
    // Kept until the round ends: BattleSnake codebases written for the bots.
    let mut folders = Vec::new();
    for group in groups {
        let playing: Vec<(&Player, &Snapshot)> = group
            .iter()
            .filter_map(|p| p.playing.as_ref().map(|s| (*p, s)))
            .collect();
        if playing.len() < 2 {
            bail!("a group of fewer than two valid codebases cannot play");
        }
        players.push(group_player(cfg, round, &playing, &mut folders)?);
    }
    let total = groups.len() as u32 * cfg.sims;
    let stored = store.stored_sims(tid, round)?;
    let todo: Vec<u32> = (0..total).filter(|s| !stored.contains(s)).collect();
    if todo.is_empty() {
        return Ok(());
    }
    let bar = crate::matches::progress_bar(todo.len() as u64, !opts.progress);
    let sims = cfg.sims;
    let open_live = |sim: u32, header: &ReplayHeader| hooks.live_game(tid, round, sim, header);
    let play = move |k: u32| -> Result<Played> {
        let group = (k / sims) as usize;
        match players.get(group) {
            Some(p) => p(round, k, &open_live),
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

/// How one group plays: its warriors, or its bots' folders and launch
/// commands, ready for any of its simulations.
fn group_player<'a>(
    cfg: &'a TournamentConfig,
    round: u32,
    playing: &[(&Player, &Snapshot)],
    folders: &mut Vec<tempfile::TempDir>,
) -> Result<PlayOne<'a>> {
    let contenders: Vec<Contender> = playing
        .iter()
        .map(|(p, s)| Contender {
            player_id: p.id,
            name: p.name.clone(),
            hash: s.hash().to_string(),
        })
        .collect();
    Ok(match cfg.game {
        GameKind::Corewar => {
            let warriors = playing
                .iter()
                .map(
                    |(p, s)| match contract::corewar(s, &cfg.corewar_settings()) {
                        Ok(Entry::Warrior(w)) => Ok(w),
                        _ => Err(anyhow!("{}'s codebase stopped assembling", p.name)),
                    },
                )
                .collect::<Result<Vec<_>>>()?;
            // Core War games take a millisecond: spectators replay them
            // once stored rather than follow them live.
            Box::new(move |_round, sim, _live| {
                Ok((corewar_sim(cfg, round, sim, &contenders, &warriors), None))
            })
        }
        GameKind::Battlesnake => {
            let mut entrants = Vec::with_capacity(playing.len());
            for (p, s) in playing {
                let dir = tempfile::tempdir().context("a folder for the round's codebases")?;
                s.write_to(dir.path())
                    .context("writing a codebase for the round")?;
                match contract::program(s) {
                    Ok(Entry::Program(launch)) => {
                        entrants.push(Entrant::local(
                            &p.name,
                            dir.path().to_path_buf(),
                            s.hash(),
                            launch,
                        ));
                    }
                    _ => bail!("{}'s codebase is not a program", p.name),
                }
                folders.push(dir);
            }
            Box::new(move |_round, sim, live| {
                battlesnake_sim(cfg, round, sim, &contenders, &entrants, live)
            })
        }
    })
}

/// The seats of a simulation: a shuffle of the contenders from its seed.
fn seat_order(seed: u64, n: usize) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    let mut rng = MatchRng::new(seed);
    for i in (1..n).rev() {
        let j = rng.below(i as u64 + 1) as usize;
        order.swap(i, j);
    }
    order
}

fn header(
    cfg: &TournamentConfig,
    seed: u64,
    seats: &[usize],
    who: &[Contender],
    settings: serde_json::Value,
) -> ReplayHeader {
    ReplayHeader::new(
        cfg.game.name(),
        rules_version(cfg.game),
        seed,
        seated(seats, who),
        settings,
    )
}

/// The replay's players: who sat in each seat.
fn seated(seats: &[usize], who: &[Contender]) -> Vec<ReplayPlayer> {
    seats
        .iter()
        .enumerate()
        .map(|(seat, &k)| ReplayPlayer {
            seat: seat as u8,
            name: who[k].name.clone(),
            codebase_hash: who[k].hash.clone(),
        })
        .collect()
}

/// One Core War simulation: a one-round battle of every warrior, seats
/// (load order, and so who moves first and where) shuffled from the seed.
fn corewar_sim(
    cfg: &TournamentConfig,
    round: u32,
    sim: u32,
    who: &[Contender],
    warriors: &[Warrior],
) -> FinishedMatch {
    let seed = seeds::derive(cfg.seed, &[u64::from(round), u64::from(sim)]);
    let seats = seat_order(seed, who.len());
    let n = who.len();
    let battle = Battle {
        settings: arena_games::corewar::Settings {
            rounds: 1,
            warriors: n as u32,
            ..cfg.corewar_settings()
        },
        warriors: seats.iter().map(|&k| warriors[k].clone()).collect(),
        // pMARS's generator needs a seed in 1..2^31-1.
        seed: SeedSource::Seed((seed % 2_147_483_646) as i64 + 1),
        permutate: false,
        points: default_points(n),
    };
    // One play gives both the result and the replay's frames.
    let record = arena_replays::corewar::record_corewar(&battle, 1);
    let outcome: BattleOutcome = record.outcome;
    let survivors: u64 = (0..n)
        .map(|s| outcome.tallies[s][..n].iter().sum::<u64>())
        .sum();
    let players: Vec<MatchPlayer> = seats
        .iter()
        .enumerate()
        .map(|(seat, &k)| {
            let t = &outcome.tallies[seat];
            let survived = t[..n].iter().sum::<u64>() > 0;
            // A warrior that died when L were left placed L-th.
            let died_with = (2..=n).find(|&left| t[n + left - 2] > 0);
            let (placement, reason) = match (survived, died_with) {
                (true, _) if survivors == 1 => (1, EndReason::Won),
                (true, _) => (1, EndReason::Drew),
                (false, Some(left)) => (left as u32, EndReason::Eliminated),
                (false, None) => (n as u32, EndReason::Eliminated),
            };
            MatchPlayer {
                player_id: who[k].player_id,
                seat: seat as u32,
                placement,
                score: outcome.scores[seat] as f64,
                reason: reason_name(reason),
                stop: None,
            }
        })
        .collect();
    let replay = arena_replays::corewar::corewar_header(
        &battle,
        rules_version(cfg.game),
        seed,
        seated(&seats, who),
    )
    .ok()
    .map(|mut header| {
        header.result = Some(match_result_json(&players, 1));
        (header, record.frames)
    });
    FinishedMatch {
        round,
        sim,
        seed,
        turns: 1,
        players,
        replay,
    }
}

/// The match's result as the engine's `MatchResult` JSON (by seat), which
/// replays keep in their header.
fn match_result_json(players: &[MatchPlayer], turns: u64) -> serde_json::Value {
    let mut by_seat: Vec<&MatchPlayer> = players.iter().collect();
    by_seat.sort_by_key(|p| p.seat);
    json!({
        "turns": turns,
        "players": by_seat.iter().map(|p| json!({
            "seat": p.seat,
            "placement": p.placement,
            "score": p.score,
            "reason": p.reason,
        })).collect::<Vec<_>>(),
    })
}

/// One BattleSnake game of every snake, seats shuffled from the seed.
fn battlesnake_sim(
    cfg: &TournamentConfig,
    round: u32,
    sim: u32,
    who: &[Contender],
    entrants: &[Entrant],
    open_live: OpenLive,
) -> Result<Played> {
    let seed = seeds::derive(cfg.seed, &[u64::from(round), u64::from(sim)]);
    let seats = seat_order(seed, who.len());
    let bs = &cfg.battlesnake;
    let seated_entrants: Vec<Entrant> = seats
        .iter()
        .map(|&k| {
            let e = &entrants[k];
            match &e.source {
                crate::matches::battlesnake::Source::Local { dir, launch } => {
                    Entrant::local(&e.name, dir.clone(), &e.hash, launch.clone())
                }
                crate::matches::battlesnake::Source::Url(u) => Entrant {
                    name: e.name.clone(),
                    codebase: e.codebase.clone(),
                    hash: e.hash.clone(),
                    source: crate::matches::battlesnake::Source::Url(u.clone()),
                },
            }
        })
        .collect();
    let names: Vec<&str> = seated_entrants.iter().map(|e| e.name.as_str()).collect();
    let mut setup =
        BattleSnakeSetup::new(RulesetName::parse(&bs.ruleset), bs.width, bs.height, &names);
    setup.timeout_ms = i32::try_from(bs.timeout_ms).unwrap_or(i32::MAX);
    setup.game_id = format!("{}-r{round}-s{sim}", cfg.name);
    let settings = json!({ "battlesnake": bs });
    let mut replay_header = header(cfg, seed, &seats, who, settings);
    let mut live = open_live(sim, &replay_header);
    let record = play_game_live(
        &seated_entrants,
        setup,
        seed,
        &runner::Limits::default(),
        Duration::from_millis(bs.timeout_ms),
        &mut |turn, frame| {
            if let Some(live) = live.as_mut() {
                live.frame(turn, frame);
            }
        },
    );
    let players: Vec<MatchPlayer> = seats
        .iter()
        .enumerate()
        .zip(&record.seats)
        .map(|((seat, &k), o)| MatchPlayer {
            player_id: who[k].player_id,
            seat: seat as u32,
            placement: o.placement,
            score: f64::from(o.placement),
            reason: o
                .elimination
                .clone()
                .unwrap_or_else(|| reason_name(o.reason)),
            stop: Some(o.stop.clone()),
        })
        .collect();
    replay_header.result = Some(match_result_json(&players, record.turns));
    Ok((
        FinishedMatch {
            round,
            sim,
            seed,
            turns: record.turns,
            players,
            replay: Some((replay_header, record.frames)),
        },
        live,
    ))
}

fn reason_name(r: EndReason) -> String {
    serde_json::to_value(r)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_else(|| format!("{r:?}"))
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
    let mut folders = Vec::new();
    let play = group_player(cfg, 0, &playing, &mut folders)?;
    let no_live = |_: u32, _: &ReplayHeader| None;
    let mut out = PracticeOutcome {
        wins: 0,
        losses: 0,
        draws: 0,
        results: Vec::new(),
    };
    for sim in 0..sims {
        let (m, _) = play(0, sim, &no_live)?;
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
            "turns": m.turns,
        }));
    }
    Ok(out)
}
