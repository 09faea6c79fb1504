//! The listing pMARS prints for each warrior unless run with `-b`
//! (`disasm.c`): a header, an `ORG` line, then one line per instruction.

use std::fmt::Write;

use crate::corewar::{Instruction, Settings, Warrior};

/// pMARS's listing of `warrior`, ending with the blank line pMARS prints.
pub fn listing(warrior: &Warrior, settings: &Settings) -> String {
    listing_traced(warrior, &[], settings)
}

/// [`listing`] with `T` after instructions marked by `;trace`/`;break`.
pub fn listing_traced(warrior: &Warrior, trace: &[bool], settings: &Settings) -> String {
    let mut out = String::new();
    let n = warrior.code.len();
    let _ = write!(
        out,
        "Program \"{}\" (length {}) by \"{}\"\n\n",
        warrior.name, n, warrior.author
    );
    let start = warrior.start as usize;
    let shown = start < n;
    if shown && !settings.icws88 {
        let _ = writeln!(out, "{:<6} {:>3}{:>3}  {:>6}", "", "ORG", "", "START");
    }
    for (i, inst) in warrior.code.iter().enumerate() {
        let label = if i == start { "START" } else { "" };
        let t = trace.get(i).copied().unwrap_or(false);
        let _ = writeln!(out, "{label:<6} {}", cell(inst, t, settings));
    }
    if shown && settings.icws88 {
        let _ = writeln!(out, "{:<6} {:>3}{:>3}  {:>6}", "", "END", "", "START");
    }
    out.push('\n');
    out
}

/// `cellview`: `MOV.I  $     0, $     1     `.
fn cell(inst: &Instruction, traced: bool, settings: &Settings) -> String {
    let (dot, modifier) = if settings.icws88 {
        (' ', "  ")
    } else {
        ('.', inst.modifier.name())
    };
    format!(
        "{:>3}{}{:<2} {}{:>6}, {}{:>6} {:>4}",
        inst.opcode.mnemonic(),
        dot,
        modifier,
        inst.a_mode.symbol(),
        signed(inst.a, settings.core_size),
        inst.b_mode.symbol(),
        signed(inst.b, settings.core_size),
        if traced { "T" } else { "" }
    )
}

/// `denormalize`: values above half the core print as negative.
fn signed(x: u32, core_size: u32) -> i64 {
    if x > core_size / 2 {
        i64::from(x) - i64::from(core_size)
    } else {
        i64::from(x)
    }
}
