//! What a Core War replay header carries so the battle can be played again:
//! pMARS's parameters, the seed source, the score formula's points, and the
//! assembled warriors.
//!
//! Warriors are stored assembled, not as Redcode source: the source's
//! meaning depends on the assembler's version and on predefined constants,
//! the assembled code does not, and it is what the MARS ran. Each
//! instruction is its listing text (`"MOV.I $0, $1"`, fields already reduced
//! to `0..core_size`), readable in an export and a few bytes each.
//!
//! The `games` types are not `Serialize`; these mirrors keep the replay
//! format independent of the simulator's internal types, and every value read
//! back is checked, since a corrupt header must give an error, not a panic in
//! the MARS.

use arena_games::corewar::battle::Battle;
use arena_games::corewar::placement::SeedSource;
use arena_games::corewar::{Instruction, Mode, Modifier, Opcode, Settings, Warrior};
use serde::{Deserialize, Serialize};

use super::Mismatch;
use crate::format::{ReplayHeader, ReplayPlayer};

/// `ReplayHeader::game` of a Core War replay (`CoreWar::NAME`).
pub const GAME: &str = "corewar";

/// Bounds that keep a re-simulation from a corrupt header finite and small.
const MAX_CORE_SIZE: u32 = 1 << 20;
const MAX_PROCESSES: u32 = 1 << 20;
const MAX_CYCLES: u64 = 1 << 32;
/// pMARS's `MAXWARRIOR`.
const MAX_WARRIORS: usize = 36;

/// The header's `settings` for Core War.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CorewarSettings {
    pub mars: MarsSettings,
    pub seed: PmarsSeed,
    /// pMARS's `-P`.
    pub permutate: bool,
    /// Points for surviving with `S` survivors, `S = 1..=warriors`.
    pub points: Vec<i64>,
    /// In seat order.
    pub warriors: Vec<WarriorRecord>,
}

/// pMARS's parameters ([`Settings`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MarsSettings {
    pub core_size: u32,
    pub max_cycles: u64,
    pub max_processes: u32,
    pub max_length: u32,
    pub min_distance: u32,
    pub rounds: u32,
    pub pspace_size: u32,
    pub warriors: u32,
    pub icws88: bool,
}

/// How pMARS's placement generator was seeded ([`SeedSource`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PmarsSeed {
    /// `-F POS`.
    FixedPosition(u32),
    /// `-f`.
    Checksum,
    /// An explicit seed (the arena's, derived from the match seed).
    Seed(i64),
}

/// An assembled warrior.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WarriorRecord {
    pub name: String,
    pub author: String,
    /// Offset of the first instruction to execute.
    pub start: u32,
    pub pin: Option<i64>,
    /// One instruction a line, as listings print them: `"MOV.I $0, $1"`.
    pub code: Vec<String>,
}

impl CorewarSettings {
    /// The settings that replay this battle.
    pub fn from_battle(battle: &Battle) -> Self {
        let s = &battle.settings;
        CorewarSettings {
            mars: MarsSettings {
                core_size: s.core_size,
                max_cycles: s.max_cycles,
                max_processes: s.max_processes,
                max_length: s.max_length,
                min_distance: s.min_distance,
                rounds: s.rounds,
                pspace_size: s.pspace_size,
                warriors: s.warriors,
                icws88: s.icws88,
            },
            seed: match battle.seed {
                SeedSource::FixedPosition(p) => PmarsSeed::FixedPosition(p),
                SeedSource::Checksum => PmarsSeed::Checksum,
                SeedSource::Seed(s) => PmarsSeed::Seed(s),
            },
            permutate: battle.permutate,
            points: battle.points.clone(),
            warriors: battle
                .warriors
                .iter()
                .map(|w| WarriorRecord {
                    name: w.name.clone(),
                    author: w.author.clone(),
                    start: w.start,
                    pin: w.pin,
                    code: w.code.iter().map(ToString::to_string).collect(),
                })
                .collect(),
        }
    }

    /// The battle again, after checking every value the MARS relies on.
    pub fn to_battle(&self) -> Result<Battle, String> {
        let m = &self.mars;
        let n = self.warriors.len();
        if n == 0 || n > MAX_WARRIORS {
            return Err(format!("{n} warriors (1..={MAX_WARRIORS} allowed)"));
        }
        if m.core_size == 0 || m.core_size > MAX_CORE_SIZE {
            return Err(format!("core size {}", m.core_size));
        }
        if m.max_processes == 0 || m.max_processes > MAX_PROCESSES {
            return Err(format!("max processes {}", m.max_processes));
        }
        if m.pspace_size == 0 || m.pspace_size > m.core_size {
            return Err(format!("P-space size {}", m.pspace_size));
        }
        if u64::from(m.core_size) < n as u64 * u64::from(m.min_distance) {
            return Err(format!(
                "core size {} is below {n} warriors x distance {}",
                m.core_size, m.min_distance
            ));
        }
        if self.points.len() != n {
            return Err(format!("{} points for {n} warriors", self.points.len()));
        }
        if m.max_cycles > MAX_CYCLES {
            return Err(format!("max cycles {}", m.max_cycles));
        }
        let warriors = self
            .warriors
            .iter()
            .enumerate()
            .map(|(seat, w)| {
                w.to_warrior(m.core_size)
                    .map_err(|e| format!("warrior {seat}: {e}"))
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Battle {
            settings: Settings {
                core_size: m.core_size,
                max_cycles: m.max_cycles,
                max_processes: m.max_processes,
                max_length: m.max_length,
                min_distance: m.min_distance,
                rounds: m.rounds,
                pspace_size: m.pspace_size,
                warriors: m.warriors,
                icws88: m.icws88,
            },
            warriors,
            seed: match self.seed {
                PmarsSeed::FixedPosition(p) => SeedSource::FixedPosition(p),
                PmarsSeed::Checksum => SeedSource::Checksum,
                PmarsSeed::Seed(s) => SeedSource::Seed(s),
            },
            permutate: self.permutate,
            points: self.points.clone(),
        })
    }
}

impl WarriorRecord {
    fn to_warrior(&self, core_size: u32) -> Result<Warrior, String> {
        if self.code.is_empty() {
            return Err("no instructions".to_string());
        }
        let code = self
            .code
            .iter()
            .enumerate()
            .map(|(i, text)| {
                parse_instruction(text, core_size).ok_or_else(|| {
                    format!("instruction {i} {text:?} is not valid assembled Redcode")
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        if self.start as usize >= code.len() {
            return Err(format!(
                "start {} past its {} instructions",
                self.start,
                code.len()
            ));
        }
        Ok(Warrior {
            name: self.name.clone(),
            author: self.author.clone(),
            code,
            start: self.start,
            pin: self.pin,
        })
    }
}

/// Parses an instruction as `Instruction`'s `Display` prints it, with both
/// fields in `0..core_size`.
pub fn parse_instruction(text: &str, core_size: u32) -> Option<Instruction> {
    let (opcode, rest) = text.split_once('.')?;
    let (modifier, rest) = rest.split_once(' ')?;
    let (a, b) = rest.split_once(", ")?;
    let field = |f: &str| -> Option<(Mode, u32)> {
        let mut chars = f.chars();
        let mode = Mode::from_symbol(chars.next()?)?;
        let digits = chars.as_str();
        if digits.is_empty() || !digits.bytes().all(|c| c.is_ascii_digit()) {
            return None;
        }
        let value: u32 = digits.parse().ok()?;
        (value < core_size).then_some((mode, value))
    };
    let (a_mode, a) = field(a)?;
    let (b_mode, b) = field(b)?;
    Some(Instruction {
        opcode: Opcode::from_mnemonic(opcode)?,
        modifier: Modifier::from_name(modifier)?,
        a_mode,
        a,
        b_mode,
        b,
    })
}

/// A replay header for a Core War battle: its settings carry everything
/// [`crate::corewar::verify_corewar`] needs to play it again. `seed` is the
/// arena's match seed; pMARS's own seed is in the settings.
pub fn corewar_header(
    battle: &Battle,
    rules_version: impl Into<String>,
    seed: u64,
    players: Vec<ReplayPlayer>,
) -> Result<ReplayHeader, serde_json::Error> {
    let settings = serde_json::to_value(CorewarSettings::from_battle(battle))?;
    Ok(ReplayHeader::new(
        GAME,
        rules_version,
        seed,
        players,
        settings,
    ))
}

/// The battle a Core War replay header describes.
pub fn battle_from_header(header: &ReplayHeader) -> Result<Battle, Mismatch> {
    if header.game != GAME {
        return Err(Mismatch::NotCorewar(header.game.clone()));
    }
    let settings: CorewarSettings = serde_json::from_value(header.settings.clone())
        .map_err(|e| Mismatch::Settings(e.to_string()))?;
    settings.to_battle().map_err(Mismatch::Settings)
}

/// The header's per-seat scores, when its result is a `MatchResult`.
pub(crate) fn stored_scores(header: &ReplayHeader) -> Option<Vec<f64>> {
    let result = header.result.as_ref()?;
    Some(result.players.iter().map(|p| p.score).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_instruction_text_parses_back() {
        for opcode in Opcode::ALL {
            for modifier in Modifier::ALL {
                for (a_mode, b_mode) in Mode::ALL.into_iter().zip(Mode::ALL.into_iter().rev()) {
                    let i = Instruction {
                        opcode,
                        modifier,
                        a_mode,
                        a: 7999,
                        b_mode,
                        b: 0,
                    };
                    assert_eq!(parse_instruction(&i.to_string(), 8000), Some(i));
                }
            }
        }
    }

    #[test]
    fn bad_instructions_are_refused() {
        for text in [
            "MOV.I $0, $8000",
            "MOV.I $0,$1",
            "MOV.I $-1, $1",
            "MOV.Q $0, $1",
            "FOO.I $0, $1",
            "MOV.I %0, $1",
            "MOV.I $, $1",
            "MOV.I $+1, $1",
            "",
        ] {
            assert_eq!(parse_instruction(text, 8000), None, "{text}");
        }
    }
}
