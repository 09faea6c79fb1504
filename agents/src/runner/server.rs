//! [`BotServer`]: one sandboxed HTTP bot process serving every game of a round
//! at once, restarted (a new sandbox) when it dies.
//!
//! Each process the server starts is a *generation* (0, 1, ...), a
//! [`BotProcess`] with `Protocol::Http` behind its own lock. A game is bound
//! to the generation that served its first request (its `game.id`); if that
//! generation dies, every later request of the game returns the reason it
//! died for, so the crash is recorded on the games it broke, while new games
//! are served by the next generation. Restarts are limited per round
//! ([`ServerLimits::restarts`]); past the limit the bot stays dead and every
//! request returns its last reason.
//!
//! Requests take `&self`: each opens its own connection through the
//! generation's network-namespace thread and waits for it without any lock;
//! locks are only held to look up or update the round's state.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use serde_json::Value;

use super::exchange::{HttpFailure, call_http};
use super::http::Endpoint;
use super::limits::Limits;
use super::process::{BotProcess, Protocol};
use super::reason::{Latency, StopReason, StopReport};

/// What a round-long server may do beyond one process's [`Limits`].
/// How many games are in flight at once is the caller's business (each
/// request is one connection and one waiting thread of the caller's).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ServerLimits {
    /// New processes the server may start after the first one died, over the
    /// whole round. A failed restart (it crashed or timed out on start)
    /// counts too, so a bot that dies at once cannot loop.
    pub restarts: u32,
}

impl Default for ServerLimits {
    fn default() -> Self {
        ServerLimits { restarts: 3 }
    }
}

/// How long to wait for the process to be reaped after a connection broke
/// before calling the broken answer a protocol error of that one request.
const DEATH_GRACE: Duration = Duration::from_millis(500);

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// One process of the round.
struct Generation {
    number: u64,
    /// The pid of its launch chain (host pid namespace).
    pid: u32,
    info: Option<Value>,
    proc: Mutex<Life>,
}

struct Life {
    /// `None` once it is dead and reaped.
    bot: Option<BotProcess>,
    /// `None` once dead: in-flight requests keep their own clone.
    endpoint: Option<Endpoint>,
    /// Set once, when it is found dead (or killed for breaking the protocol).
    report: Option<StopReport>,
}

impl Generation {
    fn new(number: u64, mut bot: BotProcess) -> Generation {
        let endpoint = bot.endpoint.take();
        Generation {
            number,
            pid: bot.pid(),
            info: bot.info().cloned(),
            proc: Mutex::new(Life {
                bot: Some(bot),
                endpoint,
                report: None,
            }),
        }
    }

    /// The endpoint while it lives; the reason it died otherwise.
    fn endpoint(&self) -> Result<Endpoint, StopReason> {
        let mut life = lock(&self.proc);
        if let Some(r) = Self::check(&mut life) {
            return Err(r);
        }
        life.endpoint
            .clone()
            .ok_or_else(|| StopReason::RunnerError {
                what: "HTTP bot without endpoint".into(),
            })
    }

    /// If it has died (or broke a limit the runner watches), why.
    fn dead(&self) -> Option<StopReason> {
        Self::check(&mut lock(&self.proc))
    }

    fn check(life: &mut Life) -> Option<StopReason> {
        if let Some(r) = &life.report {
            return Some(r.reason.clone());
        }
        let reason = life.bot.as_mut()?.dead_reason()?;
        Some(Self::bury(life, reason))
    }

    /// Kills it (if it is not dead yet) for `reason`, reaps it, removes its
    /// sandbox and keeps its report; returns the reason it is recorded with.
    fn bury(life: &mut Life, reason: StopReason) -> StopReason {
        if let Some(r) = &life.report {
            return r.reason.clone();
        }
        life.endpoint = None;
        let Some(mut bot) = life.bot.take() else {
            return reason;
        };
        bot.fail(reason);
        let report = bot.stop();
        let reason = report.reason.clone();
        life.report = Some(report);
        reason
    }

    fn kill(&self, reason: StopReason) -> StopReason {
        Self::bury(&mut lock(&self.proc), reason)
    }

    /// Waits up to `grace` for the process to end (a broken connection is
    /// usually a dying bot whose exit status is not there yet).
    fn dead_within(&self, grace: Duration) -> Option<StopReason> {
        let end = Instant::now() + grace;
        loop {
            if let Some(r) = self.dead() {
                return Some(r);
            }
            if Instant::now() >= end {
                return None;
            }
            std::thread::sleep(Duration::from_millis(2));
        }
    }

    /// Its report: it is stopped first (`Ended`) if it still runs. Games
    /// bound to it then get that reason.
    fn stop(&self) -> Option<StopReport> {
        let mut life = lock(&self.proc);
        if life.report.is_none() {
            life.endpoint = None;
            life.report = life.bot.take().map(BotProcess::stop);
        }
        life.report.clone()
    }
}

enum Game {
    /// Served by this generation (while it lives).
    On(Arc<Generation>),
    /// Broke (its generation died, or the bot answered it wrongly): every
    /// later request of the game returns this.
    Failed(StopReason),
}

struct State {
    /// The generation new games go to; `None` after a failed restart.
    current: Option<Arc<Generation>>,
    /// Processes started so far (the next generation's number).
    started: u64,
    /// Restarts used (successful or not).
    restarts: u32,
    /// Why the last process (or the last start) failed.
    last_reason: Option<StopReason>,
    /// Reports of generations that died, and of failed restarts.
    dead: Vec<(u64, StopReport)>,
    games: HashMap<String, Game>,
}

/// One sandboxed HTTP bot process serving every game of a round; see the
/// module documentation. `Sync`: share it as `Arc<BotServer>` between the
/// round's game threads.
pub struct BotServer {
    dir: PathBuf,
    command: Vec<String>,
    port: u16,
    limits: Limits,
    server_limits: ServerLimits,
    state: Mutex<State>,
    /// Held while a new process starts, so that one restart serves all the
    /// games waiting for it.
    restarting: Mutex<()>,
    latency: Mutex<Latency>,
    since: Instant,
}

/// `game.id` of a Battlesnake message.
fn game_id(msg: &Value) -> Option<&str> {
    msg.get("game")?.get("id")?.as_str()
}

impl BotServer {
    /// Starts the bot (as [`BotProcess::start`] with `Protocol::Http { port }`)
    /// and waits until `GET /` answers, with the default [`ServerLimits`].
    pub fn start(
        codebase_dir: &Path,
        command: &[String],
        port: u16,
        limits: &Limits,
    ) -> Result<BotServer, Box<StopReport>> {
        Self::start_with(codebase_dir, command, port, limits, ServerLimits::default())
    }

    /// [`start`](Self::start) with explicit server limits.
    pub fn start_with(
        codebase_dir: &Path,
        command: &[String],
        port: u16,
        limits: &Limits,
        server_limits: ServerLimits,
    ) -> Result<BotServer, Box<StopReport>> {
        let since = Instant::now();
        let bot = BotProcess::start(codebase_dir, command, Protocol::Http { port }, limits)?;
        Ok(BotServer {
            dir: codebase_dir.to_path_buf(),
            command: command.to_vec(),
            port,
            limits: limits.clone(),
            server_limits,
            state: Mutex::new(State {
                current: Some(Arc::new(Generation::new(0, bot))),
                started: 1,
                restarts: 0,
                last_reason: None,
                dead: Vec::new(),
                games: HashMap::new(),
            }),
            restarting: Mutex::new(()),
            latency: Mutex::new(Latency::default()),
            since,
        })
    }

    /// Sends `msg` (`POST /<type>`, as [`BotProcess::request`]) and waits at
    /// most `deadline` for the answer, concurrently with any other request.
    ///
    /// `Ok(Some(answer))`; `Ok(None)`: no answer in time, the bot misses this
    /// turn only and plays on (as [`BotProcess::request_or_late`]);
    /// `Err(reason)`: the game is over for this bot: its process died (every
    /// game it was serving gets the same reason), or it answered this game
    /// against the protocol (that game only). Later requests of the game
    /// return the same reason. The first request of a new game (by
    /// `game.id`) after the process died starts a new one, if restarts are
    /// left; its deadline counts once the new process is ready.
    ///
    /// A message without `game.id` is served like a new game each time.
    pub fn request(&self, msg: &Value, deadline: Duration) -> Result<Option<Value>, StopReason> {
        let game = game_id(msg);
        let generation = self.generation_for(game)?;
        let endpoint = match generation.endpoint() {
            Ok(e) => e,
            Err(r) => return Err(self.fail_game(game, r)),
        };
        let t0 = Instant::now();
        let outcome = call_http(&endpoint, msg, t0 + deadline, self.limits.max_message_bytes);
        drop(endpoint);
        match outcome {
            Ok(v) => {
                lock(&self.latency).record(t0.elapsed());
                if msg.get("type").and_then(Value::as_str) == Some("end")
                    && let Some(id) = game
                {
                    lock(&self.state).games.remove(id);
                }
                Ok(Some(v))
            }
            Err(HttpFailure::Late) => match generation.dead() {
                Some(r) => Err(self.fail_game(game, r)),
                None => {
                    lock(&self.latency).record(t0.elapsed());
                    Ok(None)
                }
            },
            Err(HttpFailure::Answer(r)) => Err(self.fail_game(game, r)),
            Err(HttpFailure::Connect(what)) => {
                // A live server that no longer accepts connections is broken
                // for every game: end this process.
                let r = match generation.dead_within(DEATH_GRACE) {
                    Some(r) => r,
                    None => generation.kill(StopReason::ProtocolError { what }),
                };
                Err(self.fail_game(game, r))
            }
            Err(HttpFailure::Broken(what)) => {
                let r = generation
                    .dead_within(DEATH_GRACE)
                    .unwrap_or(StopReason::ProtocolError { what });
                Err(self.fail_game(game, r))
            }
        }
    }

    /// Records that `game` broke with `reason`; returns the reason.
    fn fail_game(&self, game: Option<&str>, reason: StopReason) -> StopReason {
        if let Some(id) = game {
            let mut st = lock(&self.state);
            st.games
                .insert(id.to_string(), Game::Failed(reason.clone()));
        }
        reason
    }

    /// The generation serving `game`: its own (or its failure), or for a new
    /// game the current one, restarted first if it is dead.
    fn generation_for(&self, game: Option<&str>) -> Result<Arc<Generation>, StopReason> {
        if let Some(id) = game {
            // A known game stays on its generation; whether that one died is
            // found out when its endpoint is asked for.
            match lock(&self.state).games.get(id) {
                Some(Game::Failed(r)) => return Err(r.clone()),
                Some(Game::On(g)) => return Ok(g.clone()),
                None => {}
            }
        }
        loop {
            if let Some(g) = self.live_current() {
                if let Some(id) = game {
                    let mut st = lock(&self.state);
                    st.games.insert(id.to_string(), Game::On(g.clone()));
                }
                return Ok(g);
            }
            // The current process is dead (or a restart failed): start the
            // next one, unless another request did while this one waited.
            let _one = lock(&self.restarting);
            if self.live_current().is_some() {
                continue;
            }
            if let Err(r) = self.restart() {
                return Err(self.fail_game(game, r));
            }
        }
    }

    /// The current generation if it still runs; if it died, its reason
    /// becomes the server's last one.
    fn live_current(&self) -> Option<Arc<Generation>> {
        let g = lock(&self.state).current.clone()?;
        match g.dead() {
            None => Some(g),
            Some(r) => {
                lock(&self.state).last_reason = Some(r);
                None
            }
        }
    }

    /// Starts the next generation if restarts are left (the caller holds
    /// `restarting` and saw the current one dead or missing).
    fn restart(&self) -> Result<(), StopReason> {
        let (number, old) = {
            let mut st = lock(&self.state);
            let last = st.last_reason.clone().unwrap_or(StopReason::Ended);
            if st.restarts >= self.server_limits.restarts {
                return Err(last);
            }
            st.restarts += 1;
            let number = st.started;
            st.started += 1;
            (number, st.current.take())
        };
        if let Some(old) = old
            && let Some(report) = old.stop()
        {
            lock(&self.state).dead.push((old.number, report));
        }
        tracing::info!(
            "restarting bot {} (generation {number})",
            self.dir.display()
        );
        let started = BotProcess::start(
            &self.dir,
            &self.command,
            Protocol::Http { port: self.port },
            &self.limits,
        );
        let mut st = lock(&self.state);
        match started {
            Ok(bot) => {
                st.current = Some(Arc::new(Generation::new(number, bot)));
                Ok(())
            }
            Err(report) => {
                let reason = report.reason.clone();
                st.last_reason = Some(reason.clone());
                st.dead.push((number, *report));
                Err(reason)
            }
        }
    }

    /// What the bot answered to `GET /` (its latest process).
    pub fn info(&self) -> Option<Value> {
        lock(&self.state).current.as_ref()?.info.clone()
    }

    /// Every request's latency over the round (late ones count their full
    /// deadline; failed ones are not recorded).
    pub fn latency(&self) -> Latency {
        lock(&self.latency).clone()
    }

    /// The current process's generation (0 for the first; it changes when
    /// a restart succeeds).
    pub fn generation(&self) -> Option<u64> {
        Some(lock(&self.state).current.as_ref()?.number)
    }

    /// The pid of the current process's launch chain.
    pub fn pid(&self) -> Option<u32> {
        Some(lock(&self.state).current.as_ref()?.pid)
    }

    /// Restarts used so far (failed ones included).
    pub fn restarts(&self) -> u32 {
        lock(&self.state).restarts
    }

    /// Why each earlier generation (or failed restart) ended, oldest first,
    /// as far as a request found out.
    pub fn deaths(&self) -> Vec<(u64, StopReason)> {
        let (mut out, current) = {
            let st = lock(&self.state);
            let out: Vec<_> = st
                .dead
                .iter()
                .map(|(n, r)| (*n, r.reason.clone()))
                .collect();
            (out, st.current.clone())
        };
        if let Some(g) = current
            && let Some(r) = g.dead()
        {
            out.push((g.number, r));
        }
        out
    }

    /// What is kept of the current process's stderr and stdout.
    pub fn log_text(&self) -> String {
        let current = lock(&self.state).current.clone();
        current
            .and_then(|g| lock(&g.proc).bot.as_ref().map(BotProcess::log_text))
            .unwrap_or_default()
    }

    /// Ends the round: kills the current process (`Ended`) and reports on
    /// the whole round: the last process's reason and log (earlier
    /// generations' logs before it, each under a header), CPU time summed
    /// over every process, the largest peak memory, every request's
    /// latency, and the wall time since [`start`](Self::start).
    pub fn stop(self) -> StopReport {
        let st = self.state.into_inner().unwrap_or_else(|e| e.into_inner());
        let mut reports = st.dead;
        if let Some(g) = st.current
            && let Some(r) = g.stop()
        {
            reports.push((g.number, r));
        }
        let latency = self.latency.into_inner().unwrap_or_else(|e| e.into_inner());
        let reason = reports
            .last()
            .map(|(_, r)| r.reason.clone())
            .unwrap_or(StopReason::Ended);
        let several = reports.len() > 1;
        let mut stderr_tail = String::new();
        let mut stderr_bytes = 0;
        let mut cpu_time: Option<Duration> = None;
        let mut peak_memory: Option<u64> = None;
        for (n, r) in &reports {
            if several {
                stderr_tail.push_str(&format!("[generation {n}: {}]\n", r.reason));
            }
            stderr_tail.push_str(&r.stderr_tail);
            stderr_bytes += r.stderr_bytes;
            if let Some(c) = r.cpu_time {
                cpu_time = Some(cpu_time.unwrap_or_default() + c);
            }
            peak_memory = peak_memory.max(r.peak_memory);
        }
        StopReport {
            reason,
            stderr_tail,
            stderr_bytes,
            cpu_time,
            peak_memory,
            latency,
            wall_time: self.since.elapsed(),
        }
    }
}
