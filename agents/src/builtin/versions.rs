//! `versions`: codebase versions taken from a folder in order, one per
//! round, for replaying a fixed sequence of edits (an agent's recorded
//! history, a scripted baseline).

use std::collections::BTreeMap;
use std::path::PathBuf;

use super::{Edit, EditContext, EditError, Editor};
use crate::codebase::{File, Limits, Snapshot};
use crate::contract::WARRIOR;

/// Round k takes `dir/k/` (a whole codebase) or, for Core War, `dir/k.red`
/// (which becomes the codebase's only file, `warrior.red`). When round k has
/// no version the current codebase is kept, and the note says so.
#[derive(Clone, Debug)]
pub struct VersionsAgent {
    dir: PathBuf,
    limits: Limits,
}

impl VersionsAgent {
    /// An agent reading versions from `dir`, which must be a folder.
    pub fn new(dir: PathBuf) -> Result<VersionsAgent, String> {
        if !dir.is_dir() {
            return Err(format!(
                "versions: {} is not a folder; it should hold one version per round as 1/, 2/, ... (or 1.red, 2.red, ... for Core War)",
                dir.display()
            ));
        }
        Ok(VersionsAgent {
            dir,
            limits: Limits::default(),
        })
    }

    /// Reads versions within these limits instead of the defaults.
    pub fn with_limits(mut self, limits: Limits) -> VersionsAgent {
        self.limits = limits;
        self
    }
}

impl Editor for VersionsAgent {
    fn edit(&mut self, ctx: &EditContext) -> Result<Edit, EditError> {
        let k = ctx.round;
        let folder = self.dir.join(k.to_string());
        let red = self.dir.join(format!("{k}.red"));
        let corewar = ctx.game == "corewar";
        if folder.is_dir() {
            let snapshot = Snapshot::read(&folder, &self.limits).map_err(|e| {
                EditError::Failed(format!("versions: version {k} ({}): {e}", folder.display()))
            })?;
            let mut note = format!("versions: round {k} takes {}", folder.display());
            if corewar && red.exists() {
                note.push_str(&format!(" (the folder wins over {})", red.display()));
            }
            return Ok(Edit::new(snapshot, note));
        }
        if corewar && red.is_file() {
            let bytes = std::fs::read(&red).map_err(|e| {
                EditError::Failed(format!("versions: cannot read {}: {e}", red.display()))
            })?;
            if bytes.len() as u64 > self.limits.max_file_bytes {
                return Err(EditError::Failed(format!(
                    "versions: {} is {} bytes, over the {}-byte limit for one file",
                    red.display(),
                    bytes.len(),
                    self.limits.max_file_bytes
                )));
            }
            let files = BTreeMap::from([(
                WARRIOR.to_string(),
                File {
                    bytes,
                    executable: false,
                },
            )]);
            return Ok(Edit::new(
                Snapshot::from_files(files),
                format!("versions: round {k} takes {} as {WARRIOR}", red.display()),
            ));
        }
        let looked = if corewar {
            format!("{}/ or {}", folder.display(), red.display())
        } else {
            format!("{}/", folder.display())
        };
        Ok(Edit::new(
            ctx.codebase.clone(),
            format!("versions: no version {k} ({looked} missing); keeping the current codebase"),
        ))
    }
}
