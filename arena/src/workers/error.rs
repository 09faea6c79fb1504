//! Why playing simulations on workers failed.

use crate::environments::PrepareError;
use crate::games::GameError;
use crate::store::StoreError;

/// A worker's or the server's side of the workers failing.
#[derive(Debug, thiserror::Error)]
pub enum WorkerError {
    /// NATS refused or failed an operation (`what` says which).
    #[error("{what}: {source}")]
    Nats {
        what: String,
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// A file or folder of the worker's cache.
    #[error("{what}: {source}")]
    Io {
        what: String,
        source: std::io::Error,
    },
    /// A payload that is not what the protocol carries.
    #[error("{0}")]
    Payload(String),
    /// A codebase that cannot be used as it arrived.
    #[error("codebase {hash}: {problem}")]
    Codebase { hash: String, problem: String },
    /// A setting out of its range, or a job's config the game refuses.
    #[error("{0}")]
    Config(String),
    /// A bot that cannot be made on this worker.
    #[error("{what}: {error}")]
    Prepare { what: String, error: PrepareError },
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Game(#[from] GameError),
    #[error("a payload cannot be written as JSON: {0}")]
    Json(#[from] serde_json::Error),
}

/// The workers' results.
pub type Result<T, E = WorkerError> = std::result::Result<T, E>;

/// Names what failed, as `anyhow`'s `context` would, into a [`WorkerError`].
pub(super) trait Nats<T> {
    fn nats(self, what: impl Into<String>) -> Result<T>;
}

impl<T, E: std::error::Error + Send + Sync + 'static> Nats<T> for std::result::Result<T, E> {
    fn nats(self, what: impl Into<String>) -> Result<T> {
        self.map_err(|e| WorkerError::Nats {
            what: what.into(),
            source: Box::new(e),
        })
    }
}
