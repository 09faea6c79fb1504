//! The MARS: the core, the process queues and P-space, and the cycle loop.
//!
//! This is the hot loop, so it is plain Rust over flat arrays. It follows
//! pMARS's `simulator1()` (sim.c) step for step, including its in-register
//! operand evaluation and its order of reads and writes, because battle
//! results must match pMARS exactly.

use super::redcode::{Instruction, Mode, Modifier, Opcode};

/// One core cell in pMARS's layout: the combined opcode/modifier code and the
/// raw mode codes, so the cycle loop dispatches on one byte.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cell {
    pub a: u32,
    pub b: u32,
    /// `opcode << 3 | modifier`.
    pub op: u8,
    pub a_mode: u8,
    pub b_mode: u8,
}

impl Cell {
    /// `DAT.F $0, $0`.
    pub const EMPTY: Cell = Cell {
        a: 0,
        b: 0,
        op: (Opcode::Dat as u8) << 3 | Modifier::F as u8,
        a_mode: Mode::Direct as u8,
        b_mode: Mode::Direct as u8,
    };
}

impl From<&Instruction> for Cell {
    fn from(i: &Instruction) -> Cell {
        Cell {
            a: i.a,
            b: i.b,
            op: i.op_code(),
            a_mode: i.a_mode.code(),
            b_mode: i.b_mode.code(),
        }
    }
}

impl Cell {
    /// The cell as an instruction; `None` only if the cell holds codes no
    /// assembler produces (which the MARS never writes).
    pub fn instruction(&self) -> Option<Instruction> {
        let opcode = *Opcode::ALL.get(usize::from(self.op >> 3))?;
        let modifier = *Modifier::ALL.get(usize::from(self.op & 7))?;
        let mode = |code: u8| Mode::ALL.into_iter().find(|m| m.code() == code);
        Some(Instruction {
            opcode,
            modifier,
            a_mode: mode(self.a_mode)?,
            a: self.a,
            b_mode: mode(self.b_mode)?,
            b: self.b,
        })
    }
}

/// A warrior's process queue: a ring of at most `max_processes` addresses.
#[derive(Clone, Debug)]
struct ProcessQueue {
    ring: Vec<u32>,
    head: usize,
    len: usize,
}

impl ProcessQueue {
    fn new(capacity: usize) -> Self {
        ProcessQueue {
            ring: vec![0; capacity.max(1)],
            head: 0,
            len: 0,
        }
    }

    fn reset(&mut self, first: u32) {
        self.ring[0] = first;
        self.head = 0;
        self.len = 1;
    }

    #[inline(always)]
    fn pop(&mut self) -> u32 {
        let pc = self.ring[self.head];
        self.head += 1;
        if self.head == self.ring.len() {
            self.head = 0;
        }
        self.len -= 1;
        pc
    }

    #[inline(always)]
    fn push(&mut self, pc: u32) {
        let mut tail = self.head + self.len;
        if tail >= self.ring.len() {
            tail -= self.ring.len();
        }
        self.ring[tail] = pc;
        self.len += 1;
    }

    /// The queued addresses, next to execute first.
    fn iter(&self) -> impl Iterator<Item = u32> + '_ {
        (0..self.len).map(move |i| self.ring[(self.head + i) % self.ring.len()])
    }
}

/// Per-warrior state the MARS keeps across cycles.
#[derive(Clone, Debug)]
struct Runner {
    queue: ProcessQueue,
    /// Index into `Mars::pspaces` (warriors with the same PIN share one).
    pspace: usize,
    /// P-space cell 0: the previous round's result, private to each warrior.
    last_result: u32,
    /// The next living warrior in execution order (pMARS's `nextWarrior`).
    next: usize,
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
    core: Vec<Cell>,
    pspace_size: u32,
    pspaces: Vec<Vec<u32>>,
    warriors: Vec<Vec<Cell>>,
    starts: Vec<u32>,
    runners: Vec<Runner>,
    /// Deaths and survivals of the round so far, as pMARS counts them.
    round: RoundProgress,
}

/// The state of the round in progress, kept between calls to [`Mars::run`].
#[derive(Clone, Debug, Default)]
struct RoundProgress {
    /// pMARS's `cycle`: executions left, counted down (signed, as in C).
    cycle: i64,
    /// The warrior to execute next (`W`).
    current: usize,
    /// The living warrior before it (`oldW`).
    previous: usize,
    /// Warriors still alive.
    left: usize,
    /// Warrior indices in the order they died this round.
    deaths: Vec<usize>,
    over: bool,
}

/// What the cycle loop needs from a finished instruction.
enum Flow {
    /// Queue `pc + 1`.
    Next,
    /// Queue `pc + 2`.
    Skip,
    /// Queue nothing more (a jump or split queued its own).
    Queued,
    /// The process dies.
    Die,
}

impl Mars {
    /// A MARS for these warriors. `pins` are the warriors' PIN values.
    pub fn new(settings: &super::Settings, warriors: &[super::Warrior]) -> Mars {
        let core_size = settings.core_size.max(1);
        let pspace_size = settings.pspace_size.max(1);
        let pspace_of = share_pspaces(warriors);
        let pspace_count = pspace_count(warriors);
        let runners = (0..warriors.len())
            .map(|i| Runner {
                queue: ProcessQueue::new(settings.max_processes as usize),
                pspace: pspace_of[i],
                last_result: core_size - 1,
                next: 0,
            })
            .collect();
        Mars {
            core_size,
            max_processes: settings.max_processes,
            max_cycles: settings.max_cycles,
            core: vec![Cell::EMPTY; core_size as usize],
            pspace_size,
            pspaces: vec![vec![0; pspace_size as usize]; pspace_count],
            warriors: warriors
                .iter()
                .map(|w| w.code.iter().map(Cell::from).collect())
                .collect(),
            starts: warriors.iter().map(|w| w.start).collect(),
            runners,
            round: RoundProgress {
                over: true,
                ..RoundProgress::default()
            },
        }
    }

    /// The core as it is now.
    pub fn core(&self) -> &[Cell] {
        &self.core
    }

    /// The number of processes each warrior has.
    pub fn process_counts(&self) -> Vec<usize> {
        self.runners.iter().map(|r| r.queue.len).collect()
    }

    /// The queued process addresses of one warrior, next to run first.
    pub fn processes(&self, warrior: usize) -> Vec<u32> {
        self.runners
            .get(warrior)
            .map(|r| r.queue.iter().collect())
            .unwrap_or_default()
    }

    /// Executions left in this round (pMARS counts one per warrior per cycle).
    pub fn cycles_left(&self) -> i64 {
        self.round.cycle
    }

    /// Warrior indices in the order they died this round.
    pub fn deaths(&self) -> &[usize] {
        &self.round.deaths
    }

    /// Whether the round has ended (or none was started).
    pub fn round_over(&self) -> bool {
        self.round.over
    }

    /// Whether each warrior still has processes.
    pub fn survivors(&self) -> Vec<bool> {
        self.runners.iter().map(|r| r.queue.len > 0).collect()
    }

    /// Loads the warriors as pMARS does at the start of a round: clears the
    /// core, copies each warrior to its position, and gives each one process.
    pub fn start_round(&mut self, plan: &RoundPlan) {
        let n = self.warriors.len();
        self.core.fill(Cell::EMPTY);
        for w in 0..n {
            let at = plan.positions.get(w).copied().unwrap_or(0) % self.core_size;
            for (k, cell) in self.warriors[w].iter().enumerate() {
                let addr = (at as usize + k) % self.core_size as usize;
                self.core[addr] = *cell;
            }
            // pMARS queues position + offset without reducing it; the loader's
            // distance rules keep it inside the core.
            let first = (at + self.starts[w]) % self.core_size;
            let runner = &mut self.runners[w];
            runner.queue.reset(first);
            runner.next = (w + 1) % n;
        }
        let starter = plan.starter.min(n.saturating_sub(1));
        self.round = RoundProgress {
            cycle: (n as u64).saturating_mul(self.max_cycles) as i64,
            current: starter,
            previous: if starter == 0 { n - 1 } else { starter - 1 },
            left: n,
            deaths: Vec::with_capacity(n),
            over: n == 0,
        };
    }

    /// Ends the round as pMARS's `nextround:` does: each warrior's result
    /// cell becomes the number of survivors if it lived, else 0.
    fn finish_round(&mut self) {
        let left = self.round.left as u32;
        for r in &mut self.runners {
            r.last_result = if r.queue.len > 0 { left } else { 0 };
        }
        self.round.over = true;
    }

    /// Runs up to `budget` executions of the current round (one warrior's
    /// instruction each), and says whether the round is over.
    pub fn run(&mut self, budget: u64) -> RoundState {
        if self.round.over {
            return RoundState::Over;
        }
        let size = self.core_size;
        let size1 = size - 1;
        let max_processes = self.max_processes as usize;
        let psize = self.pspace_size;
        let mut cycle = self.round.cycle;
        let mut w = self.round.current;
        let mut old_w = self.round.previous;
        let mut budget = budget;
        let core = &mut self.core[..];
        let runners = &mut self.runners[..];
        let pspaces = &mut self.pspaces[..];

        let addmod = |x: u32, y: u32| {
            let s = x + y;
            if s >= size { s - size } else { s }
        };
        let submod = |x: u32, y: u32| {
            if x >= y { x - y } else { x + size - y }
        };

        let ended = loop {
            if budget == 0 {
                break false;
            }
            budget -= 1;
            let runner = &mut runners[w];
            let pc = runner.queue.pop();
            let ir = core[pc as usize];

            // A operand, evaluated in register as pMARS does.
            let addr_a;
            let a_a; // A-field of the A-pointer target (AA_Value)
            let a_b; // B-field of the A-pointer target (IR.A_value)
            if ir.a_mode == Mode::Immediate as u8 {
                addr_a = pc;
                a_a = ir.a;
                a_b = ir.b;
            } else {
                let ptr = addmod(ir.a, pc);
                if ir.a_mode == Mode::Direct as u8 {
                    let c = core[ptr as usize];
                    addr_a = ptr;
                    a_a = c.a;
                    a_b = c.b;
                } else {
                    let on_a = ir.a_mode & 0x80 != 0;
                    let raw = ir.a_mode & 0x7f;
                    let pcell = &mut core[ptr as usize];
                    let mut off = if on_a { pcell.a } else { pcell.b };
                    if raw == Mode::PredecB as u8 {
                        off = if off == 0 { size1 } else { off - 1 };
                        if on_a { pcell.a = off } else { pcell.b = off }
                    }
                    addr_a = addmod(off, ptr);
                    let c = core[addr_a as usize];
                    a_a = c.a;
                    a_b = c.b;
                    if raw == Mode::PostincB as u8 {
                        off += 1;
                        if off == size {
                            off = 0;
                        }
                        let pcell = &mut core[ptr as usize];
                        if on_a { pcell.a = off } else { pcell.b = off }
                    }
                }
            }

            // B operand.
            let addr_b;
            let b_a; // A-field of the B-pointer target (AB_Value)
            let b_b; // B-field of the B-pointer target (IR.B_value)
            if ir.b_mode == Mode::Immediate as u8 {
                addr_b = pc;
                b_a = ir.a;
                b_b = ir.b;
            } else {
                let ptr = addmod(ir.b, pc);
                if ir.b_mode == Mode::Direct as u8 {
                    let c = core[ptr as usize];
                    addr_b = ptr;
                    b_a = c.a;
                    b_b = c.b;
                } else {
                    let on_a = ir.b_mode & 0x80 != 0;
                    let raw = ir.b_mode & 0x7f;
                    let pcell = &mut core[ptr as usize];
                    let mut off = if on_a { pcell.a } else { pcell.b };
                    if raw == Mode::PredecB as u8 {
                        off = if off == 0 { size1 } else { off - 1 };
                        if on_a { pcell.a = off } else { pcell.b = off }
                    }
                    addr_b = addmod(off, ptr);
                    let c = core[addr_b as usize];
                    b_a = c.a;
                    b_b = c.b;
                    if raw == Mode::PostincB as u8 {
                        off += 1;
                        if off == size {
                            off = 0;
                        }
                        let pcell = &mut core[ptr as usize];
                        if on_a { pcell.a = off } else { pcell.b = off }
                    }
                }
            }

            let flow = execute(
                ir,
                pc,
                addr_a,
                a_a,
                a_b,
                addr_b,
                b_a,
                b_b,
                core,
                runner,
                pspaces,
                psize,
                max_processes,
                size,
                addmod,
                submod,
            );
            let runner = &mut runners[w];
            match flow {
                Flow::Next => {
                    let next = if pc + 1 == size { 0 } else { pc + 1 };
                    runner.queue.push(next);
                }
                Flow::Skip => runner.queue.push(addmod(pc, 2)),
                Flow::Queued => {}
                Flow::Die => {
                    if runner.queue.len == 0 {
                        // The warrior's last process died.
                        self.round.deaths.push(w);
                        let left = self.round.left as i64;
                        cycle = cycle - 1 - (cycle - 1) / left;
                        self.round.left -= 1;
                        if self.round.left < 2 {
                            break true;
                        }
                        let next = runners[w].next;
                        runners[old_w].next = next;
                        w = next;
                        // pMARS `continue`s into `while (--cycle)`, keeping oldW.
                        cycle -= 1;
                        if cycle == 0 {
                            break true;
                        }
                        continue;
                    }
                }
            }
            old_w = w;
            w = runners[w].next;
            cycle -= 1;
            if cycle == 0 {
                break true;
            }
        };
        self.round.cycle = cycle;
        self.round.current = w;
        self.round.previous = old_w;
        if ended {
            self.finish_round();
            RoundState::Over
        } else {
            RoundState::Running
        }
    }

    /// Runs the current round to its end.
    pub fn run_round(&mut self) {
        while self.run(u64::MAX) == RoundState::Running {}
    }
}

/// Executes one decoded instruction. Mirrors the `switch (IR.opcode)` of
/// pMARS's sim.c, fall-throughs included.
#[allow(clippy::too_many_arguments)]
#[inline(always)]
fn execute(
    ir: Cell,
    pc: u32,
    addr_a: u32,
    a_a: u32,
    a_b: u32,
    addr_b: u32,
    b_a: u32,
    b_b: u32,
    core: &mut [Cell],
    runner: &mut Runner,
    pspaces: &mut [Vec<u32>],
    psize: u32,
    max_processes: usize,
    size: u32,
    addmod: impl Fn(u32, u32) -> u32,
    submod: impl Fn(u32, u32) -> u32,
) -> Flow {
    const A: u8 = Modifier::A as u8;
    const B: u8 = Modifier::B as u8;
    const AB: u8 = Modifier::AB as u8;
    const BA: u8 = Modifier::BA as u8;
    const F: u8 = Modifier::F as u8;
    const X: u8 = Modifier::X as u8;
    const I: u8 = Modifier::I as u8;
    let modifier = ir.op & 7;
    let ab = addr_b as usize;
    let mul = |x: u32, y: u32| (u64::from(x) * u64::from(y) % u64::from(size)) as u32;
    match ir.op >> 3 {
        op if op == Opcode::Mov as u8 => {
            match modifier {
                A => core[ab].a = a_a,
                B => core[ab].b = a_b,
                AB => core[ab].b = a_a,
                BA => core[ab].a = a_b,
                F => {
                    core[ab].a = a_a;
                    core[ab].b = a_b;
                }
                X => {
                    core[ab].b = a_a;
                    core[ab].a = a_b;
                }
                _ => {
                    // MOV.I copies opcode and modes from the core as it is
                    // now, and the fields from the registers.
                    let src = core[addr_a as usize];
                    core[ab] = Cell {
                        a: a_a,
                        b: a_b,
                        ..src
                    };
                }
            }
            Flow::Next
        }
        op if op == Opcode::Add as u8 || op == Opcode::Sub as u8 || op == Opcode::Mul as u8 => {
            let f = |x: u32, y: u32| match op {
                o if o == Opcode::Add as u8 => addmod(x, y),
                o if o == Opcode::Sub as u8 => submod(x, y),
                _ => mul(x, y),
            };
            match modifier {
                A => core[ab].a = f(b_a, a_a),
                B => core[ab].b = f(b_b, a_b),
                AB => core[ab].b = f(b_b, a_a),
                BA => core[ab].a = f(b_a, a_b),
                F | I => {
                    core[ab].a = f(b_a, a_a);
                    core[ab].b = f(b_b, a_b);
                }
                _ => {
                    core[ab].b = f(b_b, a_a);
                    core[ab].a = f(b_a, a_b);
                }
            }
            Flow::Next
        }
        op if op == Opcode::Div as u8 || op == Opcode::Mod as u8 => {
            let f = |x: u32, y: u32| {
                if op == Opcode::Div as u8 {
                    x / y
                } else {
                    x % y
                }
            };
            match modifier {
                A => {
                    if a_a == 0 {
                        return Flow::Die;
                    }
                    core[ab].a = f(b_a, a_a);
                }
                B => {
                    if a_b == 0 {
                        return Flow::Die;
                    }
                    core[ab].b = f(b_b, a_b);
                }
                AB => {
                    if a_a == 0 {
                        return Flow::Die;
                    }
                    core[ab].b = f(b_b, a_a);
                }
                BA => {
                    if a_b == 0 {
                        return Flow::Die;
                    }
                    core[ab].a = f(b_a, a_b);
                }
                F | I => {
                    // Each half is done if its divisor is non-zero; either
                    // zero kills the process after the other half is written.
                    if a_a != 0 {
                        core[ab].a = f(b_a, a_a);
                    }
                    if a_b == 0 {
                        return Flow::Die;
                    }
                    core[ab].b = f(b_b, a_b);
                    if a_a == 0 {
                        return Flow::Die;
                    }
                }
                _ => {
                    if a_b != 0 {
                        core[ab].a = f(b_a, a_b);
                    }
                    if a_a == 0 {
                        return Flow::Die;
                    }
                    core[ab].b = f(b_b, a_a);
                    if a_b == 0 {
                        return Flow::Die;
                    }
                }
            }
            Flow::Next
        }
        op if op == Opcode::Jmz as u8 => {
            let zero = match modifier {
                A | BA => b_a == 0,
                B | AB => b_b == 0,
                _ => b_a == 0 && b_b == 0,
            };
            if zero {
                runner.queue.push(addr_a);
                Flow::Queued
            } else {
                Flow::Next
            }
        }
        op if op == Opcode::Jmn as u8 => {
            let nonzero = match modifier {
                A | BA => b_a != 0,
                B | AB => b_b != 0,
                _ => b_a != 0 || b_b != 0,
            };
            if nonzero {
                runner.queue.push(addr_a);
                Flow::Queued
            } else {
                Flow::Next
            }
        }
        op if op == Opcode::Djn as u8 => {
            let dec = |v: u32| if v == 0 { size - 1 } else { v - 1 };
            // The decrement is written to the core, but the test reads the
            // register copy, as pMARS does.
            let jump = match modifier {
                A | BA => {
                    core[ab].a = dec(core[ab].a);
                    b_a != 1
                }
                B | AB => {
                    core[ab].b = dec(core[ab].b);
                    b_b != 1
                }
                _ => {
                    core[ab].b = dec(core[ab].b);
                    core[ab].a = dec(core[ab].a);
                    !(b_a == 1 && b_b == 1)
                }
            };
            if jump {
                runner.queue.push(addr_a);
                Flow::Queued
            } else {
                Flow::Next
            }
        }
        op if op == Opcode::Cmp as u8 || op == Opcode::Seq as u8 || op == Opcode::Sne as u8 => {
            let equal = match modifier {
                A => b_a == a_a,
                B => b_b == a_b,
                AB => b_b == a_a,
                BA => b_a == a_b,
                F => b_a == a_a && b_b == a_b,
                X => b_b == a_a && b_a == a_b,
                _ => {
                    let (cb, ca) = (core[ab], core[addr_a as usize]);
                    cb.op == ca.op
                        && cb.a_mode == ca.a_mode
                        && cb.b_mode == ca.b_mode
                        && b_a == a_a
                        && b_b == a_b
                }
            };
            if equal != (op == Opcode::Sne as u8) {
                Flow::Skip
            } else {
                Flow::Next
            }
        }
        op if op == Opcode::Slt as u8 => {
            let less = match modifier {
                A => a_a < b_a,
                B => a_b < b_b,
                AB => a_a < b_b,
                BA => a_b < b_a,
                F | I => a_a < b_a && a_b < b_b,
                _ => a_a < b_b && a_b < b_a,
            };
            if less { Flow::Skip } else { Flow::Next }
        }
        op if op == Opcode::Jmp as u8 => {
            runner.queue.push(addr_a);
            Flow::Queued
        }
        op if op == Opcode::Spl as u8 => {
            let next = if pc + 1 == size { 0 } else { pc + 1 };
            runner.queue.push(next);
            // The process that split counts as still queued (len is one
            // short while it executes), as pMARS's `tasks` does.
            if runner.queue.len < max_processes {
                runner.queue.push(addr_a);
            }
            Flow::Queued
        }
        op if op == Opcode::Nop as u8 => Flow::Next,
        op if op == Opcode::Ldp as u8 => {
            let get = |idx: u32| {
                let i = idx % psize;
                if i == 0 {
                    runner.last_result
                } else {
                    pspaces[runner.pspace][i as usize]
                }
            };
            match modifier {
                A => core[ab].a = get(a_a),
                AB => core[ab].b = get(a_a),
                BA => core[ab].a = get(a_b),
                _ => core[ab].b = get(a_b),
            }
            Flow::Next
        }
        op if op == Opcode::Stp as u8 => {
            let (idx, value) = match modifier {
                A => (b_a, a_a),
                AB => (b_b, a_a),
                BA => (b_a, a_b),
                _ => (b_b, a_b),
            };
            let i = idx % psize;
            if i == 0 {
                runner.last_result = value;
            } else {
                pspaces[runner.pspace][i as usize] = value;
            }
            Flow::Next
        }
        // DAT, and any code no assembler produces.
        _ => Flow::Die,
    }
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
