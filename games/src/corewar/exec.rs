//! One instruction of the MARS, as pMARS's `simulator1()` (sim.c) executes
//! it: operands evaluated in register, A before B, and the same order of
//! reads and writes, fall-throughs included.

use super::redcode::{Mode, Modifier, Opcode};

/// One core cell: the two fields and the instruction code
/// `(opcode << 3 | modifier) << 8 | a_mode_bits << 4 | b_mode_bits`
/// (see [`mode_bits`]). One number, so that CMP.I compares opcode,
/// modifier and modes in one comparison. `kind` is decoded from `code`
/// when the cell is built (see [`kind_of`]) and travels with it, so the
/// loop picks a shortcut for the commonest instructions in one jump.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cell {
    pub a: u32,
    pub b: u32,
    pub code: u16,
    pub kind: u8,
}

impl Cell {
    /// A cell with these fields and code, its kind decoded.
    pub const fn new(a: u32, b: u32, code: u16) -> Cell {
        Cell {
            a,
            b,
            code,
            kind: kind_of(code),
        }
    }
}

/// The kind of every instruction without a specialised path: [`execute`]
/// decodes it.
pub const K_GENERIC: u8 = 0;

/// The instructions that get a path of their own, as (opcode, modifier,
/// A mode bits, B mode bits): kind `k` is entry `k - 1`. They are the
/// commonest in warriors (imps, stones, papers, scanners, and pMARS's
/// example warriors): the loop jumps once, on the kind, to code where the
/// opcode, modifier and modes are constants, instead of branching on
/// each. Opcodes that ignore their modifier (JMP, SPL, DAT, NOP) are
/// listed with `B`, and `#` operands that have no effect with `$`, which
/// [`kind_of`] maps them to.
pub const SPECIAL: [(Opcode, Modifier, usize, usize); 31] = {
    use Modifier::{AB, B, BA, F, I};
    use Opcode::*;
    [
        (Mov, I, DIRECT, DIRECT),
        (Mov, I, IMMEDIATE, DIRECT),
        (Mov, I, DIRECT, PREDEC_B),
        (Mov, I, DIRECT, POSTINC_B),
        (Mov, I, DIRECT, INDIRECT_B),
        (Mov, I, PREDEC_B, DIRECT),
        (Mov, I, PREDEC_B, PREDEC_B),
        (Mov, I, POSTINC_A, POSTINC_A),
        (Mov, I, DIRECT, POSTINC_A),
        (Mov, AB, IMMEDIATE, DIRECT),
        (Mov, AB, IMMEDIATE, INDIRECT_B),
        (Mov, B, DIRECT, INDIRECT_B),
        (Add, F, DIRECT, DIRECT),
        (Add, AB, IMMEDIATE, DIRECT),
        (Add, BA, DIRECT, DIRECT),
        (Sub, F, DIRECT, DIRECT),
        (Sub, AB, IMMEDIATE, DIRECT),
        (Jmp, B, DIRECT, DIRECT),
        (Spl, B, DIRECT, DIRECT),
        (Spl, B, INDIRECT_B, DIRECT),
        (Spl, B, DIRECT, PREDEC_B),
        (Dat, B, DIRECT, DIRECT),
        (Dat, B, PREDEC_B, PREDEC_B),
        (Djn, B, DIRECT, IMMEDIATE),
        (Djn, B, DIRECT, DIRECT),
        (Djn, F, DIRECT, PREDEC_B),
        (Djn, B, DIRECT, PREDEC_B),
        (Jmz, B, DIRECT, DIRECT),
        (Jmn, B, DIRECT, DIRECT),
        (Cmp, I, DIRECT, DIRECT),
        (Sne, I, DIRECT, DIRECT),
    ]
};

/// The kind of the instruction whose code is `code`: 1 + its index in
/// [`SPECIAL`], or [`K_GENERIC`].
pub const fn kind_of(code: u16) -> u8 {
    let op = code >> 11;
    let mut m = (code >> 8) & 7;
    let mut am = (code >> 4) as usize & 15;
    let mut bm = code as usize & 15;
    let no_modifier = op == Opcode::Jmp as u16
        || op == Opcode::Spl as u16
        || op == Opcode::Dat as u16
        || op == Opcode::Nop as u16;
    if no_modifier {
        m = Modifier::B as u16;
        // Their B operand's value is unused: `#` and `$` both do nothing.
        if bm == IMMEDIATE {
            bm = DIRECT;
        }
        // Nor is DAT's A value.
        if op == Opcode::Dat as u16 && am == IMMEDIATE {
            am = DIRECT;
        }
    }
    let mut k = 0;
    while k < SPECIAL.len() {
        let (o, mm, a, b) = SPECIAL[k];
        if o as u16 == op && mm as u16 == m && a == am && b == bm {
            return k as u8 + 1;
        }
        k += 1;
    }
    K_GENERIC
}

/// The code of an instruction, the modes given by [`mode_bits`].
pub const fn code(opcode: Opcode, modifier: Modifier, a_mode: usize, b_mode: usize) -> u16 {
    ((((opcode as u16) << 3) | modifier as u16) << 8) | ((a_mode as u16) << 4) | b_mode as u16
}

/// A mode's four bits in a code: `#` and `$` have [`SIMPLE`] set (and
/// `$` bit 0); the indirect modes say which field they go through
/// ([`ON_A`]) and whether it is decremented before ([`PREDEC`]) or
/// incremented after ([`POSTINC`]), one bit each, so that evaluating an
/// operand tests single bits instead of comparing the mode to lists.
pub const fn mode_bits(mode: Mode) -> usize {
    match mode {
        Mode::Immediate => IMMEDIATE,
        Mode::Direct => DIRECT,
        Mode::IndirectB => INDIRECT_B,
        Mode::PredecB => PREDEC_B,
        Mode::PostincB => POSTINC_B,
        Mode::IndirectA => INDIRECT_A,
        Mode::PredecA => PREDEC_A,
        Mode::PostincA => POSTINC_A,
    }
}

/// The mode whose bits in a code are `bits` ([`mode_bits`]'s inverse;
/// bits no mode has read as `$`).
pub fn mode_of(bits: usize) -> Mode {
    match bits {
        IMMEDIATE => Mode::Immediate,
        INDIRECT_B => Mode::IndirectB,
        PREDEC_B => Mode::PredecB,
        POSTINC_B => Mode::PostincB,
        INDIRECT_A => Mode::IndirectA,
        PREDEC_A => Mode::PredecA,
        POSTINC_A => Mode::PostincA,
        _ => Mode::Direct,
    }
}

pub const SIMPLE: usize = 0b1000;
const PREDEC: usize = 0b0001;
const POSTINC: usize = 0b0010;
const ON_A: usize = 0b0100;
pub const IMMEDIATE: usize = SIMPLE;
pub const DIRECT: usize = SIMPLE | 1;
pub const INDIRECT_B: usize = 0;
pub const PREDEC_B: usize = PREDEC;
pub const POSTINC_B: usize = POSTINC;
pub const INDIRECT_A: usize = ON_A;
pub const PREDEC_A: usize = ON_A | PREDEC;
pub const POSTINC_A: usize = ON_A | POSTINC;

/// `v - 1` in a core of `size` cells.
#[inline(always)]
fn decrement(v: u32, size: u32) -> u32 {
    if v == 0 { size - 1 } else { v - 1 }
}

/// DIV's (`div`) or MOD's result for a non-zero divisor.
#[inline(always)]
fn divide(div: bool, p: u32, q: u32) -> u32 {
    if div { p / q } else { p % q }
}

/// What the P-space instructions need: every P-space, which one each
/// warrior uses, each warrior's result cell, and who is running. Built once
/// per call to the loop; only `warrior` changes per instruction.
pub struct PSpaces<'a> {
    pub spaces: &'a mut [Vec<u32>],
    pub space_of: &'a [usize],
    /// Cell 0 of each warrior: its own result of the previous round.
    pub last_results: &'a mut [u32],
    pub warrior: usize,
}

impl PSpaces<'_> {
    #[inline(always)]
    fn get(&self, idx: u32) -> u32 {
        let space = &self.spaces[self.space_of[self.warrior]];
        let i = (idx % space.len() as u32) as usize;
        if i == 0 {
            self.last_results[self.warrior]
        } else {
            space[i]
        }
    }

    #[inline(always)]
    fn set(&mut self, idx: u32, value: u32) {
        let space = &mut self.spaces[self.space_of[self.warrior]];
        let i = (idx % space.len() as u32) as usize;
        if i == 0 {
            self.last_results[self.warrior] = value;
        } else {
            space[i] = value;
        }
    }
}

/// What an instruction asks of its process queue, packed into one word so
/// it comes back in a register: the low half is the address to queue, the
/// high half a second address (SPL's new process) when bit 63 is set, and
/// [`DIE`] means the process ends.
pub type Queued = u64;

/// The process dies; nothing is queued.
pub const DIE: Queued = u64::MAX;
/// Bit 63: the high half holds a second address to queue if the process
/// limit allows.
pub const SPLIT: Queued = 1 << 63;

/// Cores of up to this many cells are stored in an array of exactly this
/// many, so that an address (always below the core size) indexes it as a
/// `u16`, with no bounds check.
pub const SMALL: usize = 1 << 16;

/// The core's storage as the loop indexes it: any slice, or the array of
/// [`SMALL`] cells that needs no bounds checks.
pub trait Cells {
    /// The cell at `i`, an address below the core size.
    fn at(&mut self, i: u32) -> &mut Cell;
}

impl Cells for [Cell] {
    #[inline(always)]
    fn at(&mut self, i: u32) -> &mut Cell {
        &mut self[i as usize]
    }
}

impl Cells for [Cell; SMALL] {
    #[inline(always)]
    fn at(&mut self, i: u32) -> &mut Cell {
        &mut self[usize::from(i as u16)]
    }
}

/// The core, as handlers see it.
///
/// `N` is the core size when it is known at compile time (the standard
/// 8000), else 0 and `size` says it: the loop is compiled for both.
pub struct Core<'a, C: Cells + ?Sized, const N: u32> {
    pub cells: &'a mut C,
    pub size: u32,
}

impl<C: Cells + ?Sized, const N: u32> Core<'_, C, N> {
    /// The core size.
    #[inline(always)]
    pub fn size(&self) -> u32 {
        if N == 0 { self.size } else { N }
    }

    #[inline(always)]
    pub fn add(&self, x: u32, y: u32) -> u32 {
        let s = x + y;
        if N == 0 {
            // Below the size, `s - size` wraps above `s`: the smaller of the
            // two is the sum reduced, in fewer instructions than a test and
            // select when the size is in a register.
            s.min(s.wrapping_sub(self.size))
        } else {
            // A constant size compares as an immediate: add, compare,
            // subtract, select.
            if s >= N { s - N } else { s }
        }
    }

    #[inline(always)]
    fn sub(&self, x: u32, y: u32) -> u32 {
        if x >= y { x - y } else { x + self.size() - y }
    }

    /// ADD's, SUB's or MUL's result (`op`) for fields `p` and `q`. A
    /// method, not a closure in the handler, so that it is always inlined:
    /// the inliner gave up on the closure in the larger loops, leaving a
    /// call on every ADD.
    #[inline(always)]
    fn arith(&self, op: u16, p: u32, q: u32) -> u32 {
        if op == Opcode::Add as u16 {
            self.add(p, q)
        } else if op == Opcode::Sub as u16 {
            self.sub(p, q)
        } else {
            (u64::from(p) * u64::from(q) % u64::from(self.size())) as u32
        }
    }

    #[inline(always)]
    pub fn next(&self, pc: u32) -> u32 {
        if pc + 1 == self.size() { 0 } else { pc + 1 }
    }

    /// Evaluates a non-immediate operand of mode index `m` whose field is
    /// `field`; returns the address it points at and that cell's A and B
    /// fields as they were read.
    #[inline(always)]
    fn operand(&mut self, m: usize, pc: u32, field: u32) -> (u32, u32, u32) {
        let ptr = self.add(field, pc);
        match m {
            DIRECT => {
                let c = *self.cells.at(ptr);
                (ptr, c.a, c.b)
            }
            _ => {
                let on_a = m & ON_A != 0;
                let size = self.size();
                let pcell = self.cells.at(ptr);
                let mut off = if on_a { pcell.a } else { pcell.b };
                if m & PREDEC != 0 {
                    off = if off == 0 { size - 1 } else { off - 1 };
                    if on_a {
                        pcell.a = off;
                    } else {
                        pcell.b = off;
                    }
                }
                let addr = self.add(off, ptr);
                let c = *self.cells.at(addr);
                if m & POSTINC != 0 {
                    off += 1;
                    if off == size {
                        off = 0;
                    }
                    let pcell = self.cells.at(ptr);
                    if on_a {
                        pcell.a = off;
                    } else {
                        pcell.b = off;
                    }
                }
                (addr, c.a, c.b)
            }
        }
    }
}

/// Writes both fields of `c` as two 4-byte stores, never one 8-byte store:
/// the CPU forwards a store to a later load only if the load starts where
/// the store does, so reading the B-field of a cell soon after an 8-byte
/// store to it (a stone executing the cell its ADD.F just changed, an imp
/// its copy) waits for the store to reach the cache. The fence keeps the
/// compiler from merging the two stores.
#[inline(always)]
fn split_stores(c: &mut Cell, a: u32, b: u32) {
    c.a = a;
    std::sync::atomic::compiler_fence(std::sync::atomic::Ordering::SeqCst);
    c.b = b;
}

/// Executes `ir`, the instruction fetched from `pc`; returns what to queue.
#[inline(always)]
pub fn execute<C: Cells + ?Sized, const N: u32>(
    x: &mut Core<C, N>,
    pc: u32,
    ir: Cell,
    pspace: &mut PSpaces,
) -> Queued {
    let am = usize::from(ir.code >> 4) & 15;
    let bm = usize::from(ir.code) & 15;
    let op = ir.code >> 11;
    let m = (ir.code >> 8) & 7;
    execute_as(x, pc, ir, (op, m, am, bm), pspace)
}

/// [`execute`] with the opcode, modifier and mode bits given: called
/// with constants, it compiles to that instruction's code alone.
#[inline(always)]
pub fn execute_as<C: Cells + ?Sized, const N: u32>(
    x: &mut Core<C, N>,
    pc: u32,
    ir: Cell,
    (op, m, am, bm): (u16, u16, usize, usize),
    pspace: &mut PSpaces,
) -> Queued {
    let (ir_a, ir_b) = (ir.a, ir.b);
    // A operand (pMARS: addrA, AA_Value, IR.A_value).
    let (addr_a, a_a, a_b) = if am == IMMEDIATE {
        (pc, ir_a, ir_b)
    } else {
        x.operand(am, pc, ir_a)
    };
    // B operand (pMARS: addrB, AB_Value, IR.B_value); an immediate B reads
    // the instruction's own fields as they were fetched.
    let (addr_b, b_a, b_b) = if bm == IMMEDIATE {
        (pc, ir_a, ir_b)
    } else {
        x.operand(bm, pc, ir_b)
    };
    let ab = addr_b;
    const A: u16 = Modifier::A as u16;
    const B: u16 = Modifier::B as u16;
    const AB: u16 = Modifier::AB as u16;
    const BA: u16 = Modifier::BA as u16;
    const F: u16 = Modifier::F as u16;
    const X: u16 = Modifier::X as u16;
    const I: u16 = Modifier::I as u16;
    const MOV: u16 = Opcode::Mov as u16;
    const ADD: u16 = Opcode::Add as u16;
    const SUB: u16 = Opcode::Sub as u16;
    const MUL: u16 = Opcode::Mul as u16;
    const DIV: u16 = Opcode::Div as u16;
    const MOD: u16 = Opcode::Mod as u16;
    const JMZ: u16 = Opcode::Jmz as u16;
    const JMN: u16 = Opcode::Jmn as u16;
    const DJN: u16 = Opcode::Djn as u16;
    const CMP: u16 = Opcode::Cmp as u16;
    const SLT: u16 = Opcode::Slt as u16;
    const SPL: u16 = Opcode::Spl as u16;
    const JMP: u16 = Opcode::Jmp as u16;
    const SEQ: u16 = Opcode::Seq as u16;
    const SNE: u16 = Opcode::Sne as u16;
    const NOP: u16 = Opcode::Nop as u16;
    const LDP: u16 = Opcode::Ldp as u16;
    const STP: u16 = Opcode::Stp as u16;

    match op {
        MOV => {
            let c = x.cells.at(ab);
            match m {
                A => c.a = a_a,
                B => c.b = a_b,
                AB => c.b = a_a,
                BA => c.a = a_b,
                F => split_stores(c, a_a, a_b),
                X => split_stores(c, a_b, a_a),
                _ => {
                    // The opcode and modes come from the core as it is now,
                    // the fields from the registers.
                    let src = *x.cells.at(addr_a);
                    let c = x.cells.at(ab);
                    c.code = src.code;
                    c.kind = src.kind;
                    split_stores(c, a_a, a_b);
                }
            }
        }
        ADD | SUB | MUL => {
            let (na, nb) = match m {
                A => (Some(x.arith(op, b_a, a_a)), None),
                B => (None, Some(x.arith(op, b_b, a_b))),
                AB => (None, Some(x.arith(op, b_b, a_a))),
                BA => (Some(x.arith(op, b_a, a_b)), None),
                F | I => (Some(x.arith(op, b_a, a_a)), Some(x.arith(op, b_b, a_b))),
                _ => (Some(x.arith(op, b_a, a_b)), Some(x.arith(op, b_b, a_a))),
            };
            let c = x.cells.at(ab);
            match (na, nb) {
                (Some(va), Some(vb)) => split_stores(c, va, vb),
                (Some(v), None) => c.a = v,
                (None, Some(v)) => c.b = v,
                (None, None) => {}
            }
        }
        DIV | MOD => {
            let c = x.cells.at(ab);
            match m {
                A | AB | B | BA => {
                    let (num, den) = match m {
                        A => (b_a, a_a),
                        AB => (b_b, a_a),
                        B => (b_b, a_b),
                        _ => (b_a, a_b),
                    };
                    if den == 0 {
                        return DIE;
                    }
                    let v = divide(op == DIV, num, den);
                    if matches!(m, A | BA) {
                        c.a = v;
                    } else {
                        c.b = v;
                    }
                }
                F | I => {
                    // Each half is done if its divisor is non-zero; either
                    // zero kills the process after the other half is written.
                    if a_a != 0 {
                        c.a = divide(op == DIV, b_a, a_a);
                    }
                    if a_b != 0 {
                        c.b = divide(op == DIV, b_b, a_b);
                    }
                    if a_a == 0 || a_b == 0 {
                        return DIE;
                    }
                }
                _ => {
                    if a_b != 0 {
                        c.a = divide(op == DIV, b_a, a_b);
                    }
                    if a_a != 0 {
                        c.b = divide(op == DIV, b_b, a_a);
                    }
                    if a_a == 0 || a_b == 0 {
                        return DIE;
                    }
                }
            }
        }
        JMZ | JMN => {
            let zero = match m {
                A | BA => b_a == 0,
                B | AB => b_b == 0,
                _ => b_a == 0 && b_b == 0,
            };
            if zero == (op == JMZ) {
                return Queued::from(addr_a);
            }
        }
        DJN => {
            let size = x.size();
            let c = x.cells.at(ab);
            // The decrement is written to the core; the test reads the
            // register copy, as pMARS does.
            let jump = match m {
                A | BA => {
                    c.a = decrement(c.a, size);
                    b_a != 1
                }
                B | AB => {
                    c.b = decrement(c.b, size);
                    b_b != 1
                }
                _ => {
                    let (a, b) = (decrement(c.a, size), decrement(c.b, size));
                    split_stores(c, a, b);
                    !(b_a == 1 && b_b == 1)
                }
            };
            if jump {
                return Queued::from(addr_a);
            }
        }
        CMP | SEQ | SNE => {
            let equal = match m {
                A => b_a == a_a,
                B => b_b == a_b,
                AB => b_b == a_a,
                BA => b_a == a_b,
                F => b_a == a_a && b_b == a_b,
                X => b_b == a_a && b_a == a_b,
                _ => x.cells.at(ab).code == x.cells.at(addr_a).code && b_a == a_a && b_b == a_b,
            };
            if equal != (op == SNE) {
                return Queued::from(x.add(pc, 2));
            }
        }
        SLT => {
            let less = match m {
                A => a_a < b_a,
                B => a_b < b_b,
                AB => a_a < b_b,
                BA => a_b < b_a,
                F | I => a_a < b_a && a_b < b_b,
                _ => a_a < b_b && a_b < b_a,
            };
            if less {
                return Queued::from(x.add(pc, 2));
            }
        }
        JMP => return Queued::from(addr_a),
        SPL => return Queued::from(x.next(pc)) | Queued::from(addr_a) << 32 | SPLIT,
        NOP => {}
        LDP => {
            let c = match m {
                A => (true, a_a),
                AB => (false, a_a),
                BA => (true, a_b),
                _ => (false, a_b),
            };
            let v = pspace.get(c.1);
            if c.0 {
                x.cells.at(ab).a = v;
            } else {
                x.cells.at(ab).b = v;
            }
        }
        STP => {
            let (idx, value) = match m {
                A => (b_a, a_a),
                AB => (b_b, a_a),
                BA => (b_a, a_b),
                _ => (b_b, a_b),
            };
            pspace.set(idx, value);
        }
        // DAT, and codes no assembler produces.
        _ => return DIE,
    }
    Queued::from(x.next(pc))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every specialised instruction is reachable: its own code decodes
    /// to its kind (an entry [`kind_of`] would normalise away never runs).
    #[test]
    fn every_special_kind_is_reachable() {
        assert!(SPECIAL.len() < 32);
        for (k, &(op, m, am, bm)) in SPECIAL.iter().enumerate() {
            assert_eq!(usize::from(kind_of(code(op, m, am, bm))), k + 1, "{k}");
        }
        let generic = code(Opcode::Div, Modifier::X, INDIRECT_A, PREDEC_A);
        assert_eq!(kind_of(generic), K_GENERIC);
    }
}
