//! What a viewer shows of a Core War replay: the core and the processes at
//! any execution of any round, re-simulated from the header's warriors and
//! seed, and checked against the stored frame of that round on the way (a
//! viewer never shows a core the replay does not vouch for).
//!
//! Time inside a round is counted in executions: one instruction of one
//! warrior. pMARS's own cycle counter is not a clock (it is rescaled when a
//! warrior dies), so viewers scrub on executions.

use arena_games::corewar::Instruction;
use arena_games::corewar::battle::Battle;
use arena_games::corewar::mars::{Mars, RoundPlan};
use serde_json::{Value, json};

use super::Mismatch;
use super::record::round_frame;
use super::setup::battle_from_header;
use crate::reader::Replay;

/// The core and the processes at one moment of a round.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CoreView {
    pub round: u64,
    /// Executions played in the round (fewer than asked if it ended first).
    pub executions: u64,
    /// Whether the round is over at this moment.
    pub round_over: bool,
    /// pMARS's cycle counter.
    pub cycles_left: i64,
    /// Every cell, address 0 first.
    pub core: Vec<Instruction>,
    /// Per warrior, its queued process addresses, next to run first.
    pub processes: Vec<Vec<u32>>,
    /// Warriors dead so far, in order.
    pub deaths: Vec<usize>,
}

impl CoreView {
    /// A compact JSON form for viewers: only the cells that are not the
    /// empty `DAT.F $0, $0`, as `[address, "MOV.I $0, $1"]`.
    pub fn to_json(&self) -> Value {
        let cells: Vec<Value> = self
            .core
            .iter()
            .enumerate()
            .filter(|(_, i)| **i != Instruction::EMPTY)
            .map(|(addr, i)| json!([addr, i.to_string()]))
            .collect();
        json!({
            "round": self.round,
            "executions": self.executions,
            "round_over": self.round_over,
            "cycles_left": self.cycles_left,
            "core_size": self.core.len(),
            "cells": cells,
            "processes": self.processes,
            "deaths": self.deaths,
        })
    }
}

/// When things happened in a round, in executions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RoundTimeline {
    pub round: u64,
    /// Executions the round lasted.
    pub executions: u64,
    /// `(warrior, execution)`: each death, the execution that killed it
    /// counted (seek to `execution - 1` to see the fatal instruction queued).
    pub deaths: Vec<(usize, u64)>,
}

/// The core and processes of `round` after `executions` executions, checked
/// against the replay's frame for that round.
pub fn core_at(replay: &Replay<'_>, round: u64, executions: u64) -> Result<CoreView, Mismatch> {
    let (battle, plan, mut mars) = round_start(replay, round)?;
    let mut done = 0;
    while done < executions && !mars.round_over() {
        // Exact count: a slice that cannot end the round runs whole.
        let step = safe_slice(&mars).min(executions - done);
        mars.run(step);
        done += step;
    }
    let view = CoreView {
        round,
        executions: done,
        round_over: mars.round_over(),
        cycles_left: mars.cycles_left(),
        core: mars.core().iter().map(|c| c.instruction()).collect(),
        processes: (0..battle.warriors.len())
            .map(|w| mars.processes(w))
            .collect(),
        deaths: mars.deaths().to_vec(),
    };
    mars.run_round();
    check_round(replay, round, &mars, &plan)?;
    Ok(view)
}

/// How long `round` lasted and when each warrior died, checked against the
/// replay's frame for that round.
pub fn round_timeline(replay: &Replay<'_>, round: u64) -> Result<RoundTimeline, Mismatch> {
    let (_, plan, mut mars) = round_start(replay, round)?;
    let mut executions = 0;
    let mut deaths = Vec::new();
    while !mars.round_over() {
        let step = safe_slice(&mars);
        mars.run(step);
        executions += step;
        if let Some(&dead) = mars.deaths().get(deaths.len()) {
            deaths.push((dead, executions));
        }
    }
    check_round(replay, round, &mars, &plan)?;
    Ok(RoundTimeline {
        round,
        executions,
        deaths,
    })
}

/// Executions that certainly end no life and not the round, so they run in
/// one call with an exact count; 1 when that cannot be promised (then the
/// single execution is exact too).
///
/// A process dies only by executing, so a warrior with `p` processes needs
/// `p` of its own executions to die; with `left` warriors taking turns, each
/// runs at most `ceil(slice / left)` times in a slice.
fn safe_slice(mars: &Mars) -> u64 {
    let counts = mars.process_counts();
    let living: Vec<u64> = counts
        .iter()
        .filter(|&&p| p > 0)
        .map(|&p| p as u64)
        .collect();
    let fewest = living.iter().copied().min().unwrap_or(1);
    let by_deaths = (fewest - 1).saturating_mul(living.len() as u64);
    let by_clock = u64::try_from(mars.cycles_left() - 1).unwrap_or(0);
    by_deaths.min(by_clock).max(1)
}

/// The battle, the round's plan, and a MARS loaded for the start of the
/// round (after playing the earlier rounds when P-space links them).
pub(super) fn round_start(
    replay: &Replay<'_>,
    round: u64,
) -> Result<(Battle, RoundPlan, Mars), Mismatch> {
    let battle = battle_from_header(replay.header())?;
    let rounds = u64::from(battle.settings.rounds);
    if rounds != replay.frame_count() {
        return Err(Mismatch::FrameCount {
            stored: replay.frame_count(),
            simulated: rounds,
        });
    }
    if round >= rounds {
        return Err(Mismatch::NoSuchRound { round, rounds });
    }
    let plans = battle.plans();
    let mut mars = Mars::new(&battle.settings, &battle.warriors);
    if !battle.rounds_independent() {
        for (r, plan) in plans.iter().enumerate().take(round as usize) {
            mars.start_round(plan);
            mars.run_round();
            check_round(replay, r as u64, &mars, plan)?;
        }
    }
    let plan = plans
        .get(round as usize)
        .cloned()
        .ok_or(Mismatch::NoSuchRound { round, rounds })?;
    mars.start_round(&plan);
    Ok((battle, plan, mars))
}

/// Compares a finished round with the replay's frame for it.
pub(super) fn check_round(
    replay: &Replay<'_>,
    round: u64,
    mars: &Mars,
    plan: &RoundPlan,
) -> Result<(), Mismatch> {
    let simulated = serde_json::to_value(round_frame(mars, round, plan)).unwrap_or(Value::Null);
    let stored = replay.frame(round)?;
    if stored == simulated {
        Ok(())
    } else {
        Err(Mismatch::Round {
            round,
            stored,
            simulated,
        })
    }
}
