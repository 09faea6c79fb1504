//! The Redcode assembler of pMARS 0.9.2 (`asm.c`, `eval.c`, `token.c`),
//! reproduced so that warriors assemble to the same cells with the same
//! errors and warnings.
//!
//! pMARS assembles in two passes over text. Pass 1 ([`expand`]) reads the
//! lines, collects labels, pastes EQU text, unrolls FOR/ROF and checks
//! `;assert`; pass 2 ([`parse`]) parses what is left and evaluates the
//! operand expressions ([`expr`]).

mod diagnostic;
mod expand;
pub mod expr;
mod listing;
mod parse;
mod source;
mod state;
mod token;

use std::fmt;
use std::rc::Rc;

pub use diagnostic::{Diagnostic, Kind as DiagnosticKind, Severity};
pub use expr::{ExprError, Registers, eval};
pub use listing::{listing, listing_traced};

use crate::corewar::{Settings, Warrior};
use state::Asm;
pub(crate) use state::MAX_INSTR;

/// pMARS's `VERSION` constant (0.9.2).
pub const PMARS_VERSION: u32 = 92;

/// Opcodes then pseudo-opcodes, as pMARS's `opname` table.
pub(crate) const OP_NAMES: [&str; 22] = [
    "MOV", "ADD", "SUB", "MUL", "DIV", "MOD", "JMZ", "JMN", "DJN", "CMP", "SLT", "SPL", "DAT",
    "JMP", "SEQ", "SNE", "NOP", "LDP", "STP", "ORG", "END", "PIN",
];
/// Number of real opcodes (`OPNUM`).
pub(crate) const OP_NUM: u8 = 19;
pub(crate) const ORG_OP: u8 = 19;
pub(crate) const END_OP: u8 = 20;
pub(crate) const PIN_OP: u8 = 21;

/// Index of an upper-case (pseudo-)opcode in [`OP_NAMES`].
pub(crate) fn op_index(upper: &[u8]) -> Option<u8> {
    OP_NAMES
        .iter()
        .position(|n| n.as_bytes() == upper)
        .map(|i| i as u8)
}

/// A warrior that assembled, with the warnings pMARS would print.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Assembly {
    pub warrior: Warrior,
    /// Warnings (and, in pMARS's corner case of exactly 256 errors, errors).
    pub warnings: Vec<Diagnostic>,
    /// Per instruction, whether `;trace`/`;break` marked it (pMARS's
    /// `debuginfo`, shown as `T` in listings).
    pub trace: Vec<bool>,
    /// `;date` text.
    pub date: String,
    /// `;version` text.
    pub version: String,
}

impl Assembly {
    /// What pMARS writes to stderr for this file: empty without warnings.
    pub fn report(&self, file_name: &str) -> String {
        diagnostic::render(&self.warnings, false, Some(file_name))
    }

    /// pMARS's listing, with `T` marks from `;trace`/`;break`.
    pub fn listing(&self, settings: &Settings) -> String {
        listing_traced(&self.warrior, &self.trace, settings)
    }
}

/// A warrior that did not assemble.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AssembleError {
    /// Every error and warning, in the order pMARS reports them.
    pub diagnostics: Vec<Diagnostic>,
    /// pMARS gave up after nine distinct messages ("Program aborted").
    pub aborted: bool,
}

impl AssembleError {
    /// pMARS's stderr report for this file, byte for byte.
    pub fn report(&self, file_name: &str) -> String {
        diagnostic::render(&self.diagnostics, self.aborted, Some(file_name))
    }

    /// What pMARS writes to stdout instead of a listing: only its internal
    /// "Error in asm.c" exit, which some hostile sources trigger.
    pub fn stdout(&self) -> String {
        self.diagnostics
            .iter()
            .find(|d| d.kind == DiagnosticKind::Internal)
            .map_or(String::new(), |d| format!("{}\n", d.message))
    }

    /// The errors (not the warnings).
    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
    }

    /// Line number of the first error that has one.
    pub fn first_error_line(&self) -> Option<u32> {
        self.errors().find_map(|d| d.line)
    }
}

impl fmt::Display for AssembleError {
    /// The report without the "Source:" line, which needs a file name.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&diagnostic::render(&self.diagnostics, self.aborted, None))
    }
}

impl std::error::Error for AssembleError {}

/// Assembles one warrior as pMARS does with `settings` (`-s -p -c -l -d
/// -S -r`, the number of warriors, `-8`).
pub fn assemble(source: &str, settings: &Settings) -> Result<Assembly, AssembleError> {
    assemble_bytes(source.as_bytes(), settings)
}

/// [`assemble`] for raw bytes (pMARS reads bytes, not UTF-8).
pub fn assemble_bytes(source: &[u8], settings: &Settings) -> Result<Assembly, AssembleError> {
    assemble_with_registers(source, settings, Registers::new())
}

/// [`assemble_bytes`] starting from given expression registers.
///
/// pMARS's registers are global: before the first warrior is assembled its
/// command-line check leaves `W` = number of warriors and `S` = number of
/// warriors (from test-evaluating the score formula, which may set others),
/// and they are zeroed after each warrior. So a warrior reading register
/// `w` sees that value only when it is the first file.
pub fn assemble_with_registers(
    source: &[u8],
    settings: &Settings,
    registers: Registers,
) -> Result<Assembly, AssembleError> {
    let mut asm = Asm::new(settings);
    asm.regs = registers;
    asm.add_predefs();
    let (lines, header) = source::read(source);
    asm.line = 0;
    asm.expand(Rc::new(lines));
    if !asm.symtbl.is_empty() {
        let mut names: Vec<u8> = Vec::new();
        for n in asm.symtbl.iter().rev() {
            if !names.is_empty() && !state::concat(&mut names, b" ") {
                break;
            }
            if !state::concat(&mut names, n) {
                break;
            }
        }
        asm.symtbl.clear();
        asm.err_global(DiagnosticKind::DiscardedLabels, &names);
    }
    if asm.noassert {
        asm.err_global(DiagnosticKind::MissingAssert, b"");
    }
    let enc = asm.encode();
    if asm.errnum != 0 || asm.aborted {
        return Err(AssembleError {
            diagnostics: asm.diagnostics,
            aborted: asm.aborted,
        });
    }
    Ok(Assembly {
        warrior: Warrior {
            name: header.name,
            author: header.author,
            code: enc.code,
            start: enc.start.max(0) as u32,
            pin: enc.pin,
        },
        warnings: asm.diagnostics,
        trace: enc.debug,
        date: header.date,
        version: header.version,
    })
}
