//! The server's tournaments: each runs `tournament::run_stored` on its own
//! thread (the same code as `arena run`), with [`Hooks`] that let remote
//! agents edit over the websocket, admins pause and cancel at the run's
//! checkpoints, and spectators follow its games live.
//!
//! A remote agent's edit ([`RemoteEditor`]) opens its player's [`Seat`]:
//! `round_started` goes to every connection of the player (and again to one
//! that reconnects), and the runner thread waits until a valid submission
//! arrives or the deadline passes. A submission is acknowledged once the
//! runner has stored it (`submission_stored`), so an accepted submission is
//! never lost.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use tokio::sync::broadcast;
use tokio_tungstenite::tungstenite::Utf8Bytes;

use arena_agents::builtin::{Edit, EditContext, EditError, Editor};
use arena_agents::codebase::Snapshot;
use arena_agents::protocol::{ServerMessage, TournamentState, WireCodebase};
use arena_agents::wire::{GameHeader, HeaderPlayer, RoundResults, Seed, Standings};
use arena_replays::ReplayHeader;

use super::live::{GameInfo, LiveGames, Sink};
use super::lock;
use crate::config::TournamentConfig;
use crate::environments::Environments;
use crate::store::{Store, Writer};
use crate::tournament::{self, Ended, Hooks, LiveSink, RunOptions, Stopped, TournamentError};

/// Messages queued for an agent's connections before they lag.
const AGENT_QUEUE: usize = 64;

/// What the hub needs to run tournaments.
#[derive(Clone, Debug)]
pub struct HubOptions {
    pub data_dir: PathBuf,
    /// Threads for each tournament's simulations.
    pub jobs: usize,
    /// How long an edit phase stays open.
    pub edit_deadline: Duration,
    /// Relative paths in a config (starting codebases, `versions` dirs)
    /// are relative to this folder: the server's working directory.
    pub base_dir: PathBuf,
    /// Where simulations are played (`--workers`); `None`: in-process.
    pub workers: Option<Arc<dyn crate::tournament::executor::Executor>>,
}

/// Every tournament the server knows, and the live games.
pub struct Hub {
    pub opts: HubOptions,
    pub live: LiveGames,
    tournaments: Mutex<BTreeMap<i64, Arc<Runtime>>>,
    runners: Mutex<Vec<std::thread::JoinHandle<()>>>,
    shutting_down: AtomicBool,
    /// The server's one writer (see [`Writer`]): every write the hub makes
    /// goes through its thread, and the runners write on its connection.
    writer: Writer,
}

/// One tournament on this server.
pub struct Runtime {
    pub id: i64,
    pub cfg: Arc<TournamentConfig>,
    control: Mutex<TournamentState>,
    changed: Condvar,
    /// Every player's seat, by player id.
    seats: BTreeMap<i64, Arc<Seat>>,
    /// The runner thread was started.
    started: AtomicBool,
    /// `tournament_finished` or `tournament_cancelled`, once it is, for
    /// agents that join later.
    finished: Mutex<Option<Utf8Bytes>>,
}

/// A player's side of the edit phase, shared by its agent's connections
/// and the runner thread.
pub struct Seat {
    pub player_id: i64,
    pub name: String,
    state: Mutex<SeatState>,
    changed: Condvar,
    /// To the player's connections: each message as its JSON text.
    outbox: broadcast::Sender<Utf8Bytes>,
    /// A practice of this player's is being played (one at a time, however
    /// many connections it opens: practices run real games).
    pub practicing: AtomicBool,
}

#[derive(Default)]
struct SeatState {
    open: Option<OpenRound>,
    /// The last submission acknowledged: (round, hash).
    accepted: Option<(u32, String)>,
}

/// An edit phase in progress for one player.
struct OpenRound {
    round: u32,
    round_started: Utf8Bytes,
    /// The codebase the round started with (what `practice` plays).
    codebase: Snapshot,
    /// A valid submission: the edit is over.
    submitted: Option<Snapshot>,
    /// The last invalid one, played (and forfeited) if nothing valid comes.
    rejected: Option<Snapshot>,
    /// How the edit ended, once it did (until the runner stores it).
    ending: Option<Ending>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Ending {
    Submitted,
    LastRejected,
    NothingInTime,
}

/// Why a request to the hub failed, as the protocol's error codes.
#[derive(Debug, thiserror::Error)]
pub enum HubError {
    #[error("{0}")]
    NotFound(String),
    /// A field of the request (named) that cannot be used, and why.
    #[error("{1}")]
    BadField(&'static str, String),
    #[error("{0}")]
    OutOfOrder(String),
    #[error("{0}")]
    Internal(String),
}

/// The hub's results: a [`HubError`] unless said otherwise.
type Result<T, E = HubError> = std::result::Result<T, E>;

impl From<crate::tournament::TournamentError> for HubError {
    fn from(e: crate::tournament::TournamentError) -> Self {
        HubError::Internal(e.to_string())
    }
}

impl From<crate::config::ConfigError> for HubError {
    fn from(e: crate::config::ConfigError) -> Self {
        HubError::Internal(e.to_string())
    }
}

impl From<crate::store::StoreError> for HubError {
    fn from(e: crate::store::StoreError) -> Self {
        HubError::Internal(e.to_string())
    }
}

impl Hub {
    /// Opens (and migrates) the database and starts its writer thread.
    pub fn new(opts: HubOptions) -> Result<Arc<Hub>> {
        let writer = Writer::start(&opts.data_dir)?;
        Ok(Arc::new(Hub {
            opts,
            live: LiveGames::default(),
            tournaments: Mutex::new(BTreeMap::new()),
            runners: Mutex::new(Vec::new()),
            shutting_down: AtomicBool::new(false),
            writer,
        }))
    }

    /// A read-only store for a request: reads never write, nor wait on one.
    fn reader(&self) -> Result<Store> {
        Store::open_read_only(&self.opts.data_dir)?.ok_or_else(|| {
            HubError::Internal(format!(
                "the database in {} is gone; restart the server",
                self.opts.data_dir.display()
            ))
        })
    }

    /// Loads every unfinished tournament and restarts the ones that were
    /// running (or paused) when the server stopped.
    /// Finished and cancelled ones are loaded too, so their agents hear
    /// how they ended.
    pub fn resume_all(self: &Arc<Self>) -> Result<Vec<i64>> {
        let store = self.reader()?;
        let mut resumed = Vec::new();
        for (id, state, config) in store.served_tournaments(&TournamentState::ALL)? {
            let loaded = self
                .parse_config(&config)
                .and_then(|cfg| self.add_runtime(&store, id, cfg, state));
            let rt = match loaded {
                Ok(rt) => rt,
                Err(e) => {
                    // One unreadable tournament must not keep the others down.
                    tracing::error!(tournament = id, "cannot load: {e:#}");
                    continue;
                }
            };
            match state {
                TournamentState::Running | TournamentState::Paused => {
                    self.start_runner(&rt);
                    resumed.push(id);
                }
                TournamentState::Finished => match tournament::standings_of(&store, id, &rt.cfg) {
                    Ok(standings) => {
                        *lock(&rt.finished) = Some(finished_message(id, standings));
                    }
                    Err(e) => tracing::error!(tournament = id, "cannot read standings: {e:#}"),
                },
                TournamentState::Cancelled => {
                    *lock(&rt.finished) = Some(cancelled_message(id));
                }
                TournamentState::Created => {}
            }
        }
        Ok(resumed)
    }

    fn parse_config(&self, text: &str) -> Result<TournamentConfig> {
        let mut cfg = TournamentConfig::parse(text)?;
        for p in &mut cfg.players {
            if p.codebase.is_relative() {
                p.codebase = self.opts.base_dir.join(&p.codebase);
            }
            p.agent.resolve_paths(&self.opts.base_dir);
        }
        Ok(cfg)
    }

    fn add_runtime(
        &self,
        store: &Store,
        id: i64,
        cfg: TournamentConfig,
        state: TournamentState,
    ) -> Result<Arc<Runtime>> {
        let mut seats = BTreeMap::new();
        for p in &cfg.players {
            let pid = store.player_id(id, &p.name)?.ok_or_else(|| {
                HubError::Internal(format!(
                    "player {} of tournament {id} is not stored",
                    p.name
                ))
            })?;
            seats.insert(
                pid,
                Arc::new(Seat {
                    player_id: pid,
                    name: p.name.clone(),
                    state: Mutex::new(SeatState::default()),
                    changed: Condvar::new(),
                    outbox: broadcast::channel(AGENT_QUEUE).0,
                    practicing: AtomicBool::new(false),
                }),
            );
        }
        let rt = Arc::new(Runtime {
            id,
            cfg: Arc::new(cfg),
            control: Mutex::new(state),
            changed: Condvar::new(),
            seats,
            started: AtomicBool::new(false),
            finished: Mutex::new(None),
        });
        lock(&self.tournaments).insert(id, rt.clone());
        Ok(rt)
    }

    pub fn runtime(&self, id: i64) -> Option<Arc<Runtime>> {
        lock(&self.tournaments).get(&id).cloned()
    }

    /// `create_tournament`: checks and stores the config and the starting
    /// codebases; the tournament waits for `start_tournament`. The same
    /// config again finds the same tournament.
    pub fn create(self: &Arc<Self>, config_toml: &str) -> Result<(i64, String), HubError> {
        let cfg = self
            .parse_config(config_toml)
            .map_err(|e| HubError::BadField("config_toml", format!("{e:#}")))?;
        for p in &cfg.players {
            if !p.codebase.exists() {
                return Err(HubError::BadField(
                    "config_toml",
                    format!(
                        "players.{}.codebase: {} does not exist on the server; give a path relative to the server's working directory ({})",
                        p.name,
                        p.codebase.display(),
                        self.opts.base_dir.display()
                    ),
                ));
            }
        }
        let envs = tournament::environments(&cfg, &self.opts.data_dir);
        // Environments are installed here, outside the store's one writer,
        // so an install does not hold up every other tournament's writes;
        // `create` then finds them made.
        tournament::prepare_starting(&cfg, &envs)
            .map_err(|e| HubError::BadField("config_toml", format!("{e:#}")))?;
        let (stored_cfg, text) = (cfg.clone(), config_toml.to_owned());
        let id = self
            .writer
            .call(move |store| {
                tournament::create(
                    store,
                    &stored_cfg,
                    &envs,
                    &text,
                    TournamentState::Created,
                    true,
                )
            })
            .map_err(|e| HubError::BadField("config_toml", format!("{e:#}")))?;
        if self.runtime(id).is_none() {
            let store = self.reader()?;
            let state = store
                .tournament_state(id)?
                .unwrap_or(TournamentState::Created);
            self.add_runtime(&store, id, cfg.clone(), state)?;
        }
        Ok((id, cfg.name))
    }

    /// `register_agent`: a new token for a remote player (replacing its
    /// previous one); only its SHA-256 is stored.
    pub fn register_agent(&self, tournament: i64, player: &str) -> Result<String, HubError> {
        let rt = self
            .runtime(tournament)
            .ok_or_else(|| no_tournament(tournament))?;
        let Some(p) = rt.cfg.players.iter().find(|p| p.name == player) else {
            return Err(HubError::NotFound(format!(
                "tournament {tournament} has no player {player:?}"
            )));
        };
        if p.agent != arena_agents::builtin::AgentSpec::Remote {
            return Err(HubError::BadField(
                "player",
                format!(
                    "{player} is played by a built-in agent; only players with agent = \"remote\" take tokens"
                ),
            ));
        }
        let token = format!(
            "agt_{}",
            super::auth::generate_token()
                .map_err(|e| HubError::Internal(format!("no randomness for a token: {e}")))?
        );
        let seat = rt
            .seat_named(player)
            .ok_or_else(|| HubError::NotFound(format!("no player {player:?}")))?;
        let (player, hash) = (seat.player_id, super::auth::TokenHash::of(&token).to_hex());
        self.writer
            .call(move |store| store.set_agent_token(tournament, player, &hash))?;
        Ok(token)
    }

    /// `start_tournament`, `pause_tournament`, `resume_tournament`,
    /// `cancel_tournament`: moves the state (idempotently) and stores it.
    pub fn control(
        self: &Arc<Self>,
        tournament: i64,
        want: TournamentState,
    ) -> Result<TournamentState, HubError> {
        use TournamentState::*;
        let rt = match self.runtime(tournament) {
            Some(rt) => rt,
            None => {
                let state = self.reader()?.tournament_state(tournament)?;
                return match state {
                    None => Err(no_tournament(tournament)),
                    Some(s) => Err(HubError::OutOfOrder(format!(
                        "tournament {tournament} is {} and not this server's to run (`arena run` made it); rerun `arena run` with its config to go on",
                        s.as_str()
                    ))),
                };
            }
        };
        let mut state = lock(&rt.control);
        let next = match (*state, want) {
            (s, w) if s == w => s,
            (Created, Running) | (Paused, Running) | (Running, Paused) => want,
            (Created | Running | Paused, Cancelled) => Cancelled,
            (s, w) => {
                return Err(HubError::OutOfOrder(format!(
                    "tournament {tournament} is {}; it cannot become {}",
                    s.as_str(),
                    w.as_str()
                )));
            }
        };
        if next != *state {
            self.writer
                .call(move |store| store.set_tournament_state(tournament, next))?;
            *state = next;
            if next == Cancelled {
                // Agents waiting for a round hear at once that none comes.
                let msg = cancelled_message(tournament);
                *lock(&rt.finished) = Some(msg.clone());
                for seat in rt.seats.values() {
                    let _ = seat.outbox.send(msg.clone());
                }
            }
        }
        drop(state);
        rt.changed.notify_all();
        for seat in rt.seats.values() {
            seat.changed.notify_all();
        }
        if next == Running {
            self.start_runner(&rt);
        }
        Ok(next)
    }

    fn start_runner(self: &Arc<Self>, rt: &Arc<Runtime>) {
        if rt.started.swap(true, Ordering::SeqCst) {
            return;
        }
        let hub = self.clone();
        let rt = rt.clone();
        let handle = std::thread::Builder::new()
            .name(format!("tournament-{}", rt.id))
            .spawn(move || hub.run_tournament(&rt));
        match handle {
            Ok(h) => lock(&self.runners).push(h),
            Err(e) => tracing::error!("cannot start a tournament thread: {e}"),
        }
    }

    fn run_tournament(self: &Arc<Self>, rt: &Arc<Runtime>) {
        let opts = RunOptions {
            data_dir: self.opts.data_dir.clone(),
            jobs: self.opts.jobs,
            progress: false,
            edit_deadline: self.opts.edit_deadline,
            workers: self.opts.workers.clone(),
        };
        let hooks = HubHooks { hub: self.clone() };
        // The runner writes on the writer's connection: one writer.
        let mut store = self.writer.store();
        let run = tournament::run_stored(&rt.cfg, &opts, &mut store, rt.id, &hooks);
        match run {
            // `tournament_finished` marked it finished.
            Ok(Ended::Finished(_)) => tracing::info!(tournament = rt.id, "tournament finished"),
            Ok(Ended::Stopped(Stopped::Cancelled)) => {
                tracing::info!(tournament = rt.id, "tournament cancelled");
            }
            Ok(Ended::Stopped(Stopped::ShuttingDown)) => {}
            Err(e) => {
                // Keep what was stored; an admin may resume once the
                // cause is fixed.
                tracing::error!(tournament = rt.id, "tournament stopped: {e:#}");
                *lock(&rt.control) = TournamentState::Paused;
                let id = rt.id;
                if let Err(e) = self
                    .writer
                    .call(move |s| s.set_tournament_state(id, TournamentState::Paused))
                {
                    tracing::error!(tournament = id, "cannot store the pause: {e:#}");
                }
                rt.started.store(false, Ordering::SeqCst);
            }
        }
    }

    /// Stops every tournament at its next checkpoint (they resume on the
    /// next start) and waits up to `grace` for their threads.
    pub fn shutdown(&self, grace: Duration) {
        self.shutting_down.store(true, Ordering::SeqCst);
        for rt in lock(&self.tournaments).values() {
            rt.changed.notify_all();
            for seat in rt.seats.values() {
                seat.changed.notify_all();
            }
        }
        let until = Instant::now() + grace;
        let handles: Vec<_> = lock(&self.runners).drain(..).collect();
        for h in handles {
            while !h.is_finished() && Instant::now() < until {
                std::thread::sleep(Duration::from_millis(20));
            }
        }
    }

    /// The player a token was issued to: (tournament, seat).
    pub fn agent_by_token(&self, token: &str) -> Result<Option<(Arc<Runtime>, Arc<Seat>)>> {
        let hash = super::auth::TokenHash::of(token).to_hex();
        let Some((tid, pid)) = self.reader()?.agent_by_token(&hash)? else {
            return Ok(None);
        };
        let Some(rt) = self.runtime(tid) else {
            return Ok(None);
        };
        let seat = rt.seats.get(&pid).cloned();
        Ok(seat.map(|s| (rt, s)))
    }

    fn stopped(&self, rt: &Runtime) -> Option<Stopped> {
        self.stop_for(*lock(&rt.control))
    }

    /// Why a tournament in `state` must stop now, if it must.
    fn stop_for(&self, state: TournamentState) -> Option<Stopped> {
        if self.shutting_down.load(Ordering::SeqCst) {
            return Some(Stopped::ShuttingDown);
        }
        (state == TournamentState::Cancelled).then_some(Stopped::Cancelled)
    }
}

fn no_tournament(id: i64) -> HubError {
    HubError::NotFound(format!("no tournament {id} on this server"))
}

impl Runtime {
    pub fn seat(&self, player_id: i64) -> Option<Arc<Seat>> {
        self.seats.get(&player_id).cloned()
    }

    pub fn seat_named(&self, name: &str) -> Option<Arc<Seat>> {
        self.seats.values().find(|s| s.name == name).cloned()
    }

    pub fn state(&self) -> TournamentState {
        *lock(&self.control)
    }

    /// `tournament_finished` or `tournament_cancelled`, if it ended.
    pub fn finished(&self) -> Option<Utf8Bytes> {
        lock(&self.finished).clone()
    }
}

/// What a connection gets when it joins as a player's agent.
pub struct Joined {
    pub outbox: broadcast::Receiver<Utf8Bytes>,
    /// `round_started` (an edit phase is open and nothing valid was
    /// submitted yet) or `submission_accepted` (the open round's submission
    /// is in), to send after `welcome`.
    pub catch_up: Option<Utf8Bytes>,
}

/// Why a submission was not taken.
pub enum SubmitError {
    /// No edit phase is open for this round.
    NotOpen(String),
    /// The game's validator refused it; the agent may try again.
    Rejected(String),
    /// The server cannot prepare bots (a missing tool): not the agent's fault.
    Host(String),
}

impl Seat {
    /// Subscribes a connection; under the seat's lock, so a `round_started`
    /// is neither missed nor sent twice.
    pub fn join(&self) -> Joined {
        let st = lock(&self.state);
        let outbox = self.outbox.subscribe();
        let catch_up = match &st.open {
            Some(o) if o.submitted.is_none() && o.ending.is_none() => Some(o.round_started.clone()),
            // Being stored: its acknowledgement is on the way.
            Some(_) => None,
            // Between phases: the last submission is in (a client that
            // lost the acknowledgement learns it here; a repeat is harmless).
            None => st.accepted.as_ref().map(|(r, h)| accepted(*r, h)),
        };
        Joined { outbox, catch_up }
    }

    fn send(&self, msg: &ServerMessage) {
        // No receiver (no agent connected) is fine: it catches up on join.
        let _ = self.outbox.send(Utf8Bytes::from(msg.to_json()));
    }

    /// A submission for `round`: checked by the game's validator (its
    /// bot's environment made, outside the seat's lock: installing takes a
    /// while), and if valid it ends this player's edit (the runner stores
    /// it and then acknowledges it).
    pub fn submit(
        &self,
        cfg: &TournamentConfig,
        envs: &Environments,
        round: u32,
        codebase: Snapshot,
    ) -> Result<(), SubmitError> {
        {
            let mut st = lock(&self.state);
            self.open_for(&mut st, round)?;
        }
        let verdict = tournament::validate(cfg, envs, &codebase)
            .map_err(|e| SubmitError::Host(format!("{e:#}")))?;
        let mut st = lock(&self.state);
        let open = self.open_for(&mut st, round)?;
        if let Err(why) = verdict {
            open.rejected = Some(codebase);
            return Err(SubmitError::Rejected(why));
        }
        open.submitted = Some(codebase);
        drop(st);
        self.changed.notify_all();
        Ok(())
    }

    /// The open edit phase of `round`, if it still takes a submission.
    fn open_for<'a>(
        &self,
        st: &'a mut SeatState,
        round: u32,
    ) -> Result<&'a mut OpenRound, SubmitError> {
        let Some(open) = st.open.as_mut() else {
            return Err(SubmitError::NotOpen(format!(
                "no edit phase is open for {}; wait for round_started",
                self.name
            )));
        };
        if open.round != round {
            return Err(SubmitError::NotOpen(format!(
                "round {round} is not open for edits; round {} is",
                open.round
            )));
        }
        if open.submitted.is_some() {
            return Err(SubmitError::NotOpen(format!(
                "round {round}'s submission is already accepted; it is final"
            )));
        }
        if open.ending.is_some() {
            return Err(SubmitError::NotOpen(format!(
                "round {round}'s edit phase has closed"
            )));
        }
        Ok(open)
    }

    /// The codebase the open round started with, and the round.
    pub fn current(&self) -> Option<(u32, Snapshot)> {
        let st = lock(&self.state);
        st.open.as_ref().map(|o| (o.round, o.codebase.clone()))
    }
}

fn cancelled_message(tournament: i64) -> Utf8Bytes {
    Utf8Bytes::from(ServerMessage::TournamentCancelled { tournament }.to_json())
}

fn finished_message(tournament: i64, standings: Standings) -> Utf8Bytes {
    Utf8Bytes::from(
        ServerMessage::TournamentFinished {
            tournament,
            standings,
        }
        .to_json(),
    )
}

fn accepted(round: u32, hash: &str) -> Utf8Bytes {
    Utf8Bytes::from(
        ServerMessage::SubmissionAccepted {
            round,
            hash: hash.to_owned(),
        }
        .to_json(),
    )
}

/// A remote player's editor: opens the seat, waits for the agent.
struct RemoteEditor {
    hub: Arc<Hub>,
    rt: Arc<Runtime>,
    seat: Arc<Seat>,
}

impl Editor for RemoteEditor {
    fn edit(&mut self, ctx: &EditContext) -> Result<Edit, EditError> {
        let deadline = Instant::now() + ctx.deadline;
        let deadline_unix_ms = (SystemTime::now() + ctx.deadline)
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_millis() as u64);
        let started = ServerMessage::RoundStarted {
            tournament: self.rt.id,
            round: ctx.round,
            deadline_unix_ms,
            results: ctx.results.clone(),
            logs: ctx.logs.to_owned(),
            codebase: WireCodebase::from_snapshot(ctx.codebase),
        };
        let text = Utf8Bytes::from(started.to_json());
        let mut st = lock(&self.seat.state);
        st.open = Some(OpenRound {
            round: ctx.round,
            round_started: text.clone(),
            codebase: ctx.codebase.clone(),
            submitted: None,
            rejected: None,
            ending: None,
        });
        let _ = self.seat.outbox.send(text);
        let (outcome, ending) = loop {
            let open = st.open.as_mut();
            if let Some(c) = open.as_ref().and_then(|o| o.submitted.clone()) {
                let edit = Edit {
                    codebase: c,
                    note: "submitted by the remote agent".into(),
                };
                break (Ok(edit), Ending::Submitted);
            }
            if let Some(stop) = self.hub.stopped(&self.rt) {
                break (
                    Err(EditError::Failed(stop.to_string())),
                    Ending::NothingInTime,
                );
            }
            let now = Instant::now();
            if now >= deadline {
                break match open.and_then(|o| o.rejected.take()) {
                    // Its last word was invalid: that forfeits the round.
                    Some(c) => {
                        let edit = Edit {
                            codebase: c,
                            note: "the last submission before the deadline".into(),
                        };
                        (Ok(edit), Ending::LastRejected)
                    }
                    None => (Err(EditError::Timeout(ctx.deadline)), Ending::NothingInTime),
                };
            }
            st = self
                .seat
                .changed
                .wait_timeout(st, deadline - now)
                .map(|(g, _)| g)
                .unwrap_or_else(|e| e.into_inner().0);
        };
        // The phase stays open (refusing more submissions) until the
        // runner stores the outcome: `submission_stored` closes it. A
        // stopped run stores nothing: close it now.
        if self.hub.stopped(&self.rt).is_some() {
            st.open = None;
        } else if let Some(o) = st.open.as_mut() {
            o.ending = Some(ending);
        }
        drop(st);
        outcome
    }
}

/// The hooks a server's tournament runs with.
struct HubHooks {
    hub: Arc<Hub>,
}

impl HubHooks {
    fn rt(&self, tournament: i64) -> Option<Arc<Runtime>> {
        self.hub.runtime(tournament)
    }
}

impl Hooks for HubHooks {
    fn remote_editor(
        &self,
        tournament: i64,
        player_id: i64,
        name: &str,
    ) -> tournament::Result<Box<dyn Editor>> {
        let not_here = |message: String| TournamentError::Agent {
            player: name.to_owned(),
            message,
        };
        let rt = self
            .rt(tournament)
            .ok_or_else(|| not_here(format!("tournament {tournament} is not loaded")))?;
        let seat = rt
            .seat(player_id)
            .ok_or_else(|| not_here("has no seat in it".into()))?;
        Ok(Box::new(RemoteEditor {
            hub: self.hub.clone(),
            rt,
            seat,
        }))
    }

    fn checkpoint(&self, tournament: i64) -> Result<(), Stopped> {
        let Some(rt) = self.rt(tournament) else {
            return Ok(());
        };
        let mut state = lock(&rt.control);
        loop {
            if let Some(stop) = self.hub.stop_for(*state) {
                return Err(stop);
            }
            match *state {
                TournamentState::Paused | TournamentState::Created => {
                    state = rt
                        .changed
                        .wait_timeout(state, Duration::from_millis(500))
                        .map(|(g, _)| g)
                        .unwrap_or_else(|e| e.into_inner().0);
                }
                _ => return Ok(()),
            }
        }
    }

    fn stop_requested(&self, tournament: i64) -> Result<(), Stopped> {
        match self.rt(tournament).and_then(|rt| self.hub.stopped(&rt)) {
            Some(stop) => Err(stop),
            None => Ok(()),
        }
    }

    fn submission_stored(
        &self,
        tournament: i64,
        player_id: i64,
        round: u32,
        valid: bool,
        hash: &str,
        reason: &str,
    ) {
        let Some(seat) = self.rt(tournament).and_then(|rt| rt.seat(player_id)) else {
            return;
        };
        let mut st = lock(&seat.state);
        let ending = match &st.open {
            Some(o) if o.round == round => o.ending,
            _ => None,
        };
        if ending.is_some() {
            st.open = None;
        }
        let msg = match ending {
            Some(Ending::Submitted) if valid => {
                st.accepted = Some((round, hash.to_owned()));
                ServerMessage::SubmissionAccepted {
                    round,
                    hash: hash.to_owned(),
                }
            }
            Some(Ending::Submitted | Ending::LastRejected) => ServerMessage::SubmissionRejected {
                round,
                reason: reason.to_owned(),
            },
            // Nothing was submitted (the previous codebase plays; the notes
            // in round_finished say so), or not a remote edit at all.
            Some(Ending::NothingInTime) | None => return,
        };
        // Sent under the lock so a joining connection sees it exactly once.
        seat.send(&msg);
        drop(st);
    }

    fn round_finished(&self, tournament: i64, round: u32, results: &RoundResults) {
        let Some(rt) = self.rt(tournament) else {
            return;
        };
        for seat in rt.seats.values() {
            seat.send(&ServerMessage::RoundFinished {
                tournament,
                round,
                results: results.view_for(&seat.name, rt.cfg.transparent),
            });
        }
    }

    fn tournament_finished(&self, tournament: i64, standings: &Standings) {
        let Some(rt) = self.rt(tournament) else {
            return;
        };
        // Stored as finished already; say so before the agents hear it.
        *lock(&rt.control) = TournamentState::Finished;
        let msg = finished_message(tournament, standings.clone());
        *lock(&rt.finished) = Some(msg.clone());
        for seat in rt.seats.values() {
            let _ = seat.outbox.send(msg.clone());
        }
    }

    fn live_game(
        &self,
        tournament: i64,
        round: u32,
        sim: u32,
        header: &ReplayHeader,
    ) -> Option<Box<dyn LiveSink>> {
        let game = self.hub.live.open(GameInfo {
            tournament,
            round,
            sim,
            header: wire_header(header),
            transparent: self.rt(tournament).is_some_and(|rt| rt.cfg.transparent),
            spectator_token: self
                .rt(tournament)
                .and_then(|rt| rt.cfg.spectator_token.as_ref().map(|t| t.hash())),
        });
        Some(Box::new(Sink(game)))
    }
}

/// The server's working directory, for relative paths in configs.
pub fn current_dir() -> PathBuf {
    std::env::current_dir().unwrap_or_else(|_| Path::new(".").to_path_buf())
}

/// A replay's header as the wire shows it: the seed as a string, the
/// result typed (a result that does not read as one is left out).
pub fn wire_header(h: &ReplayHeader) -> GameHeader {
    GameHeader {
        format_version: h.format_version,
        game: h.game.clone(),
        rules_version: h.rules_version.clone(),
        seed: Seed(h.seed),
        players: h
            .players
            .iter()
            .map(|p| HeaderPlayer {
                seat: p.seat,
                name: p.name.clone(),
                codebase_hash: Some(p.codebase_hash.clone()),
            })
            .collect(),
        settings: h.settings.clone(),
        result: h.result.clone(),
    }
}
