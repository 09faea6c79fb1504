//! `command`: runs a shell command in a private copy of the codebase and
//! takes the folder back: how an LLM agent's command-line tool is plugged
//! in locally.
//!
//! The copy holds the codebase plus `.arena/results.json` (the previous
//! round's results) and `.arena/logs.txt` (the logs this agent may see); the
//! command runs as `sh -c COMMAND` in it, in its own process group, with
//! `ARENA_ROUND`, `ARENA_DEADLINE_SECS`, `ARENA_GAME`, `ARENA_TOURNAMENT`,
//! `ARENA_SEED` (and `ARENA_RESULTS`, `ARENA_LOGS`: the two files' relative
//! paths) added to the arena's own environment. At the deadline the whole
//! group is killed; after a normal exit any process it left behind in its
//! group is killed too. The folder is then read back, without `.arena/`,
//! within the codebase limits.
//!
//! The command is not sandboxed: it runs as the arena's user, with its
//! network, like any tool the person running the arena starts.

use std::time::Instant;

use super::{Edit, EditContext, EditError, Editor};
use crate::codebase::{Limits, Snapshot};
use crate::shell::{ARENA_DIR, Outcome, Shell, remove_any, write_arena_dir};

/// Runs `sh -c COMMAND` in a copy of the codebase.
#[derive(Clone, Debug)]
pub struct CommandAgent {
    command: String,
    limits: Limits,
}

impl CommandAgent {
    /// An agent running this shell command (not empty).
    pub fn new(command: String) -> Result<CommandAgent, String> {
        if command.trim().is_empty() {
            return Err(
                "command: the command is empty; give the shell command that edits the codebase in its current folder, e.g. command = \"./my-agent\"".into(),
            );
        }
        Ok(CommandAgent {
            command,
            limits: Limits::default(),
        })
    }

    /// Reads the edited folder within these limits instead of the defaults.
    pub fn with_limits(mut self, limits: Limits) -> CommandAgent {
        self.limits = limits;
        self
    }
}

fn failed(what: impl std::fmt::Display) -> EditError {
    EditError::Failed(format!("command: {what}"))
}

impl Editor for CommandAgent {
    fn edit(&mut self, ctx: &EditContext) -> Result<Edit, EditError> {
        let started = Instant::now();
        let root = tempfile::Builder::new()
            .prefix("arena-edit-")
            .tempdir()
            .map_err(|e| failed(format!("cannot make a temporary folder: {e}")))?;
        let work = root.path().join("codebase");
        std::fs::create_dir(&work)
            .and_then(|()| ctx.codebase.write_to(&work))
            .map_err(|e| {
                failed(format!(
                    "cannot copy the codebase to {}: {e}",
                    work.display()
                ))
            })?;
        let arena = write_arena_dir(&work, ctx.results, ctx.logs).map_err(failed)?;

        let ran = Shell {
            command: &self.command,
            dir: &work,
            env: vec![
                ("ARENA_ROUND", ctx.round.to_string()),
                ("ARENA_DEADLINE_SECS", ctx.deadline.as_secs().to_string()),
                ("ARENA_GAME", ctx.game.to_owned()),
                ("ARENA_TOURNAMENT", ctx.tournament.to_owned()),
                ("ARENA_SEED", ctx.seed.to_string()),
                ("ARENA_RESULTS", format!("{ARENA_DIR}/results.json")),
                ("ARENA_LOGS", format!("{ARENA_DIR}/logs.txt")),
            ],
            env_remove: &[],
            // The copy above counts against the deadline too.
            time_limit: ctx.deadline.saturating_sub(started.elapsed()),
        }
        .run()
        .map_err(failed)?;
        if matches!(ran.outcome, Outcome::TimedOut) {
            return Err(EditError::Timeout(ctx.deadline));
        }
        if !ran.success() {
            let stderr = if ran.stderr.trim().is_empty() {
                "(stderr was empty)".to_string()
            } else {
                format!("stderr ends:\n{}", ran.stderr.trim_end())
            };
            return Err(failed(format!(
                "`{}` {}; {stderr}",
                self.command,
                ran.how()
            )));
        }

        remove_any(&arena)
            .map_err(|e| failed(format!("cannot remove {}: {e}", arena.display())))?;
        let snapshot = Snapshot::read(&work, &self.limits)
            .map_err(|e| failed(format!("the edited codebase is not valid: {e}")))?;
        let note = format!(
            "command: `{}` exited 0; codebase {}{}",
            self.command,
            if snapshot.hash() == ctx.codebase.hash() {
                "unchanged"
            } else {
                "changed"
            },
            ran.output_tails()
        );
        Ok(Edit::new(snapshot, note))
    }
}
