//! `static`: the agent that never edits.

use super::{Edit, EditContext, EditError, Editor};

/// Returns the codebase unchanged every round.
#[derive(Clone, Copy, Debug, Default)]
pub struct StaticAgent;

impl Editor for StaticAgent {
    fn edit(&mut self, ctx: &EditContext) -> Result<Edit, EditError> {
        Ok(Edit::new(
            ctx.codebase.clone(),
            "static: codebase unchanged",
        ))
    }
}
