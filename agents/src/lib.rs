//! The player side of the arena: codebases, and (as they land) the protocol
//! types, the sandboxed bot runner, built-in agents and the agent client.

pub mod codebase;
pub mod contract;
