//! The server's side: an [`Executor`] that publishes a round's simulations
//! as jobs and hands each checked result to the storing loop.

use std::collections::BTreeMap;
use std::io::Read;
use std::sync::Arc;
use std::time::Duration;

use super::error::Nats;
use super::{Result, WorkerError};
use async_nats::jetstream::{self, consumer, message::PublishMessage};
use bytes::Bytes;
use futures_util::StreamExt;
use sha2::{Digest, Sha256};

use super::wire::{Job, JobEntrant, JobResult, Outcome, decode, encode};
use super::{
    MIN_ACK_WAIT, codebases, connect, ensure_streams, jobs_consumer, jobs_subject, results_subject,
    runtime, tournament_key,
};
use crate::games::seated;
use crate::store::encode_snapshot;
use crate::tournament::executor::{Executor, Flow, OnResult, RoundPlan};
use crate::tournament::{Result as TournamentResult, TournamentError};

/// `--workers` and `--ack-wait`, as `arena run` and `arena serve` take them.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct WorkersArgs {
    /// Play simulations on `arena worker` processes through NATS JetStream
    /// at this URL (nats://HOST:PORT) instead of in this process.
    #[arg(long, value_name = "URL")]
    pub workers: Option<String>,
    /// Seconds a worker may hold a job without a sign of life before
    /// JetStream gives it to another worker (with --workers).
    #[arg(long, value_name = "SECS", default_value_t = 30)]
    pub ack_wait: u64,
}

impl WorkersArgs {
    /// The executor these options ask for (`None`: in-process).
    pub fn executor(&self) -> Result<Option<Arc<dyn Executor>>> {
        match &self.workers {
            None => Ok(None),
            Some(url) => Ok(Some(Arc::new(NatsExecutor::connect(
                url,
                Duration::from_secs(self.ack_wait),
            )?))),
        }
    }
}

/// Plays simulations on `arena worker` processes through NATS JetStream.
#[derive(Debug)]
pub struct NatsExecutor {
    /// The connection (it reconnects by itself after a NATS restart).
    client: async_nats::Client,
    /// How long a job may go unacknowledged before JetStream gives it to
    /// another worker.
    ack_wait: Duration,
}

/// What a result turned out to be.
enum Verdict {
    /// A played simulation for pending simulation `sim`.
    Played(u32, crate::games::SimOutcome),
    /// The worker could not play it.
    Failed(u32, String),
    /// Refused, with the reason for the log.
    Refused(String),
}

impl NatsExecutor {
    /// Connects to NATS at `url`; `ack_wait` is the jobs' ack deadline.
    pub fn connect(url: &str, ack_wait: Duration) -> Result<NatsExecutor> {
        if ack_wait < MIN_ACK_WAIT {
            return Err(WorkerError::Config(format!(
                "--ack-wait must be at least {} s (workers extend a job's deadline every second)",
                MIN_ACK_WAIT.as_secs()
            )));
        }
        let client = runtime().block_on(connect(url))?;
        Ok(NatsExecutor { client, ack_wait })
    }

    async fn play_round(
        &self,
        plan: &RoundPlan<'_>,
        todo: &[u32],
        on_result: OnResult<'_>,
    ) -> TournamentResult<()> {
        let js = jetstream::new(self.client.clone());
        let (jobs_stream, results_stream) = ensure_streams(&js).await?;
        js.create_consumer_on_stream(jobs_consumer(self.ack_wait), super::JOBS_STREAM)
            .await
            .nats("cannot create the jobs' consumer")?;
        let key = tournament_key(&plan.cfg.name);
        let results: consumer::PullConsumer = js
            .create_consumer_on_stream(
                consumer::pull::Config {
                    durable_name: Some(format!("arena-results-{key}")),
                    ack_policy: consumer::AckPolicy::Explicit,
                    filter_subject: results_subject(&key),
                    ..Default::default()
                },
                super::RESULTS_STREAM,
            )
            .await
            .nats("cannot create the results' consumer")?;
        // Jobs and results of an earlier run of this round (a killed
        // server) carry tickets nobody holds any more.
        jobs_stream
            .purge()
            .filter(jobs_subject(&key))
            .await
            .nats("cannot purge old jobs")?;
        results_stream
            .purge()
            .filter(results_subject(&key))
            .await
            .nats("cannot purge old results")?;
        self.put_codebases(&js, plan).await?;

        let secret = secret()?;
        let section = game_section(plan)?;
        // Pending simulations: index in `todo`, ticket.
        let mut pending: BTreeMap<u32, (usize, String)> = BTreeMap::new();
        let mut acks = Vec::with_capacity(todo.len());
        for (k, &sim) in todo.iter().enumerate() {
            let (group, planned) = plan.group_of(sim).ok_or_else(|| TournamentError::Plan {
                round: plan.round,
                problem: format!("simulation {sim} belongs to no group"),
            })?;
            let spec = plan.sim(sim, planned.ids.len());
            let ticket = ticket(&secret, &key, plan.round, sim);
            let job = Job {
                tournament: plan.cfg.name.clone(),
                key: key.clone(),
                round: plan.round,
                sim,
                group: group as u32,
                ticket: ticket.clone(),
                game: plan.cfg.game.game().name().to_string(),
                section: section.clone(),
                players: plan.cfg.players.len(),
                games: plan.cfg.sims,
                entrants: planned
                    .entrants
                    .iter()
                    .map(|(name, s)| JobEntrant {
                        name: name.clone(),
                        hash: s.hash().to_string(),
                    })
                    .collect(),
                seed: spec.seed,
                game_id: spec.game_id,
                seats: spec.seats,
            };
            let payload = Bytes::from(encode(&job)?);
            // Published at once; the acknowledgements are awaited below.
            let msg = PublishMessage::build()
                .payload(payload.clone())
                .message_id(&ticket);
            let ack = js.send_publish(jobs_subject(&key), msg).await.ok();
            acks.push((payload, ticket.clone(), ack));
            pending.insert(sim, (k, ticket));
        }
        for (payload, ticket, ack) in acks {
            let acked = match ack {
                Some(ack) => ack.await.is_ok(),
                None => false,
            };
            if !acked {
                publish_until_acked(&js, &jobs_subject(&key), &payload, &ticket).await;
            }
        }
        tracing::info!(round = plan.round, jobs = todo.len(), "jobs published");

        while !pending.is_empty() {
            let mut messages = match results
                .stream()
                .heartbeat(Duration::from_secs(5))
                .expires(Duration::from_secs(30))
                .messages()
                .await
            {
                Ok(m) => m,
                Err(e) => {
                    tracing::warn!("cannot read results ({e}); retrying");
                    tokio::time::sleep(Duration::from_millis(500)).await;
                    continue;
                }
            };
            while !pending.is_empty() {
                let next = tokio::time::timeout(Duration::from_secs(30), messages.next()).await;
                let msg = match next {
                    Err(_) => {
                        tracing::info!(
                            round = plan.round,
                            awaited = pending.len(),
                            "waiting for workers' results"
                        );
                        continue;
                    }
                    Ok(None) => break,
                    Ok(Some(Err(e))) => {
                        tracing::warn!("reading results: {e}; reconnecting the consumer");
                        break;
                    }
                    Ok(Some(Ok(msg))) => msg,
                };
                let verdict = check(plan, &key, &pending, &msg.payload);
                let flow = match verdict {
                    Verdict::Refused(why) => {
                        tracing::warn!(round = plan.round, "refused a result: {why}");
                        Flow::More
                    }
                    Verdict::Failed(sim, error) => {
                        let (k, _) = pending.remove(&sim).unwrap_or_default();
                        let failed = TournamentError::WorkerSim {
                            round: plan.round,
                            sim,
                            error,
                        };
                        on_result(k, Err(failed))?
                    }
                    Verdict::Played(sim, outcome) => {
                        let (k, _) = pending.remove(&sim).unwrap_or_default();
                        let ids = plan.group_of(sim).map(|(_, g)| g.ids.clone());
                        let played = ids
                            .ok_or_else(|| TournamentError::Plan {
                                round: plan.round,
                                problem: format!("simulation {sim} belongs to no group"),
                            })
                            .and_then(|ids| plan.finished(sim, &ids, outcome))
                            .map(|m| (m, None));
                        on_result(k, played)?
                    }
                };
                // Stored (or refused): the result leaves the queue.
                if let Err(e) = msg.ack().await {
                    tracing::debug!("cannot ack a result: {e}");
                }
                if flow == Flow::Stop {
                    // The round is decided: the other jobs are not played.
                    let _ = jobs_stream.purge().filter(jobs_subject(&key)).await;
                    return Ok(());
                }
            }
        }
        Ok(())
    }

    /// Puts the round's codebases in the object store, each once.
    async fn put_codebases(&self, js: &jetstream::Context, plan: &RoundPlan<'_>) -> Result<()> {
        let store = codebases(js).await?;
        for group in &plan.groups {
            for (_, snapshot) in &group.entrants {
                let hash = snapshot.hash();
                if store.info(hash).await.is_ok() {
                    continue;
                }
                let bytes = encode_snapshot(snapshot)?;
                let mut reader = bytes.as_slice();
                store
                    .put(hash, &mut reader)
                    .await
                    .nats(format!("cannot put codebase {hash} in the object store"))?;
            }
        }
        Ok(())
    }
}

impl Executor for NatsExecutor {
    fn play(
        &self,
        plan: &RoundPlan<'_>,
        todo: &[u32],
        on_result: OnResult<'_>,
    ) -> TournamentResult<()> {
        runtime().block_on(self.play_round(plan, todo, on_result))
    }
}

/// Publishes a payload and waits for JetStream's acknowledgement,
/// retrying until it comes (NATS may be restarting); `id` deduplicates.
async fn publish_until_acked(js: &jetstream::Context, subject: &str, payload: &Bytes, id: &str) {
    loop {
        let msg = PublishMessage::build()
            .payload(payload.clone())
            .message_id(id);
        let acked = match js.send_publish(subject.to_string(), msg).await {
            Ok(ack) => ack.await.map(|_| ()).map_err(|e| e.to_string()),
            Err(e) => Err(e.to_string()),
        };
        match acked {
            Ok(()) => return,
            Err(e) => {
                tracing::warn!("publishing a job: {e}; retrying");
                tokio::time::sleep(Duration::from_millis(500)).await;
            }
        }
    }
}

/// Checks a result against the round: parses, answers a pending job with
/// its ticket, and matches the job's seats and header.
fn check(
    plan: &RoundPlan<'_>,
    key: &str,
    pending: &BTreeMap<u32, (usize, String)>,
    payload: &[u8],
) -> Verdict {
    let result: JobResult = match decode(payload) {
        Ok(r) => r,
        Err(e) => return Verdict::Refused(format!("garbage ({e}), {} bytes", payload.len())),
    };
    let who = format!("from worker {:?}", result.worker);
    if result.key != key || result.round != plan.round {
        return Verdict::Refused(format!(
            "{who} for round {} of {}: not a job of this round",
            result.round, result.key
        ));
    }
    let Some((_, ticket)) = pending.get(&result.sim) else {
        return Verdict::Refused(format!(
            "{who} for simulation {}: no such job is pending (never given, or already stored)",
            result.sim
        ));
    };
    if &result.ticket != ticket {
        return Verdict::Refused(format!(
            "{who} for simulation {}: its ticket is not the one given with that job",
            result.sim
        ));
    }
    let played = match result.outcome {
        Outcome::Failed { error } => return Verdict::Failed(result.sim, error),
        Outcome::Played(p) => p,
    };
    let Some((_, group)) = plan.group_of(result.sim) else {
        return Verdict::Refused(format!("{who}: simulation {} has no group", result.sim));
    };
    let spec = plan.sim(result.sim, group.ids.len());
    let who_seated: Vec<(String, String)> = group
        .entrants
        .iter()
        .map(|(n, s)| (n.clone(), s.hash().to_string()))
        .collect();
    let mismatch = if played.seats.len() != spec.seats.len() {
        Some(format!(
            "{} seats, the job has {}",
            played.seats.len(),
            spec.seats.len()
        ))
    } else if played.header.seed != spec.seed {
        Some("its replay's seed is not the job's".to_string())
    } else if played.header.game != plan.cfg.game.game().name() {
        Some(format!("its replay is of {}", played.header.game))
    } else if played.header.players != seated(&spec, &who_seated) {
        Some("its replay's players are not the job's seats".to_string())
    } else {
        None
    };
    if let Some(why) = mismatch {
        return Verdict::Refused(format!(
            "{who} for simulation {}: does not match its job: {why}",
            result.sim
        ));
    }
    Verdict::Played(result.sim, played.into())
}

/// The game's config section of the stored config, as TOML text.
fn game_section(plan: &RoundPlan<'_>) -> Result<Option<String>> {
    let table: toml::Table = toml::from_str(plan.config_text)
        .map_err(|e| WorkerError::Config(format!("the stored config does not parse: {e}")))?;
    match table.get(plan.cfg.game.game().name()) {
        None => Ok(None),
        Some(v) => {
            let mut section = toml::Table::new();
            if let toml::Value::Table(t) = v {
                section = t.clone();
            }
            let text = toml::to_string(&section).map_err(|e| {
                WorkerError::Config(format!("the game's section cannot be written: {e}"))
            })?;
            Ok(Some(text))
        }
    }
}

/// 32 random bytes for this round's tickets.
fn secret() -> Result<[u8; 32]> {
    let mut bytes = [0u8; 32];
    std::fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut bytes))
        .map_err(|source| WorkerError::Io {
            what: "cannot read /dev/urandom".into(),
            source,
        })?;
    Ok(bytes)
}

/// A job's ticket: the secret hashed with the job's place.
fn ticket(secret: &[u8; 32], key: &str, round: u32, sim: u32) -> String {
    let mut h = Sha256::new();
    h.update(secret);
    h.update(key.as_bytes());
    h.update(round.to_le_bytes());
    h.update(sim.to_le_bytes());
    h.finalize()
        .iter()
        .take(16)
        .map(|b| format!("{b:02x}"))
        .collect()
}
