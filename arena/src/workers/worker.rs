//! `arena worker`: takes simulation jobs from NATS JetStream, plays them
//! with the same games, sandbox and limits as the server would, and
//! publishes the results.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::error::Nats;
use super::{Result, WorkerError};
use async_nats::jetstream::{self, AckKind, consumer};
use futures_util::StreamExt;
use tokio::io::AsyncReadExt;

use arena_agents::codebase::Snapshot;

use super::wire::{Job, JobResult, Outcome, PlayedSim, decode, encode};
use super::{
    JOBS_CONSUMER, JOBS_STREAM, PROGRESS_EVERY, codebases, connect, ensure_streams, jobs_consumer,
    results_subject, runtime,
};
use crate::environments::{EnvSettings, Environments};
use crate::games::{self, Entrant, Sim, Table, Unwatched};
use crate::store::{decode_snapshot, encode_snapshot};

/// `arena worker`'s options.
#[derive(clap::Args, Debug, Clone)]
pub struct WorkerArgs {
    /// The NATS server: nats://HOST:PORT.
    #[arg(long, value_name = "URL")]
    pub nats: String,
    /// Simulations played at once (default: every core).
    #[arg(long, short = 'j')]
    pub jobs: Option<usize>,
    /// Where fetched codebases are kept, by content hash.
    #[arg(long, value_name = "DIR", default_value = "arena-worker-cache")]
    pub cache: PathBuf,
    /// This worker's name in results and the server's logs (default:
    /// host and process id).
    #[arg(long)]
    pub name: Option<String>,
}

/// A table is kept per (tournament key, round, group).
type TableKey = (String, u32, u32);

/// A table being built or built: one build per key, shared by the threads.
type TableSlot = Arc<Mutex<Option<Arc<dyn Table>>>>;

/// What the worker's threads share.
struct Worker {
    name: String,
    js: jetstream::Context,
    consumer: consumer::PullConsumer,
    /// The codebases' cache folder.
    cache: PathBuf,
    /// Where bots' environments are made (`CACHE/envs`, with this host's
    /// `ARENA_*` settings: a tournament's `[environments]` keys name paths
    /// on the server's host).
    envs: Environments,
    /// Codebases read this run, by hash.
    snapshots: Mutex<BTreeMap<String, Snapshot>>,
    tables: Mutex<BTreeMap<TableKey, TableSlot>>,
    /// Results being published: a slot hands its result over and takes its
    /// next job at once, up to this many waiting on JetStream.
    publishing: Arc<tokio::sync::Semaphore>,
}

/// Why a job was not answered with a result.
enum Skip {
    /// Not a job: terminated, never redelivered.
    Refuse(String),
    /// Cannot be played here now (a codebase could not be fetched): given
    /// back for later.
    Later(String),
}

/// Runs until killed.
pub fn run(args: &WorkerArgs) -> Result<()> {
    let jobs = args
        .jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .max(1);
    std::fs::create_dir_all(&args.cache).map_err(|source| WorkerError::Io {
        what: format!("cannot create the cache {}", args.cache.display()),
        source,
    })?;
    let name = args.name.clone().unwrap_or_else(|| {
        let host = std::fs::read_to_string("/etc/hostname").unwrap_or_default();
        format!("{}-{}", host.trim(), std::process::id())
    });
    let settings = EnvSettings::from_env().map_err(|e| WorkerError::Config(e.to_string()))?;
    let envs = Environments::under(&args.cache, settings);
    let rt = runtime();
    let (js, consumer) = rt.block_on(async {
        let client = connect(&args.nats).await?;
        let js = jetstream::new(client);
        ensure_streams(&js).await?;
        let stream = js
            .get_stream(JOBS_STREAM)
            .await
            .nats("cannot find the jobs' stream")?;
        // The server sets the deadline; this creates the consumer only
        // when no server has yet.
        let consumer: consumer::PullConsumer = stream
            .get_or_create_consumer(JOBS_CONSUMER, jobs_consumer(Duration::from_secs(30)))
            .await
            .nats("cannot create the jobs' consumer")?;
        Ok::<_, WorkerError>((js, consumer))
    })?;
    eprintln!(
        "arena worker {name}: taking jobs from {} ({jobs} at once)",
        args.nats
    );
    let worker = Worker {
        name,
        js,
        consumer,
        cache: args.cache.clone(),
        envs,
        snapshots: Mutex::new(BTreeMap::new()),
        tables: Mutex::new(BTreeMap::new()),
        publishing: Arc::new(tokio::sync::Semaphore::new(2 * jobs)),
    };
    std::thread::scope(|s| {
        for _ in 0..jobs {
            s.spawn(|| worker.take_jobs());
        }
    });
    Ok(())
}

impl Worker {
    /// One slot: a job at a time, for ever.
    fn take_jobs(&self) {
        loop {
            let Some(msg) = runtime().block_on(self.next_job()) else {
                continue;
            };
            self.handle(msg);
        }
    }

    /// The next job, or `None` when none came in a while or NATS is away.
    async fn next_job(&self) -> Option<jetstream::Message> {
        let batch = self
            .consumer
            .fetch()
            .max_messages(1)
            .expires(Duration::from_secs(5))
            .messages()
            .await;
        match batch {
            Ok(mut batch) => match batch.next().await {
                Some(Ok(msg)) => Some(msg),
                Some(Err(e)) => {
                    tracing::debug!("fetching a job: {e}");
                    None
                }
                None => None,
            },
            Err(e) => {
                tracing::warn!("fetching a job: {e}; retrying");
                tokio::time::sleep(Duration::from_millis(500)).await;
                None
            }
        }
    }

    fn handle(&self, msg: jetstream::Message) {
        let rt = runtime();
        let msg = Arc::new(msg);
        let job: Job = match decode(&msg.payload) {
            Ok(job) => job,
            Err(e) => {
                tracing::warn!("refused a job: {e:#}");
                let _ = rt.block_on(msg.ack_with(AckKind::Term));
                return;
            }
        };
        if let Ok(info) = msg.info()
            && info.delivered > 1
        {
            tracing::info!(
                tournament = %job.tournament,
                round = job.round,
                sim = job.sim,
                delivery = info.delivered,
                "job redelivered"
            );
        }
        // Tell JetStream the job is in hand while it plays.
        let progress = {
            let msg = msg.clone();
            rt.spawn(async move {
                loop {
                    tokio::time::sleep(PROGRESS_EVERY).await;
                    if msg.ack_with(AckKind::Progress).await.is_err() {
                        tracing::debug!("cannot extend a job's deadline");
                    }
                }
            })
        };
        let outcome = self.play(&job);
        progress.abort();
        // A worker that dies here holds a played job it never answered.
        crate::fault::point("worker.played");
        let outcome = match outcome {
            Ok(o) => o,
            Err(Skip::Refuse(why)) => {
                tracing::warn!(sim = job.sim, "refused a job: {why}");
                let _ = rt.block_on(msg.ack_with(AckKind::Term));
                return;
            }
            Err(Skip::Later(why)) => {
                tracing::warn!(sim = job.sim, "cannot play a job now: {why}");
                let _ = rt.block_on(msg.ack_with(AckKind::Nak(Some(Duration::from_secs(1)))));
                return;
            }
        };
        let result = JobResult {
            key: job.key.clone(),
            round: job.round,
            sim: job.sim,
            ticket: job.ticket.clone(),
            worker: self.name.clone(),
            outcome,
        };
        let payload = match encode(&result) {
            Ok(p) => bytes::Bytes::from(p),
            Err(e) => {
                tracing::error!("cannot encode a result: {e:#}");
                return;
            }
        };
        // Published off the slot: its next job starts while JetStream
        // acknowledges this result (a worker that dies meanwhile leaves the
        // job unacknowledged, and it is played again elsewhere).
        let Ok(permit) = rt.block_on(self.publishing.clone().acquire_owned()) else {
            return;
        };
        let js = self.js.clone();
        let subject = results_subject(&job.key);
        rt.spawn(async move {
            let _permit = permit;
            loop {
                let acked = match js.publish(subject.clone(), payload.clone()).await {
                    Ok(ack) => ack.await.map(|_| ()).map_err(|e| e.to_string()),
                    Err(e) => Err(e.to_string()),
                };
                match acked {
                    Ok(()) => break,
                    Err(e) => {
                        tracing::warn!("publishing a result: {e}; retrying");
                        tokio::time::sleep(Duration::from_millis(500)).await;
                    }
                }
            }
            // The result is in JetStream: the job is done. (Were this ack
            // lost, the job would be played again and the server would
            // refuse the second result as already stored.)
            if let Err(e) = msg.double_ack().await {
                tracing::debug!("cannot ack a job: {e}");
            }
        });
    }

    /// Plays a job at its group's table.
    fn play(&self, job: &Job) -> Result<Outcome, Skip> {
        let n = job.entrants.len();
        let mut seen = vec![false; n];
        for &s in &job.seats {
            match seen.get_mut(s) {
                Some(b) if !*b => *b = true,
                _ => {
                    return Err(Skip::Refuse(format!(
                        "seats {:?} are not a shuffle of {n} entrants",
                        job.seats
                    )));
                }
            }
        }
        if job.seats.len() != n {
            return Err(Skip::Refuse(format!(
                "seats {:?} are not a shuffle of {n} entrants",
                job.seats
            )));
        }
        let table = match self.table(job)? {
            Ok(t) => t,
            Err(e) => {
                return Ok(Outcome::Failed {
                    error: e.to_string(),
                });
            }
        };
        let sim = Sim {
            seed: job.seed,
            game_id: job.game_id.clone(),
            seats: job.seats.clone(),
        };
        Ok(match table.play(&sim, &mut Unwatched) {
            Ok(outcome) => Outcome::Played(PlayedSim::from(outcome)),
            Err(e) => Outcome::Failed {
                error: e.to_string(),
            },
        })
    }

    /// The job's table: built once per (tournament, round, group) and kept
    /// while the tournament's round lasts (round-long bots stay alive).
    /// Outer error: the job cannot be played here now; inner: the game
    /// refused (as it would in-process).
    #[allow(clippy::type_complexity)]
    fn table(&self, job: &Job) -> Result<Result<Arc<dyn Table>>, Skip> {
        let key: TableKey = (job.key.clone(), job.round, job.group);
        let slot = {
            let mut tables = lock(&self.tables);
            // An earlier round's tables of this tournament are done.
            tables.retain(|(k, r, _), _| k != &job.key || *r >= job.round);
            tables.entry(key).or_default().clone()
        };
        let mut slot = lock(&slot);
        if let Some(t) = slot.as_ref() {
            return Ok(Ok(t.clone()));
        }
        let mut codebases = Vec::with_capacity(job.entrants.len());
        for e in &job.entrants {
            let snapshot = self
                .codebase(&e.hash)
                .map_err(|e| Skip::Later(e.to_string()))?;
            codebases.push((e.name.as_str(), snapshot));
        }
        let built = (|| -> Result<Arc<dyn Table>> {
            let game = games::find(&job.game).ok_or_else(|| {
                WorkerError::Config(format!(
                    "no game {:?} in this worker: run the same arena version as the server",
                    job.game
                ))
            })?;
            let section = match &job.section {
                Some(text) => Some(toml::Value::Table(toml::from_str(text).map_err(|e| {
                    WorkerError::Config(format!("the job's config section: {e}"))
                })?)),
                None => None,
            };
            let cfg = game
                .configure(section, job.players)
                .map_err(|e| WorkerError::Config(format!("{}: {}", e.key, e.message)))?;
            // Each bot's environment, made here once (then found in the
            // cache) as the server made it when it validated the codebase.
            let mut entrants = Vec::with_capacity(codebases.len());
            for (name, snapshot) in codebases {
                let prepared = games::prepare(&*cfg, &self.envs, &snapshot).map_err(|error| {
                    WorkerError::Prepare {
                        what: format!("{name}'s bot cannot be prepared on this worker"),
                        error,
                    }
                })?;
                entrants.push(Entrant::codebase(name, snapshot, prepared));
            }
            Ok(Arc::from(cfg.table(&entrants, job.games)?))
        })();
        if let Ok(t) = &built {
            *slot = Some(t.clone());
        }
        Ok(built)
    }

    /// A codebase by hash: from memory, the cache folder, or the object
    /// store (then cached); its hash checked before use.
    fn codebase(&self, hash: &str) -> Result<Snapshot> {
        if let Some(s) = lock(&self.snapshots).get(hash) {
            return Ok(s.clone());
        }
        if !hash.bytes().all(|b| b.is_ascii_hexdigit()) || hash.is_empty() {
            return Err(WorkerError::Codebase {
                hash: format!("{hash:?}"),
                problem: "not a codebase hash".into(),
            });
        }
        let path = self.cache.join(hash);
        let snapshot = match read_cached(&path, hash) {
            Some(s) => s,
            None => {
                let bytes = runtime().block_on(async {
                    let store = codebases(&self.js).await?;
                    let mut object = store
                        .get(hash)
                        .await
                        .nats(format!("cannot fetch codebase {hash}"))?;
                    let mut bytes = Vec::new();
                    object
                        .read_to_end(&mut bytes)
                        .await
                        .map_err(|source| WorkerError::Io {
                            what: format!("cannot read codebase {hash}"),
                            source,
                        })?;
                    Ok::<_, WorkerError>(bytes)
                })?;
                let s = decode_snapshot(&bytes).map_err(|e| WorkerError::Codebase {
                    hash: hash.to_string(),
                    problem: format!("does not decode: {e}"),
                })?;
                if s.hash() != hash {
                    return Err(WorkerError::Codebase {
                        hash: hash.to_string(),
                        problem: format!("arrived with the hash {}", s.hash()),
                    });
                }
                let tmp = self.cache.join(format!(".{hash}.{}", std::process::id()));
                std::fs::write(&tmp, encode_snapshot(&s)?)
                    .and_then(|()| std::fs::rename(&tmp, &path))
                    .map_err(|source| WorkerError::Io {
                        what: format!("cannot cache codebase {hash}"),
                        source,
                    })?;
                tracing::info!(hash, "codebase fetched and cached");
                s
            }
        };
        lock(&self.snapshots).insert(hash.to_string(), snapshot.clone());
        Ok(snapshot)
    }
}

/// A cached codebase, if present and intact.
fn read_cached(path: &Path, hash: &str) -> Option<Snapshot> {
    let bytes = std::fs::read(path).ok()?;
    let s = decode_snapshot(&bytes).ok()?;
    (s.hash() == hash).then_some(s)
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}
