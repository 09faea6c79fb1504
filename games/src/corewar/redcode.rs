//! Redcode as the MARS stores it: opcodes, modifiers, addressing modes and
//! the assembled warrior. The numeric codes follow pMARS (`global.h`) because
//! pMARS's seed for `-f` is a checksum over exactly these codes.

use std::fmt;

/// An ICWS'94 opcode, numbered as pMARS numbers them (`enum op` in `global.h`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(u8)]
pub enum Opcode {
    Mov = 0,
    Add,
    Sub,
    Mul,
    Div,
    Mod,
    Jmz,
    Jmn,
    Djn,
    Cmp,
    Slt,
    Spl,
    Dat,
    Jmp,
    Seq,
    Sne,
    Nop,
    Ldp,
    Stp,
}

impl Opcode {
    /// Every opcode, in pMARS's order.
    pub const ALL: [Opcode; 19] = [
        Opcode::Mov,
        Opcode::Add,
        Opcode::Sub,
        Opcode::Mul,
        Opcode::Div,
        Opcode::Mod,
        Opcode::Jmz,
        Opcode::Jmn,
        Opcode::Djn,
        Opcode::Cmp,
        Opcode::Slt,
        Opcode::Spl,
        Opcode::Dat,
        Opcode::Jmp,
        Opcode::Seq,
        Opcode::Sne,
        Opcode::Nop,
        Opcode::Ldp,
        Opcode::Stp,
    ];

    /// The mnemonic in upper case, as listings print it.
    pub fn mnemonic(self) -> &'static str {
        match self {
            Opcode::Mov => "MOV",
            Opcode::Add => "ADD",
            Opcode::Sub => "SUB",
            Opcode::Mul => "MUL",
            Opcode::Div => "DIV",
            Opcode::Mod => "MOD",
            Opcode::Jmz => "JMZ",
            Opcode::Jmn => "JMN",
            Opcode::Djn => "DJN",
            Opcode::Cmp => "CMP",
            Opcode::Slt => "SLT",
            Opcode::Spl => "SPL",
            Opcode::Dat => "DAT",
            Opcode::Jmp => "JMP",
            Opcode::Seq => "SEQ",
            Opcode::Sne => "SNE",
            Opcode::Nop => "NOP",
            Opcode::Ldp => "LDP",
            Opcode::Stp => "STP",
        }
    }

    /// Parses a mnemonic in any case.
    pub fn from_mnemonic(text: &str) -> Option<Opcode> {
        Opcode::ALL
            .into_iter()
            .find(|op| op.mnemonic().eq_ignore_ascii_case(text))
    }
}

/// An instruction modifier, numbered as pMARS numbers them (`enum modifier`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(u8)]
pub enum Modifier {
    A = 0,
    B,
    AB,
    BA,
    F,
    X,
    I,
}

impl Modifier {
    /// Every modifier, in pMARS's order.
    pub const ALL: [Modifier; 7] = [
        Modifier::A,
        Modifier::B,
        Modifier::AB,
        Modifier::BA,
        Modifier::F,
        Modifier::X,
        Modifier::I,
    ];

    /// The modifier's name without the dot.
    pub fn name(self) -> &'static str {
        match self {
            Modifier::A => "A",
            Modifier::B => "B",
            Modifier::AB => "AB",
            Modifier::BA => "BA",
            Modifier::F => "F",
            Modifier::X => "X",
            Modifier::I => "I",
        }
    }

    /// Parses a modifier name (without the dot) in any case.
    pub fn from_name(text: &str) -> Option<Modifier> {
        Modifier::ALL
            .into_iter()
            .find(|m| m.name().eq_ignore_ascii_case(text))
    }
}

/// One of the eight ICWS'94 addressing modes.
///
/// The discriminants are pMARS's `FIELD_T` codes: the low bits are the
/// B-field mode (`IMMEDIATE`..`POSTINC`), and bit 7 marks the A-field
/// variants (`*`, `{`, `}`), as `SYM_TO_INDIR_A` in `global.h` encodes them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(u8)]
pub enum Mode {
    /// `#`
    Immediate = 0,
    /// `$`
    Direct = 1,
    /// `@`
    IndirectB = 2,
    /// `<`
    PredecB = 3,
    /// `>`
    PostincB = 4,
    /// `*`
    IndirectA = 0x82,
    /// `{`
    PredecA = 0x83,
    /// `}`
    PostincA = 0x84,
}

impl Mode {
    /// Every mode, in the order of pMARS's `addr_sym` table `#$@<>*{}`.
    pub const ALL: [Mode; 8] = [
        Mode::Immediate,
        Mode::Direct,
        Mode::IndirectB,
        Mode::PredecB,
        Mode::PostincB,
        Mode::IndirectA,
        Mode::PredecA,
        Mode::PostincA,
    ];

    /// The mode's sigil.
    pub fn symbol(self) -> char {
        match self {
            Mode::Immediate => '#',
            Mode::Direct => '$',
            Mode::IndirectB => '@',
            Mode::PredecB => '<',
            Mode::PostincB => '>',
            Mode::IndirectA => '*',
            Mode::PredecA => '{',
            Mode::PostincA => '}',
        }
    }

    /// Parses a mode sigil.
    pub fn from_symbol(c: char) -> Option<Mode> {
        Mode::ALL.into_iter().find(|m| m.symbol() == c)
    }

    /// pMARS's `FIELD_T` code for this mode.
    pub fn code(self) -> u8 {
        self as u8
    }
}

/// One core cell. Field values are already reduced to `0..core_size`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Instruction {
    pub opcode: Opcode,
    pub modifier: Modifier,
    pub a_mode: Mode,
    pub a: u32,
    pub b_mode: Mode,
    pub b: u32,
}

impl Instruction {
    /// `DAT.F $0, $0`: what an empty core holds.
    pub const EMPTY: Instruction = Instruction {
        opcode: Opcode::Dat,
        modifier: Modifier::F,
        a_mode: Mode::Direct,
        a: 0,
        b_mode: Mode::Direct,
        b: 0,
    };

    /// pMARS's combined opcode field, `opcode << 3 | modifier`.
    pub fn op_code(&self) -> u8 {
        ((self.opcode as u8) << 3) | self.modifier as u8
    }
}

impl fmt::Display for Instruction {
    /// Formats as `MOV.I $0, $1` with field values as stored (0..core_size).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}.{} {}{}, {}{}",
            self.opcode.mnemonic(),
            self.modifier.name(),
            self.a_mode.symbol(),
            self.a,
            self.b_mode.symbol(),
            self.b
        )
    }
}

/// A warrior after assembly: what the loader copies into the core.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Warrior {
    /// From `;name`; pMARS prints "Unknown" when it is missing.
    pub name: String,
    /// From `;author`; pMARS prints "Anonymous" when it is missing.
    pub author: String,
    /// The instructions, field values reduced to `0..core_size`.
    pub code: Vec<Instruction>,
    /// Offset of the first instruction to execute (`ORG` or `END label`).
    pub start: u32,
    /// The `PIN` value: warriors with the same PIN share a P-space.
    pub pin: Option<i64>,
}

impl Warrior {
    /// Whether the warrior can touch P-space, so its rounds depend on each other.
    pub fn uses_pspace(&self) -> bool {
        self.code
            .iter()
            .any(|i| matches!(i.opcode, Opcode::Ldp | Opcode::Stp))
    }
}
