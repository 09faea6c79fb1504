//! `mutate`: a small, honest hill climber for Core War.
//!
//! Each edit assembles the current `warrior.red`, makes `mutations`
//! candidates by random edits (an opcode, modifier, addressing mode or
//! field of a random instruction; a constant nudged; an instruction
//! inserted or deleted), prints each back as Redcode, and plays each against
//! the current version for `trials` rounds. The candidate with the largest
//! score margin is kept if that margin is positive (it scored strictly more
//! than the current version); otherwise the codebase is returned unchanged.
//! Everything random comes from the context's seed.
//!
//! Battles are played in chunks of [`CHUNK`] rounds with placement seeds
//! drawn once per edit and shared by every candidate (common random numbers:
//! candidates are compared on the same positions). A candidate stops early
//! once it can no longer beat the best margin so far even by winning every
//! remaining round; that never changes which candidate is kept, it only
//! saves time.
//!
//! When the deadline passes mid-edit the edit is a [`EditError::Timeout`]:
//! a partial result would depend on the machine's speed.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::time::Instant;

use arena_games::corewar::assembler;
use arena_games::corewar::battle::{Battle, default_points};
use arena_games::corewar::placement::SeedSource;
use arena_games::corewar::{Instruction, Mode, Modifier, Opcode, Settings, Warrior};
use arena_games::engine::MatchRng;

use super::redcode::{instruction, print};
use super::{Edit, EditContext, EditError, Editor};
use crate::codebase::{File, Snapshot};
use crate::contract::{self, Entry, WARRIOR};

/// Rounds per battle chunk (even, so that both warriors start equally often).
pub const CHUNK: u32 = 20;
/// The most rounds a battle may have.
const MAX_TRIALS: u32 = 1_000_000;
/// The most candidates an edit may make.
const MAX_MUTATIONS: u32 = 10_000;

/// The hill climber; see the module documentation.
#[derive(Clone, Debug)]
pub struct MutateAgent {
    trials: u32,
    mutations: u32,
    jobs: usize,
}

impl MutateAgent {
    /// `trials` rounds per candidate battle, `mutations` candidates per edit.
    pub fn new(trials: u32, mutations: u32) -> Result<MutateAgent, String> {
        if !(1..=MAX_TRIALS).contains(&trials) {
            return Err(format!(
                "mutate: trials = {trials}; it takes 1 to {MAX_TRIALS} rounds per candidate battle (default 200)"
            ));
        }
        if !(1..=MAX_MUTATIONS).contains(&mutations) {
            return Err(format!(
                "mutate: mutations = {mutations}; it takes 1 to {MAX_MUTATIONS} candidates per edit (default 8)"
            ));
        }
        Ok(MutateAgent {
            trials,
            mutations,
            jobs: 1,
        })
    }

    /// Plays each battle chunk on up to `jobs` threads (default 1). The
    /// result does not depend on it.
    pub fn with_jobs(mut self, jobs: usize) -> MutateAgent {
        self.jobs = jobs.max(1);
        self
    }
}

/// How a candidate fared against the current version.
struct Trial {
    /// Candidate's score minus the current version's.
    margin: i64,
    current: i64,
    candidate: i64,
    rounds: u32,
}

impl Editor for MutateAgent {
    fn edit(&mut self, ctx: &EditContext) -> Result<Edit, EditError> {
        let started = Instant::now();
        if ctx.game != "corewar" {
            return Err(EditError::Failed(format!(
                "mutate edits Core War warriors only, and this tournament plays {}; use agent = \"static\", \"command\" or \"versions\"",
                ctx.game
            )));
        }
        let settings = ctx.settings.downcast_ref::<Settings>().ok_or_else(|| {
            EditError::Failed("mutate: the arena gave no Core War settings".into())
        })?;
        if settings.icws88 {
            return Err(EditError::Failed(
                "mutate writes ICWS'94 Redcode (explicit modifiers) and cannot edit for an ICWS'88 (-8) tournament".into(),
            ));
        }
        let current = match contract::corewar(ctx.codebase, settings) {
            Ok(Entry::Warrior(w)) => w,
            Ok(Entry::Program(_)) => {
                return Err(EditError::Failed(format!(
                    "mutate: {WARRIOR} is not a warrior"
                )));
            }
            Err(e) => return Err(EditError::Failed(format!("mutate: {}", e.0))),
        };
        if current.code.is_empty() {
            return Err(EditError::Failed(format!(
                "mutate: {WARRIOR} has no instructions to mutate"
            )));
        }

        let mut rng = MatchRng::new(ctx.seed);
        let chunks = self.trials.div_ceil(CHUNK);
        // Park-Miller seeds must be in 1..2^31-1.
        let seeds: Vec<i64> = (0..chunks)
            .map(|_| 1 + rng.below(2_147_483_646) as i64)
            .collect();
        let mut battle_settings = settings.clone();
        battle_settings.warriors = 2;
        let points = default_points(2);
        let best_round = points.iter().copied().max().unwrap_or(0);

        let mut note = format!(
            "mutate: round {}, {} candidates x {} rounds against the current version",
            ctx.round, self.mutations, self.trials
        );
        // The best so far: candidate number, its Redcode, how it fared.
        let mut best: Option<(u32, String, Trial)> = None;
        let mut played = 0u64;
        for c in 1..=self.mutations {
            let (candidate, what) = mutant(&current, &mut rng, settings);
            let _ = write!(note, "\n  candidate {c}: {what}: ");
            if candidate.code == current.code && candidate.start == current.start {
                note.push_str("same as the current version, skipped");
                continue;
            }
            let text = print(&candidate, settings);
            let candidate = match assembler::assemble(&text, settings) {
                Ok(a) if a.warrior.code == candidate.code && a.warrior.start == candidate.start => {
                    a.warrior
                }
                _ => {
                    note.push_str("did not re-assemble to itself, skipped");
                    continue;
                }
            };
            let threshold = best.as_ref().map_or(0, |b| b.2.margin);
            let mut trial = Trial {
                margin: 0,
                current: 0,
                candidate: 0,
                rounds: 0,
            };
            let mut pruned = false;
            for (k, seed) in seeds.iter().enumerate() {
                if started.elapsed() >= ctx.deadline {
                    return Err(EditError::Timeout(ctx.deadline));
                }
                let done = CHUNK * k as u32;
                let rounds = CHUNK.min(self.trials - done);
                battle_settings.rounds = rounds;
                let outcome = Battle {
                    settings: battle_settings.clone(),
                    warriors: vec![current.clone(), candidate.clone()],
                    seed: SeedSource::Seed(*seed),
                    permutate: false,
                    points: points.clone(),
                }
                .run(self.jobs);
                let cur = outcome.scores.first().copied().unwrap_or(0);
                let cand = outcome.scores.get(1).copied().unwrap_or(0);
                trial.current += cur;
                trial.candidate += cand;
                trial.margin += cand - cur;
                trial.rounds += rounds;
                let left = i64::from(self.trials - trial.rounds);
                if trial.rounds < self.trials && trial.margin + best_round * left <= threshold {
                    pruned = true;
                    break;
                }
            }
            played += u64::from(trial.rounds);
            let _ = write!(
                note,
                "scored {} to the current version's {} in {} rounds",
                trial.candidate, trial.current, trial.rounds
            );
            if pruned {
                note.push_str(" (stopped: cannot beat the best so far)");
            } else if trial.margin > threshold {
                best = Some((c, text, trial));
            }
        }

        let _ = write!(
            note,
            "\n{played} of {} rounds played",
            u64::from(self.trials) * u64::from(self.mutations)
        );
        let Some((c, text, trial)) = best else {
            note.push_str("\nno candidate beat the current version; codebase unchanged");
            return Ok(Edit::new(ctx.codebase.clone(), note));
        };
        let _ = write!(
            note,
            "\nkept candidate {c} ({} to {} over {} rounds)",
            trial.candidate, trial.current, trial.rounds
        );
        let mut files: BTreeMap<String, File> = ctx.codebase.files().clone();
        files.insert(
            WARRIOR.to_string(),
            File {
                bytes: text.into_bytes(),
                executable: false,
            },
        );
        Ok(Edit::new(Snapshot::from_files(files), note))
    }
}

/// A candidate: the warrior with one edit, sometimes two, and what changed.
fn mutant(current: &Warrior, rng: &mut MatchRng, settings: &Settings) -> (Warrior, String) {
    let mut w = current.clone();
    let edits = if rng.below(3) == 0 { 2 } else { 1 };
    let what: Vec<String> = (0..edits)
        .map(|_| mutate_once(&mut w, rng, settings))
        .collect();
    (w, what.join("; "))
}

fn pick<T: Copy + PartialEq>(all: &[T], not: T, rng: &mut MatchRng) -> T {
    let others: Vec<T> = all.iter().copied().filter(|x| *x != not).collect();
    others
        .get(rng.below(others.len() as u64) as usize)
        .copied()
        .unwrap_or(not)
}

fn any<T: Copy>(all: &[T], rng: &mut MatchRng) -> T {
    all[rng.below(all.len() as u64) as usize]
}

/// A field value moved by a small step, or now and then anywhere.
fn nudge(value: u32, rng: &mut MatchRng, core: u32) -> u32 {
    let core = core.max(1);
    if rng.below(4) == 0 {
        return rng.below(u64::from(core)) as u32;
    }
    let step = 1 + rng.below(8) as i64;
    let step = if rng.below(2) == 0 { step } else { -step };
    (i64::from(value) + step).rem_euclid(i64::from(core)) as u32
}

/// An instruction for inserting: a copy of one already there with one part
/// changed, or a random one with small fields.
fn new_instruction(w: &Warrior, rng: &mut MatchRng, core: u32) -> Instruction {
    if !w.code.is_empty() && rng.below(2) == 0 {
        let mut i = w.code[rng.below(w.code.len() as u64) as usize];
        i.b = nudge(i.b, rng, core);
        return i;
    }
    let small =
        |rng: &mut MatchRng| (rng.below(21) as i64 - 10).rem_euclid(i64::from(core.max(1))) as u32;
    Instruction {
        opcode: any(&Opcode::ALL, rng),
        modifier: any(&Modifier::ALL, rng),
        a_mode: any(&Mode::ALL, rng),
        a: small(rng),
        b_mode: any(&Mode::ALL, rng),
        b: small(rng),
    }
}

/// One random edit of `w`, described.
fn mutate_once(w: &mut Warrior, rng: &mut MatchRng, settings: &Settings) -> String {
    let core = settings.core_size;
    let n = w.code.len();
    let max_len = settings.max_length as usize;
    // Weights: opcode 2, modifier 1, A mode 1, B mode 1, A field 2, B field 2, insert 1, delete 1.
    let mut kind = rng.below(11);
    if kind == 9 && n >= max_len {
        kind = 10;
    }
    if kind == 10 && n <= 1 {
        kind = if n < max_len { 9 } else { 0 };
    }
    match kind {
        9 => {
            let pos = rng.below(n as u64 + 1) as usize;
            let i = new_instruction(w, rng, core);
            w.code.insert(pos, i);
            if pos as u32 <= w.start && (w.start as usize) < n {
                w.start += 1;
            }
            format!("insert at line {}: {}", pos + 1, instruction(&i, core))
        }
        10 => {
            let pos = rng.below(n as u64) as usize;
            let old = w.code.remove(pos);
            if (pos as u32) < w.start && (w.start as usize) < n {
                w.start -= 1;
            } else if w.start as usize >= w.code.len() && (w.start as usize) < n {
                w.start = 0;
            }
            format!("delete line {}: {}", pos + 1, instruction(&old, core))
        }
        _ => {
            let pos = rng.below(n as u64) as usize;
            let old = w.code[pos];
            let mut i = old;
            match kind {
                0 | 1 => i.opcode = pick(&Opcode::ALL, i.opcode, rng),
                2 => i.modifier = pick(&Modifier::ALL, i.modifier, rng),
                3 => i.a_mode = pick(&Mode::ALL, i.a_mode, rng),
                4 => i.b_mode = pick(&Mode::ALL, i.b_mode, rng),
                5 | 6 => i.a = nudge(i.a, rng, core),
                _ => i.b = nudge(i.b, rng, core),
            }
            w.code[pos] = i;
            format!(
                "line {}: {} -> {}",
                pos + 1,
                instruction(&old, core),
                instruction(&i, core)
            )
        }
    }
}
