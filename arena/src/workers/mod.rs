//! Simulations on workers through NATS JetStream (`--workers URL`,
//! `arena worker`).
//!
//! - Jobs: stream `ARENA_JOBS` (work queue, file storage), subject
//!   `arena.jobs.<tournament key>`, one shared durable pull consumer
//!   `arena-workers` with the server's ack deadline. A worker that dies
//!   mid-simulation never acks; its job is redelivered after the deadline.
//!   A worker playing a long simulation extends it (`+WPI`) every second.
//! - Results: stream `ARENA_RESULTS` (work queue), subject
//!   `arena.results.<tournament key>`, one durable consumer per tournament
//!   that the server reads. The server checks every result (it parses, its
//!   job was given with this ticket, it is not stored yet, its seats and
//!   header match the job) and refuses the rest with a log line.
//! - Codebases: object store `arena-codebases`, keyed by content hash; the
//!   server puts a round's codebases before publishing its jobs, a worker
//!   fetches what it lacks into its cache folder and checks the hash.
//!
//! The server stores results exactly as the in-process executor does (one
//! storing loop, in simulation order, keyed by (tournament, round, sim)),
//! so a run with workers stores what a run without them stores.

mod error;
pub mod server;
pub mod wire;
pub mod worker;

use std::sync::OnceLock;
use std::time::Duration;

use async_nats::jetstream::{self, stream};
use error::Nats;
use sha2::{Digest, Sha256};

pub use error::{Result, WorkerError};
pub use server::NatsExecutor;
pub use worker::WorkerArgs;

/// The jobs' stream and consumer.
pub const JOBS_STREAM: &str = "ARENA_JOBS";
pub const JOBS_CONSUMER: &str = "arena-workers";
/// The results' stream.
pub const RESULTS_STREAM: &str = "ARENA_RESULTS";
/// The codebases' object store.
pub const CODEBASES: &str = "arena-codebases";

/// How often a worker tells JetStream it is still playing a job, so the
/// ack deadline (at least [`MIN_ACK_WAIT`]) only passes for a dead worker.
pub const PROGRESS_EVERY: Duration = Duration::from_secs(1);
/// The shortest ack deadline the server accepts.
pub const MIN_ACK_WAIT: Duration = Duration::from_secs(2);

/// The async runtime NATS runs on: one for the process, never dropped (the
/// tournament runner and workers stay on their own threads and
/// `block_on` it).
pub fn runtime() -> &'static tokio::runtime::Runtime {
    static RT: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RT.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("nats")
            .enable_all()
            .build()
            .unwrap_or_else(|e| panic!("cannot start the NATS runtime: {e}"))
    })
}

/// A tournament's subject token: a NATS subject cannot hold every name.
pub fn tournament_key(name: &str) -> String {
    let digest = Sha256::digest(name.as_bytes());
    let hex: String = digest.iter().take(8).map(|b| format!("{b:02x}")).collect();
    format!("t{hex}")
}

/// The jobs' subject of a tournament.
pub fn jobs_subject(key: &str) -> String {
    format!("arena.jobs.{key}")
}

/// The results' subject of a tournament.
pub fn results_subject(key: &str) -> String {
    format!("arena.results.{key}")
}

/// Connects to NATS (reconnecting for ever after a drop).
pub async fn connect(url: &str) -> Result<async_nats::Client> {
    async_nats::ConnectOptions::new()
        .connection_timeout(Duration::from_secs(5))
        .max_reconnects(None)
        .connect(url)
        .await
        .nats(format!(
            "cannot connect to NATS at {url} (start nats-server there with -js, or give the URL it listens on)"
        ))
}

/// The jobs' and results' streams, created if missing.
pub async fn ensure_streams(js: &jetstream::Context) -> Result<(stream::Stream, stream::Stream)> {
    let jobs = js
        .get_or_create_stream(stream::Config {
            name: JOBS_STREAM.to_string(),
            subjects: vec!["arena.jobs.>".to_string()],
            retention: stream::RetentionPolicy::WorkQueue,
            storage: stream::StorageType::File,
            ..Default::default()
        })
        .await
        .nats("cannot create the jobs' stream")?;
    let results = js
        .get_or_create_stream(stream::Config {
            name: RESULTS_STREAM.to_string(),
            subjects: vec!["arena.results.>".to_string()],
            retention: stream::RetentionPolicy::WorkQueue,
            storage: stream::StorageType::File,
            ..Default::default()
        })
        .await
        .nats("cannot create the results' stream")?;
    Ok((jobs, results))
}

/// The codebases' object store, created if missing.
pub async fn codebases(js: &jetstream::Context) -> Result<jetstream::object_store::ObjectStore> {
    if let Ok(store) = js.get_object_store(CODEBASES).await {
        return Ok(store);
    }
    js.create_object_store(jetstream::object_store::Config {
        bucket: CODEBASES.to_string(),
        storage: stream::StorageType::File,
        ..Default::default()
    })
    .await
    .nats("cannot create the codebases' object store")
}

/// The jobs' consumer config (`ack_wait`: the server's deadline).
pub fn jobs_consumer(ack_wait: Duration) -> jetstream::consumer::pull::Config {
    jetstream::consumer::pull::Config {
        durable_name: Some(JOBS_CONSUMER.to_string()),
        ack_policy: jetstream::consumer::AckPolicy::Explicit,
        ack_wait,
        filter_subject: "arena.jobs.>".to_string(),
        max_ack_pending: 10_000,
        ..Default::default()
    }
}
