//! The core as the web viewer draws it: every cell with the warrior that
//! last wrote it, and the writes of the last few executions, re-simulated
//! one execution at a time from the start of the round.
//!
//! The MARS's hot loop keeps no owners, so the tracer runs it one execution
//! at a time and compares, around each executed instruction, the cells it
//! can reach (its own, its operands' pointers and their targets, one either
//! side for increments) before and after. A Redcode instruction writes
//! nowhere else, so every write is seen, at about twenty reads a step.

use arena_games::corewar::Instruction;
use serde::Serialize;

use super::Mismatch;
use super::view::{check_round, round_start};
use crate::reader::Replay;

/// One round's core after some executions, with owners and recent writes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CoreTrace {
    pub round: u64,
    /// Executions played in the round (fewer than asked if it ended first).
    pub executions: u64,
    pub round_over: bool,
    /// pMARS's cycle counter.
    pub cycles_left: i64,
    pub core_size: u32,
    /// The cells that are not the empty `DAT.F $0, $0`: `[address, text]`.
    pub cells: Vec<(u32, String)>,
    /// Per cell, the warrior that loaded or last wrote it (-1: nobody).
    pub owners: Vec<i8>,
    /// Writes in the last `trail` executions: `[address, warrior,
    /// execution]` (execution counted from 1), oldest first.
    pub writes: Vec<(u32, usize, u64)>,
    /// Per warrior, its queued process addresses, next to run first.
    pub processes: Vec<Vec<u32>>,
    /// The warrior that executes next.
    pub next_warrior: usize,
    /// Warriors dead so far, in order.
    pub deaths: Vec<usize>,
}

/// The core of `round` after `executions` executions, with the writes of
/// the last `trail` of them; checked against the replay's frame.
pub fn core_trace(
    replay: &Replay<'_>,
    round: u64,
    executions: u64,
    trail: u64,
) -> Result<CoreTrace, Mismatch> {
    let (battle, plan, mut mars) = round_start(replay, round)?;
    let size = mars.core().len();
    let mut owners = vec![-1i8; size];
    for (w, warrior) in battle.warriors.iter().enumerate() {
        let at = plan.positions.get(w).copied().unwrap_or(0) as usize;
        for k in 0..warrior.code.len() {
            owners[(at + k) % size] = i8::try_from(w).unwrap_or(i8::MAX);
        }
    }
    let mut writes = Vec::new();
    let from = executions.saturating_sub(trail);
    let mut done = 0;
    let mut before: Vec<(usize, Instruction)> = Vec::with_capacity(24);
    while done < executions && !mars.round_over() {
        let w = mars.next_warrior();
        let Some(pc) = mars.next_pc() else {
            break;
        };
        before.clear();
        for addr in reach(mars.core(), pc as usize) {
            if !before.iter().any(|(a, _)| *a == addr) {
                before.push((addr, mars.core()[addr].instruction()));
            }
        }
        mars.run(1);
        done += 1;
        for (addr, old) in &before {
            if mars.core()[*addr].instruction() != *old {
                owners[*addr] = i8::try_from(w).unwrap_or(i8::MAX);
                if done > from {
                    writes.push((*addr as u32, w, done));
                }
            }
        }
    }
    let trace = CoreTrace {
        round,
        executions: done,
        round_over: mars.round_over(),
        cycles_left: mars.cycles_left(),
        core_size: size as u32,
        cells: mars
            .core()
            .iter()
            .enumerate()
            .map(|(a, c)| (a as u32, c.instruction()))
            .filter(|(_, i)| *i != Instruction::EMPTY)
            .map(|(a, i)| (a, i.to_string()))
            .collect(),
        owners,
        writes,
        processes: (0..battle.warriors.len())
            .map(|w| mars.processes(w))
            .collect(),
        next_warrior: mars.next_warrior(),
        deaths: mars.deaths().to_vec(),
    };
    mars.run_round();
    check_round(replay, round, &mars, &plan)?;
    Ok(trace)
}

/// The cells an instruction at `pc` can write: itself, its operands'
/// pointer cells and the cells those point to, one either side of each
/// target for pre-decrements and post-increments.
fn reach(core: &[arena_games::corewar::mars::Cell], pc: usize) -> Vec<usize> {
    let size = core.len();
    let at = |a: usize| a % size;
    let i = core[pc].instruction();
    let mut out = vec![pc];
    for field in [i.a as usize, i.b as usize] {
        for d in [0, 1, size - 1] {
            let ptr = at(pc + field + d);
            out.push(ptr);
            let p = core[ptr].instruction();
            for f in [p.a as usize, p.b as usize] {
                for e in [0, 1, size - 1] {
                    out.push(at(ptr + f + e));
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::reach;
    use arena_games::corewar::mars::Cell;

    #[test]
    fn an_empty_core_reaches_the_cell_itself_and_its_neighbours() {
        let core = vec![Cell::EMPTY; 16];
        let mut r = reach(&core, 3);
        r.sort_unstable();
        r.dedup();
        assert_eq!(r, vec![1, 2, 3, 4, 5]);
    }
}
