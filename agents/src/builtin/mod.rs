//! The built-in agents: editors that change a player's codebase between the
//! rounds of a tournament, in-process, so a tournament needs nothing
//! external.
//!
//! The arena builds one editor per player with [`from_spec`] from the
//! player's entry in the tournament config, then calls [`Editor::edit`] once
//! per edit phase (rounds `1..=R`; round 0 plays the starting codebases
//! unchanged) with an [`EditContext`]. An edit returns the new codebase and
//! a note for the logs ([`Edit`]), or an [`EditError`].
//!
//! | `agent` | what it does |
//! | --- | --- |
//! | `static` | never edits ([`StaticAgent`]) |
//! | `versions` | round k takes version k from a folder ([`VersionsAgent`]) |
//! | `command` | runs a shell command in a copy of the codebase ([`CommandAgent`]) |
//! | `mutate` | Core War: a seeded hill climber on `warrior.red` ([`MutateAgent`]) |
//! | `remote` | an agent on `arena serve`'s websocket (the server builds its editor) |

mod command;
mod mutate;
pub mod redcode;
mod static_agent;
mod versions;

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;

use crate::codebase::Snapshot;

pub use command::CommandAgent;
pub use mutate::MutateAgent;
pub use static_agent::StaticAgent;
pub use versions::VersionsAgent;

/// What an agent is shown at the start of an edit phase.
#[derive(Clone, Copy, Debug)]
pub struct EditContext<'a> {
    /// The tournament's name.
    pub tournament: &'a str,
    /// The game's name (`"corewar"`, `"battlesnake"`, ...).
    pub game: &'a str,
    /// The round about to be played (`1..=R`).
    pub round: u32,
    /// Derived by the tournament for this (round, player); every built-in
    /// editor is a deterministic function of its context, seed included.
    pub seed: u64,
    /// This player's current codebase.
    pub codebase: &'a Snapshot,
    /// The previous round's results as this agent may see them.
    pub results: &'a crate::wire::RoundResults,
    /// The logs this agent may see.
    pub logs: &'a str,
    /// Time for the whole edit.
    pub deadline: Duration,
    /// The game's settings, as its plug-in keeps them: an editor that knows
    /// the game downcasts (Core War's are `arena_games::corewar::Settings`).
    pub settings: &'a dyn std::any::Any,
}

/// A finished edit: the new codebase and what the agent says it did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edit {
    /// The codebase to validate and play (the input one when the agent
    /// changed nothing; compare hashes to tell).
    pub codebase: Snapshot,
    /// Lines for the tournament's logs: what changed and why, or why not.
    /// Never empty. No clock times, so that `static`, `versions` and
    /// `mutate` notes are a function of the context like their codebases
    /// (a `command` note quotes the command's output).
    pub note: String,
}

impl Edit {
    fn new(codebase: Snapshot, note: impl Into<String>) -> Edit {
        Edit {
            codebase,
            note: note.into(),
        }
    }
}

/// Why an edit produced no codebase. The arena should treat it as the
/// player keeping its current codebase or forfeiting, as its rules say.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EditError {
    /// The edit did not finish within the deadline.
    #[error("the edit did not finish within the {0:?} deadline")]
    Timeout(Duration),
    /// The edit failed; the message says what to change.
    #[error("{0}")]
    Failed(String),
}

/// An agent that edits a codebase between rounds.
pub trait Editor: Send {
    /// Makes this round's version of the codebase.
    fn edit(&mut self, ctx: &EditContext) -> Result<Edit, EditError>;
}

/// A player's agent as the tournament config gives it: the `agent` key names
/// the kind, the other keys are its options.
///
/// ```toml
/// [[players]]
/// agent = "static"                # never edits
///
/// [[players]]
/// agent = "mutate"                # Core War only
/// trials = 200                    # optional: rounds per candidate battle (default 200)
/// mutations = 8                   # optional: candidates per edit (default 8)
///
/// [[players]]
/// agent = "command"
/// command = "my-agent --task .arena/results.json"   # run with `sh -c` in a copy of the codebase
///
/// [[players]]
/// agent = "versions"
/// dir = "versions/alice"          # dir/1, dir/2, ... (folders, or 1.red, 2.red, ... for Core War)
///
/// [[players]]
/// agent = "remote"                # joins `arena serve` with a token (`arena agent`)
/// ```
///
/// The player's other keys (its name, starting codebase) belong to the arena:
/// the enum does not deny unknown keys so that it can be `#[serde(flatten)]`ed
/// into a player entry; [`AgentSpec::keys`] lists each kind's keys for the
/// arena's own check. Relative paths are as written; see
/// [`AgentSpec::resolve_paths`].
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(tag = "agent", rename_all = "lowercase")]
pub enum AgentSpec {
    /// Never edits.
    Static,
    /// Core War: mutate `warrior.red` and keep the best candidate that beats
    /// the current version.
    Mutate {
        /// Rounds of each battle of a candidate against the current version.
        #[serde(default = "default_trials")]
        trials: u32,
        /// Candidates per edit.
        #[serde(default = "default_mutations")]
        mutations: u32,
    },
    /// Runs `sh -c COMMAND` in a copy of the codebase.
    Command { command: String },
    /// Round k takes version k from `dir`.
    Versions { dir: PathBuf },
    /// An agent that joins `arena serve` over the websocket with a token
    /// (docs/protocol.md); the server makes its editor, so [`from_spec`]
    /// refuses it.
    Remote,
}

fn default_trials() -> u32 {
    200
}

fn default_mutations() -> u32 {
    8
}

/// An agent's kind, without its settings: the `agent` key's value, as the
/// store keeps it and the HTTP API shows it.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum AgentKind {
    Static,
    Mutate,
    Command,
    Versions,
    Remote,
}

impl AgentKind {
    pub const ALL: [AgentKind; 5] = [
        AgentKind::Static,
        AgentKind::Mutate,
        AgentKind::Command,
        AgentKind::Versions,
        AgentKind::Remote,
    ];

    /// Its name: the `agent` key's value.
    pub fn as_str(self) -> &'static str {
        match self {
            AgentKind::Static => "static",
            AgentKind::Mutate => "mutate",
            AgentKind::Command => "command",
            AgentKind::Versions => "versions",
            AgentKind::Remote => "remote",
        }
    }

    /// The kind a name gives, if it is one.
    pub fn from_name(name: &str) -> Option<AgentKind> {
        Self::ALL.into_iter().find(|k| k.as_str() == name)
    }
}

impl AgentSpec {
    /// Every value of the `agent` key.
    pub const KINDS: [&'static str; 5] = ["static", "mutate", "command", "versions", "remote"];

    /// Its kind.
    pub fn kind(&self) -> AgentKind {
        match self {
            AgentSpec::Static => AgentKind::Static,
            AgentSpec::Mutate { .. } => AgentKind::Mutate,
            AgentSpec::Command { .. } => AgentKind::Command,
            AgentSpec::Versions { .. } => AgentKind::Versions,
            AgentSpec::Remote => AgentKind::Remote,
        }
    }

    /// The keys an agent kind takes besides `agent`, or `None` for an
    /// unknown kind: for the arena's unknown-key errors.
    pub fn keys(kind: &str) -> Option<&'static [&'static str]> {
        match kind {
            "static" => Some(&[]),
            "mutate" => Some(&["trials", "mutations"]),
            "command" => Some(&["command"]),
            "versions" => Some(&["dir"]),
            "remote" => Some(&[]),
            _ => None,
        }
    }

    /// Makes a relative `dir` relative to `base` (the config file's folder).
    pub fn resolve_paths(&mut self, base: &Path) {
        if let AgentSpec::Versions { dir } = self
            && dir.is_relative()
        {
            *dir = base.join(&*dir);
        }
    }
}

/// What the machine lends the editors. An edit's result never depends on
/// it, only how long it takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Resources {
    /// Threads an edit may use (`mutate` plays its battles on them).
    pub jobs: usize,
}

impl Default for Resources {
    /// One thread.
    fn default() -> Self {
        Resources { jobs: 1 }
    }
}

/// Builds the editor a player's spec names, or says what is wrong with it.
pub fn from_spec(spec: &AgentSpec) -> Result<Box<dyn Editor>, String> {
    from_spec_with(spec, Resources::default())
}

/// [`from_spec`] lending more than one thread to the editors that can use
/// them.
pub fn from_spec_with(spec: &AgentSpec, resources: Resources) -> Result<Box<dyn Editor>, String> {
    Ok(match spec {
        AgentSpec::Static => Box::new(StaticAgent),
        AgentSpec::Mutate { trials, mutations } => {
            Box::new(MutateAgent::new(*trials, *mutations)?.with_jobs(resources.jobs))
        }
        AgentSpec::Command { command } => Box::new(CommandAgent::new(command.clone())?),
        AgentSpec::Versions { dir } => Box::new(VersionsAgent::new(dir.clone())?),
        AgentSpec::Remote => {
            return Err(
                "agent = \"remote\" joins over the websocket: create the tournament on `arena serve` (create_tournament), register the agent and run `arena agent` with its token".into(),
            );
        }
    })
}
