//! The MARS: the core, the process queues and P-space, and the cycle loop.
//!
//! This is the hot loop, so it is plain Rust over flat arrays. It follows
//! pMARS's `simulator1()` (sim.c) step for step, including its in-register
//! operand evaluation and its order of reads and writes, because battle
//! results must match pMARS exactly.

use super::redcode::{Instruction, Modifier, Opcode};

pub use super::exec::Cell;
use super::exec::{
    Cells, Core, DIE, DIRECT, PSpaces, Queued, SMALL, SPECIAL, SPLIT, code, execute, execute_as,
    kind_of, mode_bits, mode_of,
};

impl Cell {
    /// `DAT.F $0, $0`.
    pub const EMPTY: Cell = Cell::new(0, 0, code(Opcode::Dat, Modifier::F, DIRECT, DIRECT));

    /// The cell as an instruction.
    pub fn instruction(&self) -> Instruction {
        let c = usize::from(self.code);
        let opcode = Opcode::ALL[(c >> 11).min(Opcode::ALL.len() - 1)];
        let modifier = Modifier::ALL[((c >> 8) & 7).min(Modifier::ALL.len() - 1)];
        Instruction {
            opcode,
            modifier,
            a_mode: mode_of((c >> 4) & 15),
            a: self.a,
            b_mode: mode_of(c & 15),
            b: self.b,
        }
    }
}

impl From<&Instruction> for Cell {
    fn from(i: &Instruction) -> Cell {
        Cell::new(
            i.a,
            i.b,
            code(
                i.opcode,
                i.modifier,
                mode_bits(i.a_mode),
                mode_bits(i.b_mode),
            ),
        )
    }
}

/// A warrior's process queue and place in the execution order. The
/// queue's addresses live in `Mars::ring`, in a region per warrior of
/// `max_processes` slots rounded up to a power of two. `head` and `tail`
/// count the processes taken from and put in the queue since the round
/// began, and a count's slot is the count modulo the region's size: moving
/// on is an increment, and the number of processes is their difference, so
/// the two-warrior loop keeps two numbers per warrior instead of three.
#[derive(Clone, Copy, Debug, Default)]
struct Proc {
    /// Where the warrior's region of the ring starts.
    base: usize,
    /// Processes taken from the queue: the next to run is this count's slot.
    head: usize,
    /// Processes put in the queue: the next is queued in this count's slot.
    tail: usize,
    /// The next living warrior in execution order (pMARS's `nextWarrior`).
    next: usize,
}

impl Proc {
    /// Processes the warrior has (pMARS's `tasks`).
    #[inline(always)]
    fn len(&self) -> usize {
        self.tail - self.head
    }
}

/// How a round stands after a call to [`Mars::run`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RoundState {
    /// Cycles remain and at least two warriors (or the only one) live.
    Running,
    /// The round is over; [`Mars::survivors`] says who lived.
    Over,
}

/// Where each warrior starts a round, and who moves first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RoundPlan {
    /// Load address of each warrior's first instruction (warrior 0 is at 0).
    pub positions: Vec<u32>,
    /// The warrior that executes the first cycle.
    pub starter: usize,
}

/// The whole machine for one battle.
#[derive(Clone, Debug)]
pub struct Mars {
    core_size: u32,
    max_processes: u32,
    max_cycles: u64,
    /// `core_size` cells, or [`SMALL`] when the core fits in that many.
    core: Vec<Cell>,
    pspaces: Vec<Vec<u32>>,
    /// Which P-space each warrior uses (warriors with the same PIN share one).
    pspace_of: Vec<usize>,
    /// P-space cell 0 of each warrior: its result in the previous round.
    last_results: Vec<u32>,
    warriors: Vec<Vec<Cell>>,
    starts: Vec<u32>,
    procs: Vec<Proc>,
    /// Every warrior's process ring: a region of [`Mars::region`] slots
    /// each, [`RING_GAP`] apart.
    ring: Vec<u32>,
    /// Deaths and survivals of the round so far, as pMARS counts them.
    round: RoundProgress,
    /// Tests set this to run every round in the loop for any number of
    /// warriors, which takes every turn as pMARS does, as the reference
    /// for the two-warrior loop's shortcuts.
    #[cfg(test)]
    plain: bool,
}

/// The state of the round in progress, kept between calls to [`Mars::run`].
#[derive(Clone, Debug, Default)]
struct RoundProgress {
    /// pMARS's `cycle`: executions left, counted down (signed, as in C).
    cycle: i64,
    /// The warrior to execute next (`W`).
    current: usize,
    /// Warriors still alive.
    left: usize,
    /// Warrior indices in the order they died this round.
    deaths: Vec<usize>,
    over: bool,
}

impl Mars {
    /// A MARS for these warriors.
    pub fn new(settings: &super::Settings, warriors: &[super::Warrior]) -> Mars {
        let core_size = settings.core_size.max(1);
        let pspace_size = settings.pspace_size.max(1);
        let n = warriors.len();
        let cap = settings.max_processes.max(1) as usize;
        let cells = if core_size as usize <= SMALL {
            SMALL
        } else {
            core_size as usize
        };
        Mars {
            core_size,
            max_processes: settings.max_processes,
            max_cycles: settings.max_cycles,
            core: vec![Cell::EMPTY; cells],
            pspaces: vec![vec![0; pspace_size as usize]; pspace_count(warriors)],
            pspace_of: share_pspaces(warriors),
            last_results: vec![core_size - 1; n],
            warriors: warriors
                .iter()
                .map(|w| w.code.iter().map(Cell::from).collect())
                .collect(),
            starts: warriors.iter().map(|w| w.start).collect(),
            procs: vec![Proc::default(); n],
            // `n` regions, each with its gap: up to where a warrior `n` would start.
            ring: vec![0; <[u32]>::base(n, cap.next_power_of_two())],
            round: RoundProgress {
                over: true,
                ..RoundProgress::default()
            },
            #[cfg(test)]
            plain: false,
        }
    }

    /// The most processes a warrior may have.
    fn cap(&self) -> usize {
        self.max_processes.max(1) as usize
    }

    /// Slots in a warrior's region of the process ring: [`Mars::cap`]
    /// rounded up to a power of two.
    fn region(&self) -> usize {
        self.cap().next_power_of_two()
    }

    /// The core as it is now.
    pub fn core(&self) -> &[Cell] {
        &self.core[..self.core_size as usize]
    }

    /// The number of processes each warrior has.
    pub fn process_counts(&self) -> Vec<usize> {
        self.procs.iter().map(Proc::len).collect()
    }

    /// The queued process addresses of one warrior, next to run first.
    pub fn processes(&self, warrior: usize) -> Vec<u32> {
        let region = self.region();
        self.procs.get(warrior).map_or_else(Vec::new, |p| {
            (p.head..p.tail)
                .map(|i| self.ring[p.base + i % region])
                .collect()
        })
    }

    /// Executions left in this round (pMARS counts one per warrior per cycle).
    pub fn cycles_left(&self) -> i64 {
        self.round.cycle
    }

    /// Warrior indices in the order they died this round.
    pub fn deaths(&self) -> &[usize] {
        &self.round.deaths
    }

    /// The warrior that executes next (viewers attribute its writes).
    pub fn next_warrior(&self) -> usize {
        self.round.current
    }

    /// The address the next execution runs, if its warrior has a process.
    pub fn next_pc(&self) -> Option<u32> {
        let p = self.procs.get(self.round.current)?;
        (p.len() > 0).then(|| self.ring[p.base + p.head % self.region()])
    }

    /// Whether the round has ended (or none was started).
    pub fn round_over(&self) -> bool {
        self.round.over
    }

    /// Whether each warrior still has processes.
    pub fn survivors(&self) -> Vec<bool> {
        self.procs.iter().map(|p| p.len() > 0).collect()
    }

    /// Loads the warriors as pMARS does at the start of a round: clears the
    /// core, copies each warrior to its position, and gives each one process.
    pub fn start_round(&mut self, plan: &RoundPlan) {
        let n = self.warriors.len();
        self.core[..self.core_size as usize].fill(Cell::EMPTY);
        for w in 0..n {
            let at = plan.positions.get(w).copied().unwrap_or(0) % self.core_size;
            for (k, cell) in self.warriors[w].iter().enumerate() {
                let addr = (at as usize + k) % self.core_size as usize;
                self.core[addr] = *cell;
            }
            // pMARS queues position + offset without reducing it; the loader's
            // distance rules keep it inside the core.
            let first = (at + self.starts[w]) % self.core_size;
            let base = <[u32]>::base(w, self.region());
            self.ring[base] = first;
            self.procs[w] = Proc {
                base,
                head: 0,
                tail: 1,
                next: (w + 1) % n,
            };
        }
        let starter = plan.starter.min(n.saturating_sub(1));
        self.round = RoundProgress {
            cycle: (n as u64).saturating_mul(self.max_cycles) as i64,
            current: starter,
            left: n,
            deaths: Vec::with_capacity(n),
            over: n == 0,
        };
    }

    /// Ends the round as pMARS's `nextround:` does: each warrior's result
    /// cell becomes the number of survivors if it lived, else 0.
    fn finish_round(&mut self) {
        let left = self.round.left as u32;
        for (r, p) in self.last_results.iter_mut().zip(&self.procs) {
            *r = if p.len() > 0 { left } else { 0 };
        }
        self.round.over = true;
    }

    /// Runs up to `budget` executions of the current round (one warrior's
    /// instruction each), and says whether the round is over.
    pub fn run(&mut self, budget: u64) -> RoundState {
        let mut budget = budget;
        // pMARS's count can step past 0 when a warrior dies on the last
        // cycle of a melee; its loop then runs on until deaths leave one
        // warrior (for 2^64 cycles if they never do). The arena runs on as
        // pMARS does for up to `OVERTIME` executions (or one more full
        // count, if that is more), and then calls the round a tie.
        let count = (self.procs.len() as u64).saturating_mul(self.max_cycles);
        let overtime = -(count.max(OVERTIME) as i64);
        while !self.round.over && budget > 0 {
            // Run until the budget, the cycle count or a warrior's death.
            let cycle = self.round.cycle;
            let left = if cycle > 0 { cycle } else { cycle - overtime };
            let steps = budget.min(left.max(1) as u64);
            let (done, died) = self.run_steps(steps);
            budget = budget.saturating_sub(done);
            self.round.cycle -= done as i64;
            if died {
                self.bury();
            } else if self.round.cycle == 0 || self.round.cycle <= overtime {
                self.finish_round();
            }
        }
        if self.round.over {
            RoundState::Over
        } else {
            RoundState::Running
        }
    }

    /// The hot loop: executes up to `steps` instructions, one per living
    /// warrior in turn. Stops early, after the executing one, when a
    /// warrior's last process dies, leaving `round.current` on that warrior.
    /// Returns the executions done and whether a warrior died.
    fn run_steps(&mut self, steps: u64) -> (u64, bool) {
        #[cfg(test)]
        if self.plain {
            return self.run_steps_any::<[Cell]>(steps);
        }
        let pair = self.procs.len() == 2 && self.round.left == 2;
        let small = self.core.len() == SMALL;
        let standard = self.core_size == 8000 && self.cap() == STANDARD_CAP;
        match (small, pair) {
            // The standard core and process limit, known to the compiler,
            // free registers and bounds checks.
            (true, true) if standard => {
                self.run_steps_pair::<[Cell; SMALL], [u32; STANDARD_RING], 8000>(steps)
            }
            (true, true) => self.run_steps_pair::<[Cell; SMALL], [u32], 0>(steps),
            (true, false) => self.run_steps_any::<[Cell; SMALL]>(steps),
            (false, true) => self.run_steps_pair::<[Cell], [u32], 0>(steps),
            (false, false) => self.run_steps_any::<[Cell]>(steps),
        }
    }

    /// [`Mars::run_steps`] for any number of warriors, the core seen as `C`.
    #[inline(never)]
    fn run_steps_any<C: Cells + ?Sized>(&mut self, steps: u64) -> (u64, bool)
    where
        for<'a> &'a mut C: TryFrom<&'a mut [Cell]>,
    {
        let queues = Queues {
            cap: self.cap(),
            region: self.region(),
        };
        let Ok(cells) = <&mut C>::try_from(&mut self.core[..]) else {
            return (0, false);
        };
        let core = &mut Core::<C, 0> {
            cells,
            size: self.core_size,
        };
        let procs = &mut self.procs[..];
        let ring = &mut self.ring[..];
        let mut pspace = PSpaces {
            spaces: &mut self.pspaces,
            space_of: &self.pspace_of,
            last_results: &mut self.last_results,
            warrior: 0,
        };
        let mut w = self.round.current;
        let mut done = 0;
        while done < steps {
            done += 1;
            let p = &mut procs[w];
            pspace.warrior = w;
            let base = p.base;
            let pc = *ring.slot(base, p.head, queues.region);
            let kind = core.cells.at(pc).kind;
            if step(core, ring, base, &queues, p, pc, kind, &mut pspace) {
                self.round.current = w;
                return (done, true);
            }
            w = p.next;
        }
        self.round.current = w;
        (done, false)
    }

    /// [`Mars::run_steps`] for two living warriors, the common battle. While
    /// one of them is waiting (see [`waiting`]), the other runs alone in
    /// [`Mars::run_solo`]; otherwise they alternate in [`Mars::run_pairs`].
    #[inline(never)]
    fn run_steps_pair<C: Cells + ?Sized, R: Ring + ?Sized, const N: u32>(
        &mut self,
        steps: u64,
    ) -> (u64, bool)
    where
        for<'a> &'a mut C: TryFrom<&'a mut [Cell]>,
        for<'a> &'a mut R: TryFrom<&'a mut [u32]>,
    {
        let mut done = 0;
        while done < steps {
            let left = steps - done;
            let current = self.round.current;
            // Warrior 1's turn first, an odd execution at the end, or
            // warrior 0's turn before warrior 1's waiting one, is taken by
            // the loop for any number of warriors. Pairs run in chunks, so
            // that a warrior that starts waiting meanwhile is soon left to
            // wait alone.
            let (did, died) = if self.waiting_now(current) {
                self.run_solo::<C, R, N>(current, left)
            } else if current == 1 || left == 1 || self.waiting_now(1) {
                self.run_steps_any::<C>(1)
            } else {
                self.run_pairs::<C, R, N>((left / 2).min(PAIRS_CHUNK))
            };
            done += did;
            if died {
                return (done, true);
            }
        }
        (done, false)
    }

    /// Whether warrior `w` is waiting (see [`waiting`]) at its next turn,
    /// and jumps to a jump: a loop of a jump and another instruction would
    /// otherwise be left to wait alone and woken at every turn.
    fn waiting_now(&mut self, w: usize) -> bool {
        let region = self.region();
        let p = self.procs[w];
        let pc = *self.ring[..].slot(p.base, p.head, region);
        let mut cells = Core::<[Cell], 0> {
            cells: &mut self.core[..],
            size: self.core_size,
        };
        if !waiting(&mut cells, pc, &p) {
            return false;
        }
        let a = cells.cells.at(pc).a;
        let next = cells.add(a, pc);
        cells.cells.at(next).kind == K_JMP
    }

    /// Runs up to `pairs` pairs of executions, warrior 0's then warrior 1's,
    /// starting with warrior 0's turn. Each one's queue state is a local the
    /// compiler keeps in registers instead of reloading it through
    /// `procs[w]` (a chain of dependent loads and stores on every
    /// execution), and the order is fixed so that where each one's region
    /// of the ring starts is a constant (with the standard ring, an offset
    /// in the instruction). A parked warrior's turn is skipped.
    #[inline(always)]
    fn run_pairs<C: Cells + ?Sized, R: Ring + ?Sized, const N: u32>(
        &mut self,
        pairs: u64,
    ) -> (u64, bool)
    where
        for<'a> &'a mut C: TryFrom<&'a mut [Cell]>,
        for<'a> &'a mut R: TryFrom<&'a mut [u32]>,
    {
        let queues = Queues {
            cap: self.cap(),
            region: self.region(),
        };
        let Ok(cells) = <&mut C>::try_from(&mut self.core[..]) else {
            return (0, false);
        };
        let core = &mut Core::<C, N> {
            cells,
            size: self.core_size,
        };
        let Ok(ring) = <&mut R>::try_from(&mut self.ring[..]) else {
            return (0, false);
        };
        let (base0, base1) = (R::base(0, queues.region), R::base(1, queues.region));
        let mut p0 = self.procs[0];
        let mut p1 = self.procs[1];
        let mut pspace = PSpaces {
            spaces: &mut self.pspaces,
            space_of: &self.pspace_of,
            last_results: &mut self.last_results,
            warrior: 0,
        };
        // Whose turn it is when the loop stops, and whether that one died.
        let mut end = (0, false);
        let mut left = pairs;
        // Each warrior's next address and the kind of its cell are read
        // before the other warrior's jump on its kind (see `step`).
        let mut pc0 = *ring.slot(base0, p0.head, queues.region);
        let mut kind0 = core.cells.at(pc0).kind;
        while left > 0 {
            left -= 1;
            let pc1 = *ring.slot(base1, p1.head, queues.region);
            let kind1 = core.cells.at(pc1).kind;
            pspace.warrior = 0;
            if !parked(core, pc0, &p0)
                && step(core, ring, base0, &queues, &mut p0, pc0, kind0, &mut pspace)
            {
                end = (0, true);
                break;
            }
            pc0 = *ring.slot(base0, p0.head, queues.region);
            kind0 = core.cells.at(pc0).kind;
            pspace.warrior = 1;
            if !parked(core, pc1, &p1)
                && step(core, ring, base1, &queues, &mut p1, pc1, kind1, &mut pspace)
            {
                end = (1, true);
                break;
            }
        }
        self.procs[0] = p0;
        self.procs[1] = p1;
        self.round.current = end.0;
        (2 * (pairs - left) - u64::from(end == (0, true)), end.1)
    }

    /// Runs up to `steps` executions while warrior `idle`, whose turn it
    /// is, stays waiting (see [`waiting`]): its turns only move its one
    /// process along its jumps, and the other warrior's run in a loop of
    /// their own, without the idle one's queue work between them. Stops at
    /// a death, or at the idle warrior's turn once its cell is no longer a
    /// plain jump (only the other warrior can change a cell). If the idle
    /// one is parked and the other parks too, nothing can change again, and
    /// the executions left are counted at once.
    #[inline(never)]
    fn run_solo<C: Cells + ?Sized, R: Ring + ?Sized, const N: u32>(
        &mut self,
        idle: usize,
        steps: u64,
    ) -> (u64, bool)
    where
        for<'a> &'a mut C: TryFrom<&'a mut [Cell]>,
        for<'a> &'a mut R: TryFrom<&'a mut [u32]>,
    {
        // The same setup as `run_pairs`'s, written out in both: one helper
        // returning the borrowed parts made both loops compile 1.03x-1.32x
        // slower on eight of pMARS's ten pairs (fifth session).
        let queues = Queues {
            cap: self.cap(),
            region: self.region(),
        };
        let active = idle ^ 1;
        let Ok(cells) = <&mut C>::try_from(&mut self.core[..]) else {
            return (0, false);
        };
        let core = &mut Core::<C, N> {
            cells,
            size: self.core_size,
        };
        let Ok(ring) = <&mut R>::try_from(&mut self.ring[..]) else {
            return (0, false);
        };
        let base = R::base(active, queues.region);
        let sleeper = self.procs[idle];
        // The idle warrior's one process stays in its slot while it waits:
        // only its address moves, and is put back there at the end.
        let bed = R::base(idle, queues.region);
        let mut wait = *ring.slot(bed, sleeper.head, queues.region);
        let mut p = self.procs[active];
        let mut pspace = PSpaces {
            spaces: &mut self.pspaces,
            space_of: &self.pspace_of,
            last_results: &mut self.last_results,
            warrior: active,
        };
        let mut done = 0;
        let mut end = (idle, false);
        let mut pc = *ring.slot(base, p.head, queues.region);
        let mut kind = core.cells.at(pc).kind;
        while done < steps {
            let jump = *core.cells.at(wait);
            if jump.kind != K_JMP {
                break;
            }
            if jump.a == 0 && parked(core, pc, &p) {
                // Both parked: nothing can change again, so the executions
                // left only count cycles.
                end.0 = if (steps - done).is_multiple_of(2) {
                    idle
                } else {
                    active
                };
                done = steps;
                break;
            }
            // `JMP $a`: the process goes to `a` cells on.
            wait = core.add(jump.a, wait);
            done += 1;
            if done == steps {
                end.0 = active;
                break;
            }
            done += 1;
            if step(core, ring, base, &queues, &mut p, pc, kind, &mut pspace) {
                end = (active, true);
                break;
            }
            pc = *ring.slot(base, p.head, queues.region);
            kind = core.cells.at(pc).kind;
        }
        *ring.slot(bed, sleeper.head, queues.region) = wait;
        self.procs[active] = p;
        self.round.current = end.0;
        (done, end.1)
    }

    /// After `round.current`'s last process died: pMARS's bookkeeping for a
    /// death (its `cycle` arithmetic included), and the warrior leaves the
    /// execution order. `round.cycle` already counts the fatal execution.
    fn bury(&mut self) {
        let w = self.round.current;
        self.round.deaths.push(w);
        // pMARS: `cycle = cycle - 1 - (cycle - 1) / warriorsLeft--`, where
        // its `cycle` still counts the fatal execution.
        let cycle = self.round.cycle + 1;
        let left = self.round.left as i64;
        let mut cycle = cycle - 1 - (cycle - 1) / left;
        self.round.left -= 1;
        if self.round.left < 2 {
            self.round.cycle = cycle;
            self.finish_round();
            return;
        }
        // The living warrior before it in the order (pMARS's `oldW`).
        let next = self.procs[w].next;
        if let Some(prev) = (0..self.procs.len())
            .find(|&j| j != w && self.procs[j].len() > 0 && self.procs[j].next == w)
        {
            self.procs[prev].next = next;
        }
        self.round.current = next;
        // pMARS `continue`s into `while (--cycle)`.
        cycle -= 1;
        self.round.cycle = cycle;
        if cycle == 0 {
            self.finish_round();
        }
    }

    /// Runs the current round to its end.
    pub fn run_round(&mut self) {
        while self.run(u64::MAX) == RoundState::Running {}
    }
}

/// Whether the warrior whose queue is `p` is waiting: one process, on a
/// plain jump (`JMP $a` with a `$` or `#` B operand, which reads and writes
/// nothing). Its executions then change no cell, only where its process
/// is, until the other warrior changes a cell it jumps through: a warrior
/// bombed into a loop of jumps, or one that waits on purpose (a P-space
/// switch's `JMP 0`, a finished boot). The two-warrior loop lets the other
/// warrior run alone meanwhile ([`Mars::run_solo`]), so such turns cost a
/// test instead of a dispatch and leave the jump's history to the other
/// warrior's instructions.
#[inline(always)]
fn waiting<C: Cells + ?Sized, const N: u32>(core: &mut Core<C, N>, pc: u32, p: &Proc) -> bool {
    p.len() == 1 && core.cells.at(pc).kind == K_JMP
}

/// Whether the warrior whose queue is `p` is parked: waiting (see
/// [`waiting`]) on a `JMP $0`, so that it stays where it is. Its execution
/// would change nothing but where its one address sits in its ring, so
/// the two-warrior loop skips its turn.
#[inline(always)]
fn parked<C: Cells + ?Sized, const N: u32>(core: &mut Core<C, N>, pc: u32, p: &Proc) -> bool {
    waiting(core, pc, p) && core.cells.at(pc).a == 0
}

/// The kind of `JMP $a` with a `$` or `#` B operand.
const K_JMP: u8 = kind_of(code(Opcode::Jmp, Modifier::B, DIRECT, DIRECT));

/// Slots left unused between warriors' regions of the ring: regions a
/// power of two apart would put both warriors' next slots in the same
/// cache sets.
const RING_GAP: usize = 16;

/// Executions a round runs on after pMARS's count has stepped past 0 (see
/// [`Mars::run`]) before the arena calls it a tie: about a second of the
/// arena's time and two of pMARS's, so that every such round pMARS ends
/// in practice ends the same here (rounds of `-c 1` melees were seen to
/// take 3000 to 300000), and one that pMARS would never end still ends.
const OVERTIME: u64 = 1 << 28;

/// Pairs of executions [`Mars::run_steps_pair`] runs before it looks
/// whether a warrior has parked.
const PAIRS_CHUNK: u64 = 4096;

/// pMARS's default process limit.
const STANDARD_CAP: usize = 8000;

/// The region for [`STANDARD_CAP`] processes.
const STANDARD_REGION: usize = STANDARD_CAP.next_power_of_two();

/// The ring of a two-warrior battle with the standard region.
const STANDARD_RING: usize = 2 * (STANDARD_REGION + RING_GAP);

/// The limits of every process queue.
struct Queues {
    /// The most processes a warrior may have.
    cap: usize,
    /// Slots in a warrior's region, a power of two.
    region: usize,
}

/// The process ring, as the loop sees it.
trait Ring {
    /// Where warrior `w`'s region starts, for regions of `region` slots.
    fn base(w: usize, region: usize) -> usize;
    /// The most processes a warrior may have, `cap` unless the ring knows.
    fn cap(cap: usize) -> usize;
    /// The slot of the process counted `count` (see [`Proc`]) in the
    /// region that starts at `base`.
    fn slot(&mut self, base: usize, count: usize, region: usize) -> &mut u32;
}

impl Ring for [u32] {
    #[inline(always)]
    fn base(w: usize, region: usize) -> usize {
        w * (region + RING_GAP)
    }

    #[inline(always)]
    fn cap(cap: usize) -> usize {
        cap
    }

    #[inline(always)]
    fn slot(&mut self, base: usize, count: usize, region: usize) -> &mut u32 {
        &mut self[base + (count & (region - 1))]
    }
}

/// The standard two-warrior ring (the standard process limit), its size
/// known to the compiler: the limit, the mask and the regions' starts are
/// constants, and slots need no bounds checks.
impl Ring for [u32; STANDARD_RING] {
    #[inline(always)]
    fn base(w: usize, _: usize) -> usize {
        (w & 1) * (STANDARD_REGION + RING_GAP)
    }

    #[inline(always)]
    fn cap(_: usize) -> usize {
        STANDARD_CAP
    }

    #[inline(always)]
    fn slot(&mut self, base: usize, count: usize, _: usize) -> &mut u32 {
        // Bases are 0 and `STANDARD_REGION + RING_GAP`: the `min` shows the
        // compiler the slot is in bounds when the base is not a constant.
        &mut self[base.min(STANDARD_REGION + RING_GAP) + count % STANDARD_REGION]
    }
}

/// One execution by the warrior whose queue is `p`, its region of the
/// ring starting at `base`: pops a process, executes its instruction and
/// queues what it asks. Returns whether the warrior's last process died
/// (pMARS's `--tasks` reaching 0).
///
/// `pc` is the address at the head of the queue and `kind` the kind its
/// cell had when the caller read it, which may be before the other
/// warrior's last execution: the jump on the kind then does not wait for
/// this execution's reads, so that when it is mispredicted the right
/// target is known sooner. An instruction whose cell changed since takes
/// the generic path.
#[allow(clippy::too_many_arguments)]
#[inline(always)]
fn step<C: Cells + ?Sized, R: Ring + ?Sized, const N: u32>(
    core: &mut Core<C, N>,
    ring: &mut R,
    base: usize,
    queues: &Queues,
    p: &mut Proc,
    pc: u32,
    kind: u8,
    pspace: &mut PSpaces,
) -> bool {
    p.head += 1;
    let ir = *core.cells.at(pc);
    // Queues what the instruction asks; returns whether the warrior died.
    // Each arm below has its own copy, where `queued`'s form is known.
    let mut finish = |queued: Queued| {
        if queued == DIE {
            return p.head == p.tail;
        }
        // SPL's second address is queued if the process limit leaves room
        // (the popped process's place made room for the first).
        *ring.slot(base, p.tail, queues.region) = queued as u32;
        p.tail += 1;
        if queued & SPLIT != 0 && p.len() < R::cap(queues.cap) {
            *ring.slot(base, p.tail, queues.region) = (queued >> 32) as u32 & 0x7fff_ffff;
            p.tail += 1;
        }
        false
    };
    macro_rules! dispatch {
        ($($k:literal)*) => {
            // Kinds are below 32 (a test checks it): masking shows the
            // compiler the jump table needs no range check.
            match kind & 31 {
                _ if ir.kind != kind => finish(execute(core, pc, ir, pspace)),
                $($k => {
                    let (op, m, am, bm) = SPECIAL[$k - 1];
                    finish(execute_as(core, pc, ir, (op as u16, m as u16, am, bm), pspace))
                })*
                _ => finish(execute(core, pc, ir, pspace)),
            }
        };
    }
    dispatch!(1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31)
}

/// Which P-space each warrior uses, as pMARS's `pspace_init()` assigns them.
///
/// A warrior without PIN gets its own; a warrior with a PIN shares with
/// every later warrior whose PIN is the same. pMARS compares against the
/// later warrior's ID even when that warrior has no PIN (its ID is then 0),
/// so `PIN 0` also captures later PIN-less warriors: kept for parity.
pub fn share_pspaces(warriors: &[super::Warrior]) -> Vec<usize> {
    const UNSET: usize = usize::MAX;
    let mut index = vec![UNSET; warriors.len()];
    let id = |w: &super::Warrior| w.pin.unwrap_or(0);
    let mut next = 0;
    for i in 0..warriors.len() {
        if index[i] != UNSET {
            continue;
        }
        index[i] = next;
        if warriors[i].pin.is_some() {
            for j in i + 1..warriors.len() {
                if id(&warriors[i]) == id(&warriors[j]) {
                    index[j] = next;
                }
            }
        }
        next += 1;
    }
    index
}

/// How many P-spaces these warriors use between them.
pub fn pspace_count(warriors: &[super::Warrior]) -> usize {
    share_pspaces(warriors)
        .into_iter()
        .max()
        .map_or(0, |m| m + 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corewar::{Mode, Settings, Warrior};

    fn ins(
        opcode: Opcode,
        modifier: Modifier,
        a_mode: Mode,
        a: u32,
        b_mode: Mode,
        b: u32,
    ) -> Instruction {
        Instruction {
            opcode,
            modifier,
            a_mode,
            a,
            b_mode,
            b,
        }
    }

    fn warrior(code: Vec<Instruction>) -> Warrior {
        Warrior {
            name: String::new(),
            author: String::new(),
            code,
            start: 0,
            pin: None,
        }
    }

    /// Everything observable about a round in progress.
    fn snapshot(m: &Mars) -> (Vec<Cell>, Vec<Vec<u32>>, Vec<usize>, i64, bool) {
        let queues = (0..2).map(|w| m.processes(w)).collect();
        (
            m.core().to_vec(),
            queues,
            m.deaths().to_vec(),
            m.cycles_left(),
            m.round_over(),
        )
    }

    /// A dwarf for a core of `size` cells: ADD.AB #4, MOV.I $2, <2, JMP
    /// back two, and its DAT bomb.
    fn dwarf(size: u32) -> Warrior {
        use Mode::{Direct, Immediate, PredecB};
        warrior(vec![
            ins(Opcode::Add, Modifier::AB, Immediate, 4, Direct, 3),
            ins(Opcode::Mov, Modifier::I, Direct, 2, PredecB, 2),
            ins(Opcode::Jmp, Modifier::B, Direct, size - 2, Direct, 0),
            ins(Opcode::Dat, Modifier::F, Immediate, 0, Immediate, 0),
        ])
    }

    /// The two-warrior loop reads a warrior's next kind before the other
    /// warrior executes; a cell overwritten in between runs as what it is
    /// now. Here the first warrior's MOV.I drops a DAT on the second's
    /// imp before the imp's turn: the second dies on its first execution,
    /// in every core the loop is compiled for.
    #[test]
    fn an_instruction_overwritten_before_its_turn_runs_as_it_is_now() {
        use Mode::{Direct, Immediate};
        for size in [8000, 1234, 70_000] {
            let settings = Settings {
                core_size: size,
                ..Settings::default()
            };
            let bomber = warrior(vec![
                ins(Opcode::Mov, Modifier::I, Direct, 2, Direct, 102),
                ins(Opcode::Jmp, Modifier::B, Direct, 0, Direct, 0),
                ins(Opcode::Dat, Modifier::F, Immediate, 0, Immediate, 0),
            ]);
            let imp = warrior(vec![ins(Opcode::Mov, Modifier::I, Direct, 0, Direct, 1)]);
            let mut m = Mars::new(&settings, &[bomber, imp]);
            m.start_round(&RoundPlan {
                positions: vec![0, 102],
                starter: 0,
            });
            assert_eq!(m.run(2), RoundState::Over, "core size {size}");
            assert_eq!(m.deaths(), &[1], "core size {size}");
            assert_eq!(
                m.core()[103],
                Cell::EMPTY,
                "the imp moved: core size {size}"
            );
        }
    }

    /// Running a round in small budgets (odd ones included, so that the
    /// two-warrior loop stops between the two warriors and on a death)
    /// ends exactly as running it whole.
    #[test]
    fn budgets_do_not_change_a_round() {
        use Mode::{Direct, Immediate};
        let size = 80;
        let settings = Settings {
            core_size: size,
            max_cycles: 300,
            max_processes: 7,
            ..Settings::default()
        };
        // A dwarf, and a splitter whose processes run into its DAT bomb
        // and die one by one (it dies in some rounds, not in others).
        let dwarf = dwarf(size);
        let splitter = warrior(vec![
            ins(Opcode::Spl, Modifier::B, Direct, 0, Direct, 0),
            ins(Opcode::Mov, Modifier::I, Direct, 2, Direct, 5),
            ins(Opcode::Djn, Modifier::B, Direct, size - 1, Direct, 2),
            ins(Opcode::Dat, Modifier::F, Immediate, 0, Immediate, 1),
        ]);
        let warriors = [dwarf, splitter];
        let mut deaths = 0;
        for (position, starter) in [(20, 0), (40, 1), (57, 0), (33, 1)] {
            let plan = RoundPlan {
                positions: vec![0, position],
                starter,
            };
            let mut whole = Mars::new(&settings, &warriors);
            whole.start_round(&plan);
            whole.run_round();
            deaths += whole.deaths().len();
            for budget in [1, 2, 3, 5, 7] {
                let mut parts = Mars::new(&settings, &warriors);
                parts.start_round(&plan);
                while parts.run(budget) == RoundState::Running {}
                assert_eq!(snapshot(&parts), snapshot(&whole), "budget {budget}");
                assert_eq!(parts.survivors(), whole.survivors());
            }
        }
        assert!(deaths > 0, "no round had a death");
    }

    /// A warrior waiting on jumps (parked on `JMP 0`, or going round a
    /// loop of jumps) lets the other run alone, wakes when the other
    /// changes a cell it jumps through, and two parked warriors count out
    /// the round's cycles at once: each of these plays exactly as the loop
    /// that takes every turn, stopped after any budget, in every core and
    /// ring the two-warrior loop is compiled for.
    #[test]
    fn waiting_warriors_play_as_every_turn_taken() {
        use Mode::{Direct, Immediate};
        let jmp = |a: u32, size: u32| ins(Opcode::Jmp, Modifier::B, Direct, a % size, Direct, 0);
        let (mut sitters_bombed, mut pacers_bombed) = (0, 0);
        for (size, max_processes) in [(8000, 8000), (8000, 64), (1234, 64), (70_000, 64)] {
            let settings = Settings {
                core_size: size,
                max_cycles: 4000,
                max_processes,
                ..Settings::default()
            };
            let sit = warrior(vec![jmp(0, size)]);
            // Goes round two jumps (the cell between is a DAT).
            let pacer = warrior(vec![
                jmp(2, size),
                ins(Opcode::Dat, Modifier::F, Immediate, 0, Immediate, 0),
                jmp(size - 2, size),
            ]);
            // A jump that lands on a jump, in a loop with a move: left to
            // wait alone, and woken, on every lap.
            let loiter = warrior(vec![
                jmp(1, size),
                jmp(1, size),
                ins(Opcode::Mov, Modifier::I, Direct, 0, Direct, 0),
                jmp(size - 3, size),
            ]);
            // Jumps three times, into a DAT: dies even beside a sitter.
            let runner = warrior(vec![jmp(1, size), jmp(1, size), jmp(1, size)]);
            // Parked, until its jump is made `JMP 1`: then it goes round
            // the two jumps, and at `JMP 2` it runs into a DAT.
            let nudged = warrior(vec![jmp(0, size), jmp(size - 1, size)]);
            // Adds 1 to the A-field 100 cells on, then waits 500 turns.
            let nudger = warrior(vec![
                ins(Opcode::Add, Modifier::A, Immediate, 1, Direct, 100),
                ins(Opcode::Djn, Modifier::B, Direct, 0, Immediate, 500),
                jmp(size - 2, size),
            ]);
            // Parks after one move, having made its neighbour at 100 a
            // splitter if one sits there.
            let waker = warrior(vec![
                ins(Opcode::Mov, Modifier::I, Direct, 2, Direct, 100),
                jmp(0, size),
                ins(Opcode::Spl, Modifier::B, Direct, 0, Direct, 0),
            ]);
            let battles = [
                (dwarf(size), sit.clone(), 37),
                (dwarf(size), sit.clone(), 38),
                (sit.clone(), sit.clone(), 500),
                (waker.clone(), sit.clone(), 100),
                (sit.clone(), waker, size - 100),
                (dwarf(size), pacer.clone(), 37),
                (pacer.clone(), dwarf(size), 41),
                (sit.clone(), pacer, 500),
                (nudger.clone(), nudged.clone(), 100),
                (nudged, nudger, size - 100),
                (dwarf(size), loiter, 37),
                (sit, runner, 500),
            ];
            for (k, (w0, w1, position)) in battles.into_iter().enumerate() {
                let warriors = [w0, w1];
                for starter in [0, 1] {
                    let plan = RoundPlan {
                        positions: vec![0, position],
                        starter,
                    };
                    let mut every = Mars::new(&settings, &warriors);
                    every.plain = true;
                    every.start_round(&plan);
                    every.run_round();
                    let survived = (every.survivors(), every.cycles_left());
                    match k {
                        0 | 1 => sitters_bombed += every.deaths().len(),
                        5 | 6 => pacers_bombed += every.deaths().len(),
                        2 | 7 => assert_eq!(survived, (vec![true, true], 0)),
                        3 | 4 => {
                            // The sitter was woken as a splitter.
                            let sitter = if k == 3 { 1 } else { 0 };
                            let at = plan.positions[sitter] as usize;
                            assert_eq!(every.core()[at].instruction().opcode, Opcode::Spl);
                            assert_eq!(every.survivors(), vec![true, true]);
                        }
                        8 => assert_eq!(every.deaths(), [1]),
                        9 => assert_eq!(every.deaths(), [0]),
                        11 => assert_eq!(every.deaths(), [1]),
                        _ => {}
                    }
                    for budget in [1, 2, 3, 7, 1000, u64::MAX] {
                        let mut fast = Mars::new(&settings, &warriors);
                        fast.start_round(&plan);
                        while fast.run(budget) == RoundState::Running {}
                        let at =
                            format!("size {size} battle {k} starter {starter} budget {budget}");
                        assert_eq!(snapshot(&fast), snapshot(&every), "{at}");
                        assert_eq!(fast.survivors(), every.survivors(), "{at}");
                    }
                    // Part way through too, where a round stops mid-wait.
                    let mut every = Mars::new(&settings, &warriors);
                    every.plain = true;
                    every.start_round(&plan);
                    let mut fast = Mars::new(&settings, &warriors);
                    fast.start_round(&plan);
                    for budget in [5, 1, 300, 2, 2001, 251] {
                        assert_eq!(fast.run(budget), every.run(budget));
                        assert_eq!(snapshot(&fast), snapshot(&every), "size {size} battle {k}");
                    }
                }
            }
        }
        assert!(sitters_bombed > 0, "the dwarf never hit a sitter");
        assert!(pacers_bombed > 0, "the dwarf never hit a pacer");
    }

    /// The loop compiled for a core of any length (cores above 65536
    /// cells, which no fixture has) plays rounds exactly as the ones
    /// compiled for the 65536-cell array and for the constant size 8000,
    /// in duels and in a melee.
    #[test]
    fn slice_core_plays_as_the_array_core() {
        use Mode::{Direct, Immediate, PredecB};
        for size in [8000, 1234] {
            let settings = Settings {
                core_size: size,
                max_cycles: 3000,
                max_processes: 64,
                ..Settings::default()
            };
            let dwarf = dwarf(size);
            let paper = warrior(vec![
                ins(Opcode::Spl, Modifier::B, Direct, 0, Direct, 0),
                ins(Opcode::Mov, Modifier::I, PredecB, 1, PredecB, 2),
                ins(Opcode::Djn, Modifier::F, Direct, size - 1, PredecB, 7),
                ins(Opcode::Mov, Modifier::I, Immediate, 5, Direct, 1),
            ]);
            let sets = [
                vec![dwarf.clone(), paper.clone()],
                vec![paper.clone(), dwarf.clone(), paper],
            ];
            for warriors in sets {
                for (k, starter) in [(0, 0), (1, 1), (2, 0)] {
                    let positions = (0..warriors.len() as u32)
                        .map(|w| (w * (300 + 97 * k)) % size)
                        .collect();
                    let plan = RoundPlan { positions, starter };
                    let mut array = Mars::new(&settings, &warriors);
                    let mut slice = Mars::new(&settings, &warriors);
                    slice.core.truncate(size as usize);
                    assert_eq!(array.core.len(), SMALL);
                    array.start_round(&plan);
                    slice.start_round(&plan);
                    array.run_round();
                    slice.run_round();
                    assert_eq!(snapshot(&slice), snapshot(&array), "size {size} k {k}");
                    assert_eq!(slice.survivors(), array.survivors());
                }
            }
        }
    }
}
