//! A Redcode printer: an assembled warrior back as ICWS'94 source that
//! assembles to the same instructions, start and PIN under the same core
//! size.

use std::fmt::Write as _;

use arena_games::corewar::{Instruction, Settings, Warrior};

/// The warrior as Redcode: `;redcode-94`, `;name`, `;author`, an `;assert`
/// on the core size (field values are stored modulo it), `ORG`, one
/// instruction a line with explicit modifier and modes, `PIN` when it has
/// one, and `END`. Field values are printed signed, in
/// `(-CORESIZE/2, CORESIZE/2]`, as a person would write them.
pub fn print(warrior: &Warrior, settings: &Settings) -> String {
    let mut out = String::new();
    let _ = writeln!(out, ";redcode-94");
    let _ = writeln!(out, ";name {}", one_line(&warrior.name));
    let _ = writeln!(out, ";author {}", one_line(&warrior.author));
    let _ = writeln!(out, ";assert CORESIZE == {}", settings.core_size);
    let _ = writeln!(out, "        ORG     {}", warrior.start);
    for i in &warrior.code {
        let _ = writeln!(out, "        {}", instruction(i, settings.core_size));
    }
    if let Some(pin) = warrior.pin {
        let _ = writeln!(out, "        PIN     {pin}");
    }
    let _ = writeln!(out, "        END");
    out
}

/// One instruction, e.g. `MOV.I   $0, $1`.
pub fn instruction(i: &Instruction, core_size: u32) -> String {
    let op = format!("{}.{}", i.opcode.mnemonic(), i.modifier.name());
    format!(
        "{op:<8}{}{}, {}{}",
        i.a_mode.symbol(),
        signed(i.a, core_size),
        i.b_mode.symbol(),
        signed(i.b, core_size)
    )
}

/// A stored field value (`0..core_size`) as the nearest signed offset.
pub fn signed(value: u32, core_size: u32) -> i64 {
    let v = i64::from(value);
    let c = i64::from(core_size.max(1));
    if v > c / 2 { v - c } else { v }
}

fn one_line(text: &str) -> String {
    text.replace(['\n', '\r'], " ")
}
