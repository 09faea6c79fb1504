//! Core War: ICWS'94 Redcode as pMARS 0.9.2 (`-DEXT94`) assembles and runs it.

pub mod assembler;
pub mod battle;
pub mod exec;
pub mod game;
pub mod mars;
pub mod placement;
pub mod redcode;

pub use redcode::{Instruction, Mode, Modifier, Opcode, Warrior};

/// The parameters of a battle, named as pMARS names them.
///
/// The assembler needs them too: Redcode can read them as predefined
/// constants (`CORESIZE`, `MAXPROCESSES`, ...) and `;assert` on them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Settings {
    /// `-s`: cells in the core.
    pub core_size: u32,
    /// `-c`: cycles (per warrior) until a round is a tie.
    pub max_cycles: u64,
    /// `-p`: processes a warrior may have.
    pub max_processes: u32,
    /// `-l`: instructions a warrior may have.
    pub max_length: u32,
    /// `-d`: minimum distance between the first instructions of two warriors.
    pub min_distance: u32,
    /// `-r`: rounds in a battle.
    pub rounds: u32,
    /// `-S`: cells of P-space per warrior.
    pub pspace_size: u32,
    /// Warriors in the battle (Redcode's `WARRIORS`).
    pub warriors: u32,
    /// `-8`: accept only ICWS'88 Redcode.
    pub icws88: bool,
}

impl Settings {
    /// pMARS's default P-space size: the largest `core_size / i` for i in 16..=1 that divides evenly.
    pub fn default_pspace_size(core_size: u32) -> u32 {
        (1..=16u32)
            .rev()
            .find(|i| core_size.is_multiple_of(*i))
            .map_or(core_size, |i| core_size / i)
    }
}

impl Default for Settings {
    /// pMARS's defaults for two warriors.
    fn default() -> Self {
        Settings {
            core_size: 8000,
            max_cycles: 80000,
            max_processes: 8000,
            max_length: 100,
            min_distance: 100,
            rounds: 1,
            pspace_size: 500,
            warriors: 2,
            icws88: false,
        }
    }
}
