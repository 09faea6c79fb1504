//! The frames of a Core War replay, and checking them by playing again.
//!
//! A Core War match is a pure function of its settings, seed and warriors,
//! so its replay stores one small frame per round (placement, who died in
//! which order, processes left, pMARS's cycle counter at the end) and a
//! viewer re-simulates the cycles it wants to show. The arena and the
//! verifier produce frames with the same function, [`record_corewar`], so
//! they agree by construction; the verifier's answer is whether the stored
//! frames are what the warriors really do.

use arena_games::corewar::battle::{Battle, BattleOutcome};
use arena_games::corewar::game::score;
use arena_games::corewar::mars::{Mars, RoundPlan};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::Mismatch;
use super::setup::{battle_from_header, stored_scores};
use crate::reader::Replay;

/// One round of a Core War replay.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoundFrame {
    /// 0-based round number.
    pub round: u64,
    /// Where each warrior's code was loaded (warrior 0 at 0).
    pub positions: Vec<u32>,
    /// The warrior that executed first.
    pub starter: usize,
    /// Warriors in the order they died.
    pub deaths: Vec<usize>,
    /// Processes each warrior had when the round ended (0: dead).
    pub processes: Vec<usize>,
    /// pMARS's cycle counter when the round ended (0 when time ran out).
    pub cycles_left: i64,
}

/// A played battle: its replay frames and its result.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CorewarRecord {
    /// One [`RoundFrame`] per round, as JSON.
    pub frames: Vec<Value>,
    /// pMARS's tallies and scores (equal to `Battle::run`'s).
    pub outcome: BattleOutcome,
}

/// Plays the battle and returns what the arena stores: the frames, and the
/// outcome (so the battle is played once, not once for the result and once
/// for the replay). Rounds are spread over up to `jobs` threads when no
/// warrior uses P-space; the frames do not depend on `jobs`.
pub fn record_corewar(battle: &Battle, jobs: usize) -> CorewarRecord {
    let plans = battle.plans();
    let jobs = if battle.rounds_independent() {
        jobs.clamp(1, plans.len().max(1))
    } else {
        1
    };
    let per_thread = plans.len().div_ceil(jobs).max(1);
    let parts: Vec<(u64, &[RoundPlan])> = plans
        .chunks(per_thread)
        .enumerate()
        .map(|(i, part)| ((i * per_thread) as u64, part))
        .collect();
    let rounds: Vec<RoundFrame> = if parts.len() <= 1 {
        parts
            .into_iter()
            .flat_map(|(first, part)| play_rounds(battle, first, part))
            .collect()
    } else {
        std::thread::scope(|scope| {
            let handles: Vec<_> = parts
                .into_iter()
                .map(|(first, part)| scope.spawn(move || play_rounds(battle, first, part)))
                .collect();
            handles
                .into_iter()
                // A thread only panics on a bug in the simulator itself.
                .flat_map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
                .collect()
        })
    };
    let outcome = outcome(battle, &rounds);
    let frames = rounds
        .iter()
        .map(|r| serde_json::to_value(r).unwrap_or(Value::Null))
        .collect();
    CorewarRecord { frames, outcome }
}

/// The frames the arena stores for a Core War battle (one per round).
pub fn corewar_frames(battle: &Battle) -> Vec<Value> {
    record_corewar(battle, 1).frames
}

/// Plays consecutive rounds on one MARS (P-space carries between them).
fn play_rounds(battle: &Battle, first: u64, plans: &[RoundPlan]) -> Vec<RoundFrame> {
    let mut mars = Mars::new(&battle.settings, &battle.warriors);
    plans
        .iter()
        .enumerate()
        .map(|(i, plan)| {
            mars.start_round(plan);
            mars.run_round();
            round_frame(&mars, first + i as u64, plan)
        })
        .collect()
}

/// The frame of a round the MARS has just finished.
pub(crate) fn round_frame(mars: &Mars, round: u64, plan: &RoundPlan) -> RoundFrame {
    RoundFrame {
        round,
        positions: plan.positions.clone(),
        starter: plan.starter,
        deaths: mars.deaths().to_vec(),
        processes: mars.process_counts(),
        cycles_left: mars.cycles_left(),
    }
}

/// pMARS's tallies from the rounds, as `CoreWar`'s `score_round` counts
/// them: survivals by number of survivors, deaths by warriors left.
fn outcome(battle: &Battle, rounds: &[RoundFrame]) -> BattleOutcome {
    let n = battle.warriors.len();
    let mut tallies = vec![vec![0u64; 2 * n.max(1) - 1]; n];
    for r in rounds {
        for (k, &dead) in r.deaths.iter().enumerate() {
            if let Some(t) = tallies.get_mut(dead).and_then(|t| t.get_mut(2 * n - 2 - k)) {
                *t += 1;
            }
        }
        let left = r.processes.iter().filter(|&&p| p > 0).count();
        for (w, &p) in r.processes.iter().enumerate() {
            if p > 0
                && let Some(t) = tallies.get_mut(w).and_then(|t| t.get_mut(left - 1))
            {
                *t += 1;
            }
        }
    }
    let scores = tallies.iter().map(|t| score(t, &battle.points)).collect();
    BattleOutcome { tallies, scores }
}

/// Plays a Core War replay's battle again from its header and checks every
/// stored frame, and the result's scores when the header has a result.
pub fn verify_corewar(replay: &Replay<'_>) -> Result<(), Mismatch> {
    verify_corewar_with(replay, 1)
}

/// [`verify_corewar`] on up to `jobs` threads.
pub fn verify_corewar_with(replay: &Replay<'_>, jobs: usize) -> Result<(), Mismatch> {
    let battle = battle_from_header(replay.header())?;
    let rounds = u64::from(battle.settings.rounds);
    // Checked before playing: a corrupt round count must not start a
    // billion-round battle.
    if rounds != replay.frame_count() {
        return Err(Mismatch::FrameCount {
            stored: replay.frame_count(),
            simulated: rounds,
        });
    }
    let record = record_corewar(&battle, jobs);
    for (turn, (stored, simulated)) in replay.frames(..).zip(&record.frames).enumerate() {
        let stored = stored?;
        if &stored != simulated {
            return Err(Mismatch::Round {
                round: turn as u64,
                stored,
                simulated: simulated.clone(),
            });
        }
    }
    if let Some(stored) = stored_scores(replay.header()) {
        let simulated: Vec<f64> = record.outcome.scores.iter().map(|&s| s as f64).collect();
        if stored != simulated {
            return Err(Mismatch::Scores { stored, simulated });
        }
    }
    Ok(())
}
