//! `arena agent`: the reference agent client. It joins `arena serve` over
//! the websocket with a player's token and plays that player's edit phases
//! with a shell command (docs/protocol.md, "agent").
//!
//! Each `round_started` replaces the contents of the work folder with the
//! codebase (its own `.git/` stays, so an agent's history survives), writes
//! `.arena/results.json` and `.arena/logs.txt`, runs `sh -c COMMAND` there
//! (see [`crate::shell`]) and submits the folder as it is afterwards, minus
//! `.arena/` and `.git/`. A rejected submission is edited again (the reason
//! in `.arena/rejected.txt`) while time and attempts are left. In a
//! `transparent` tournament the other players' codebases, as they played
//! the last round, are in `.arena/opponents/NAME/` too.
//!
//! The command sees `ARENA_ROUND`, `ARENA_TOURNAMENT` (the tournament's id),
//! `ARENA_PLAYER`, `ARENA_DEADLINE_UNIX_MS` (the round's deadline on the
//! server), `ARENA_DEADLINE_SECS` (whole seconds before the command is
//! killed: the deadline less a safety margin for the upload), and
//! `ARENA_RESULTS`, `ARENA_LOGS`, and on a retry `ARENA_REJECTED` (relative
//! paths of the files in `.arena/`).
//!
//! The client is blocking and speaks plain `ws://` only. A lost connection
//! is reopened with backoff and the same token; nothing is lost, as the
//! server sends the open round again (docs/protocol.md, "Disconnects").

use std::collections::{BTreeMap, VecDeque};
use std::io::Write;
use std::net::{TcpStream, ToSocketAddrs};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use tungstenite::client::IntoClientRequest;
use tungstenite::{Message, WebSocket};

use crate::codebase::{Limits, Snapshot};
use crate::protocol::{
    ClientMessage, ErrorCode, PROTOCOL_VERSION, Role, RoundResults, ServerMessage, Standings,
    WireCodebase, parse_server_message,
};
use crate::shell::{ARENA_DIR, Outcome, Shell, remove_any, write_arena_dir};

/// The environment variable `arena agent` reads the token from.
pub const TOKEN_ENV: &str = "ARENA_AGENT_TOKEN";
/// Edits of one round, counting the first: a command that keeps producing
/// rejected codebases is not rerun forever.
pub const MAX_ATTEMPTS: u32 = 3;
/// The folder the agent's own history lives in; never replaced or submitted.
const GIT_DIR: &str = ".git";
/// The file a retried edit finds the validator's reason in.
const REJECTED_FILE: &str = "rejected.txt";

/// The first wait before reconnecting; it doubles up to [`MAX_BACKOFF`].
const FIRST_BACKOFF: Duration = Duration::from_millis(200);
const MAX_BACKOFF: Duration = Duration::from_secs(5);
/// A connection that lasted this long starts the backoff over.
const STEADY_CONNECTION: Duration = Duration::from_secs(10);
/// How long opening a connection (TCP, websocket handshake, `welcome`) may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// A quiet connection is pinged this often, so a dead one is noticed.
const PING_EVERY: Duration = Duration::from_secs(20);
/// A connection silent this long (pings unanswered) is given up and reopened.
const SILENCE_LIMIT: Duration = Duration::from_secs(60);
/// Less time than this before the kill is not worth starting the command.
const MIN_EDIT_TIME: Duration = Duration::from_millis(500);

/// What `arena agent` was asked to do.
#[derive(Clone, Debug)]
pub struct AgentOptions {
    /// `ws://host:port/ws`; `http://` is read as `ws://`, and a URL without
    /// a path gets `/ws`.
    pub server: String,
    /// The token `register_agent` returned for this player.
    pub token: String,
    /// The folder the codebase is written to and the command runs in.
    pub workdir: PathBuf,
    /// The shell command that edits the codebase in its current folder.
    pub edit_command: String,
    /// How long to keep trying to reconnect before giving up.
    pub give_up_after: Duration,
    /// The limits the folder is read back within before submitting.
    pub limits: Limits,
}

impl AgentOptions {
    /// Options with the defaults: give up after 60 s offline, default limits.
    pub fn new(
        server: impl Into<String>,
        token: impl Into<String>,
        workdir: impl Into<PathBuf>,
        edit_command: impl Into<String>,
    ) -> AgentOptions {
        AgentOptions {
            server: server.into(),
            token: token.into(),
            workdir: workdir.into(),
            edit_command: edit_command.into(),
            give_up_after: Duration::from_secs(60),
            limits: Limits::default(),
        }
    }
}

/// The end of a tournament, as `tournament_finished` gave it.
#[derive(Clone, Debug, PartialEq)]
pub struct Finished {
    pub tournament: i64,
    pub standings: Standings,
}

/// Why `arena agent` stopped before the tournament finished; each says
/// what to do.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    #[error("--server {url:?}: {reason}")]
    BadUrl { url: String, reason: String },
    #[error(
        "the token is empty: pass --token or set ${TOKEN_ENV} to the token register_agent returned"
    )]
    NoToken,
    #[error(
        "--edit: the command is empty; give the shell command that edits the codebase in its current folder, e.g. --edit './my-agent'"
    )]
    NoCommand,
    #[error("--workdir {}: {reason}", path.display())]
    Workdir { path: PathBuf, reason: String },
    #[error(
        "the server did not accept the token ({message}); check --token (or ${TOKEN_ENV}) is the token register_agent returned for this player"
    )]
    BadToken { message: String },
    #[error("tournament {tournament} was cancelled by an admin; nothing more will be played in it")]
    Cancelled { tournament: i64 },
    #[error("the server refused this client ({code}): {message}")]
    Refused { code: String, message: String },
    #[error(
        "no connection to {url} for {} s (last: {last}); check that arena serve is running there, then run arena agent again",
        after.as_secs()
    )]
    GaveUp {
        url: String,
        after: Duration,
        last: String,
    },
}

/// Plays the player's edit phases until the tournament finishes, printing
/// what happens to `out` (a line for each step).
pub fn run(opts: &AgentOptions, out: &mut dyn Write) -> Result<Finished, ClientError> {
    let url = websocket_url(&opts.server)?;
    if opts.token.trim().is_empty() {
        return Err(ClientError::NoToken);
    }
    if opts.edit_command.trim().is_empty() {
        return Err(ClientError::NoCommand);
    }
    prepare_workdir(&opts.workdir).map_err(|reason| ClientError::Workdir {
        path: opts.workdir.clone(),
        reason,
    })?;
    Agent {
        opts,
        url,
        out,
        player: String::new(),
        tournament: 0,
        round: None,
        backlog: VecDeque::new(),
    }
    .run()
}

/// The websocket URL for `server`: `ws://` as is, `http://` (or no scheme)
/// read as `ws://`, `/ws` added when there is no path; TLS is refused.
pub fn websocket_url(server: &str) -> Result<String, ClientError> {
    let bad = |reason: &str| ClientError::BadUrl {
        url: server.to_owned(),
        reason: reason.to_owned(),
    };
    let server = server.trim();
    let rest = match server.split_once("://") {
        Some(("ws" | "http", rest)) => rest,
        Some(("wss" | "https", _)) => {
            return Err(bad(
                "arena agent speaks plain ws:// only, not TLS; connect to the server's plain port (e.g. through an SSH tunnel: ssh -L 8080:127.0.0.1:8080 HOST, then ws://127.0.0.1:8080/ws)",
            ));
        }
        Some(_) => return Err(bad("give a ws:// URL, e.g. ws://127.0.0.1:8080/ws")),
        None => server,
    };
    let (host, path) = match rest.find('/') {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    if host.is_empty() {
        return Err(bad("no host; e.g. ws://127.0.0.1:8080/ws"));
    }
    let path = if path.is_empty() || path == "/" {
        "/ws"
    } else {
        path
    };
    Ok(format!("ws://{host}{path}"))
}

/// Makes the work folder if missing. A folder with other files is refused
/// unless an earlier `arena agent` used it (it holds `.arena/`): every
/// round replaces its contents, which must never be someone's files.
fn prepare_workdir(dir: &Path) -> Result<(), String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create it: {e}"))?;
    let mut foreign = Vec::new();
    let entries = std::fs::read_dir(dir).map_err(|e| format!("cannot read it: {e}"))?;
    let mut ours = false;
    for entry in entries {
        let entry = entry.map_err(|e| format!("cannot read it: {e}"))?;
        let name = entry.file_name();
        if name == ARENA_DIR {
            ours = true;
        } else if name != GIT_DIR {
            foreign.push(name.to_string_lossy().into_owned());
        }
    }
    if !ours && !foreign.is_empty() {
        foreign.sort();
        foreign.truncate(5);
        return Err(format!(
            "the folder holds files ({}, ...) and was not made by arena agent; every round replaces its contents with the codebase, so give an empty or new folder",
            foreign.join(", ")
        ));
    }
    // Marks the folder as ours, so a restarted client may use it again.
    std::fs::create_dir_all(dir.join(ARENA_DIR))
        .map_err(|e| format!("cannot create {ARENA_DIR}/ in it: {e}"))
}

type Socket = WebSocket<TcpStream>;

/// Why a connection ended without the tournament finishing.
enum Stop {
    /// Reconnect and carry on.
    Disconnected(String),
    /// Give up: retrying cannot help.
    Fatal(ClientError),
}

/// What the client knows of the open edit phase.
struct Round {
    number: u32,
    deadline_unix_ms: u64,
    results: RoundResults,
    logs: String,
    /// Edits run this round, the first included.
    attempts: u32,
    /// A submission sent and not yet answered: sent again after a reconnect
    /// (resubmitting the same codebase is harmless).
    unanswered: Option<WireCodebase>,
    /// The hash of the accepted submission: final for the round.
    accepted: Option<String>,
    /// Other players' codebases (transparent tournaments only).
    opponents: Vec<(String, Snapshot)>,
}

/// One run of the edit command: what it is shown and how long it has.
struct EditPlan {
    round: u32,
    /// 1 for the first edit of the round.
    attempt: u32,
    /// Time before the command is killed.
    budget: Duration,
    deadline_unix_ms: u64,
    results: RoundResults,
    logs: String,
    opponents: Vec<(String, Snapshot)>,
}

/// Where a transparent tournament's other codebases go, inside `.arena/`.
const OPPONENTS_DIR: &str = "opponents";

/// Writes `.arena/` for an edit: the results, the logs, the other players'
/// codebases when the tournament shows them, and on a retry the reason the
/// last submission was rejected.
fn write_edit_files(dir: &Path, plan: &EditPlan, rejected: Option<&str>) -> Result<(), String> {
    let arena = write_arena_dir(dir, &plan.results, &plan.logs)?;
    for (name, codebase) in &plan.opponents {
        let to = arena.join(OPPONENTS_DIR).join(name);
        std::fs::create_dir_all(&to)
            .and_then(|()| codebase.write_to(&to))
            .map_err(|e| format!("cannot write {}: {e}", to.display()))?;
    }
    match rejected {
        Some(reason) => std::fs::write(arena.join(REJECTED_FILE), reason)
            .map_err(|e| format!("cannot write {}: {e}", arena.display())),
        None => Ok(()),
    }
}

struct Agent<'a> {
    opts: &'a AgentOptions,
    url: String,
    out: &'a mut dyn Write,
    player: String,
    tournament: i64,
    round: Option<Round>,
    /// Messages read while waiting for another (they come next).
    backlog: VecDeque<ServerMessage>,
}

impl Agent<'_> {
    /// Prints one line. Output that cannot be written is no reason to stop
    /// playing.
    fn say(&mut self, line: impl std::fmt::Display) {
        let _ = writeln!(self.out, "{line}");
        let _ = self.out.flush();
    }

    /// Connects, plays, and reconnects with backoff until the tournament
    /// finishes or no connection succeeds for `give_up_after`.
    fn run(mut self) -> Result<Finished, ClientError> {
        let mut backoff = FIRST_BACKOFF;
        let mut offline_since = Instant::now();
        loop {
            let (why, connected) = match self.connect() {
                Ok(mut ws) => {
                    let connected_at = Instant::now();
                    let ended = self.play(&mut ws);
                    // A server that drops every connection at once is not
                    // hammered: only a connection that lasted resets the wait.
                    if connected_at.elapsed() >= STEADY_CONNECTION {
                        backoff = FIRST_BACKOFF;
                    }
                    // A close frame is a courtesy; the server may be gone already.
                    let _ = ws.close(None);
                    let _ = ws.flush();
                    match ended {
                        Ok(finished) => return Ok(finished),
                        Err(Stop::Fatal(e)) => return Err(e),
                        Err(Stop::Disconnected(why)) => {
                            offline_since = Instant::now();
                            (why, true)
                        }
                    }
                }
                Err(Stop::Fatal(e)) => return Err(e),
                Err(Stop::Disconnected(why)) => (why, false),
            };
            let offline = offline_since.elapsed();
            if offline >= self.opts.give_up_after {
                return Err(ClientError::GaveUp {
                    url: self.url.clone(),
                    after: offline,
                    last: why,
                });
            }
            let wait = backoff.min(self.opts.give_up_after - offline);
            let line = if connected {
                format!("disconnected ({why}); reconnecting")
            } else {
                format!(
                    "cannot connect to {} ({why}); retrying in {:.1} s",
                    self.url,
                    wait.as_secs_f64()
                )
            };
            self.say(line);
            std::thread::sleep(wait);
            backoff = (backoff * 2).min(MAX_BACKOFF);
        }
    }

    /// Opens a connection and says `hello`; done at `welcome`.
    fn connect(&mut self) -> Result<Socket, Stop> {
        let mut ws = open_socket(&self.url).map_err(Stop::Disconnected)?;
        send(
            &mut ws,
            &ClientMessage::Hello {
                role: Role::Agent,
                token: Some(self.opts.token.clone()),
                protocol_version: PROTOCOL_VERSION,
            },
        )?;
        let started = Instant::now();
        loop {
            if started.elapsed() > CONNECT_TIMEOUT {
                return Err(Stop::Disconnected("no answer to hello".into()));
            }
            match receive(&mut ws, &mut Instant::now())? {
                Some(ServerMessage::Welcome {
                    role: Role::Agent,
                    player: Some(player),
                    tournament: Some(tournament),
                    ..
                }) => {
                    // From now on a read timeout is a moment to ping, not a failure.
                    ws.get_ref()
                        .set_read_timeout(Some(PING_EVERY))
                        .map_err(|e| {
                            Stop::Disconnected(format!("cannot set up the socket: {e}"))
                        })?;
                    self.say(format!("joined tournament {tournament} as {player}"));
                    self.player = player;
                    self.tournament = tournament;
                    return Ok(ws);
                }
                Some(ServerMessage::Welcome { role, .. }) => {
                    return Err(Stop::Fatal(ClientError::Refused {
                        code: "welcome".into(),
                        message: format!(
                            "the token was welcomed as {} without a player and tournament; use a token register_agent returned",
                            role.as_str()
                        ),
                    }));
                }
                Some(ServerMessage::Error { code, message, .. }) => {
                    return Err(hello_refused(code, message));
                }
                Some(other) => {
                    self.say(format!("ignoring `{}` before welcome", other.type_name()));
                }
                None => {}
            }
        }
    }

    /// Plays over one connection until the tournament finishes or the
    /// connection ends.
    fn play(&mut self, ws: &mut Socket) -> Result<Finished, Stop> {
        let mut last_heard = Instant::now();
        loop {
            let msg = match self.backlog.pop_front() {
                Some(m) => m,
                None => match receive(ws, &mut last_heard)? {
                    Some(m) => m,
                    None => continue,
                },
            };
            match msg {
                ServerMessage::RoundStarted {
                    tournament,
                    round,
                    deadline_unix_ms,
                    results,
                    logs,
                    codebase,
                } => {
                    self.tournament = tournament;
                    self.round_started(ws, round, deadline_unix_ms, results, logs, &codebase)?;
                    // The edit took a while, and that was not silence.
                    last_heard = Instant::now();
                }
                ServerMessage::SubmissionAccepted { round, hash } => {
                    self.submission_accepted(round, hash);
                }
                ServerMessage::SubmissionRejected { round, reason } => {
                    self.submission_rejected(ws, round, &reason)?;
                    last_heard = Instant::now();
                }
                ServerMessage::RoundFinished { results, .. } => {
                    let line = results.summary_for(&self.player);
                    self.say(line);
                }
                ServerMessage::TournamentCancelled { tournament } => {
                    return Err(Stop::Fatal(ClientError::Cancelled { tournament }));
                }
                ServerMessage::TournamentFinished {
                    tournament,
                    standings,
                } => {
                    self.say(format!("tournament {tournament} finished; standings:"));
                    for line in standings_lines(&standings) {
                        self.say(format!("  {line}"));
                    }
                    return Ok(Finished {
                        tournament,
                        standings,
                    });
                }
                ServerMessage::Error {
                    code,
                    message,
                    in_reply_to,
                } => self.server_error(code, &message, in_reply_to.as_deref()),
                other => self.say(format!("ignoring `{}`", other.type_name())),
            }
        }
    }

    fn round_started(
        &mut self,
        ws: &mut Socket,
        number: u32,
        deadline_unix_ms: u64,
        results: RoundResults,
        logs: String,
        codebase: &WireCodebase,
    ) -> Result<(), Stop> {
        if let Some(round) = self.round.as_mut().filter(|r| r.number == number) {
            // The same phase again, after a reconnect.
            round.deadline_unix_ms = deadline_unix_ms;
            if let Some(hash) = &round.accepted {
                let line = format!(
                    "round {number}: already submitted {} (accepted); waiting for the round to finish",
                    short(hash)
                );
                self.say(line);
                return Ok(());
            }
            if let Some(codebase) = round.unanswered.clone() {
                self.say(format!(
                    "round {number}: sending the unanswered submission again"
                ));
                return self.submit(ws, number, codebase);
            }
            return self.edit(ws, None);
        }
        let opponents = self.fetch_opponents(ws, &results)?;
        self.round = Some(Round {
            number,
            deadline_unix_ms,
            results,
            logs,
            attempts: 0,
            unanswered: None,
            accepted: None,
            opponents,
        });
        self.say(format!(
            "round {number}: started; deadline in {:.0} s",
            time_left(deadline_unix_ms).as_secs_f64()
        ));
        if let Err(why) = self.write_codebase(codebase) {
            self.say(format!(
                "round {number}: cannot put the codebase into {}: {why}; fix the folder (the previous codebase plays)",
                self.opts.workdir.display()
            ));
            return Ok(());
        }
        self.edit(ws, None)
    }

    /// In a transparent tournament (the results show other players'
    /// codebase hashes), asks for their codebases as they played; messages
    /// that come meanwhile wait in the backlog.
    fn fetch_opponents(
        &mut self,
        ws: &mut Socket,
        results: &RoundResults,
    ) -> Result<Vec<(String, Snapshot)>, Stop> {
        let others: Vec<String> = results
            .standings
            .iter()
            .filter(|row| row.codebase.is_some() && row.player != self.player)
            .map(|row| row.player.clone())
            .collect();
        let mut got = Vec::new();
        for name in others {
            send(
                ws,
                &ClientMessage::GetCodebase {
                    player: name.clone(),
                    round: None,
                },
            )?;
            let mut last_heard = Instant::now();
            loop {
                let Some(msg) = receive(ws, &mut last_heard)? else {
                    continue;
                };
                match msg {
                    ServerMessage::Codebase {
                        player, codebase, ..
                    } if player == name => {
                        match codebase.to_snapshot(&self.opts.limits) {
                            Ok(s) => got.push((name.clone(), s)),
                            Err(e) => self.say(format!("{name}'s codebase is unusable: {e}")),
                        }
                        break;
                    }
                    ServerMessage::Error {
                        code,
                        message,
                        in_reply_to,
                    } if in_reply_to.as_deref() == Some("get_codebase") => {
                        self.say(format!("no codebase of {name} ({code}: {message})"));
                        break;
                    }
                    other => self.backlog.push_back(other),
                }
            }
        }
        Ok(got)
    }

    /// Makes the work folder hold exactly `codebase`, besides `.git/` and
    /// `.arena/` (rewritten before each edit).
    fn write_codebase(&mut self, codebase: &WireCodebase) -> Result<(), String> {
        let snapshot = codebase
            .to_snapshot(&self.opts.limits)
            .map_err(|e| format!("the server sent a codebase this client cannot use: {e}"))?;
        let dir = &self.opts.workdir;
        let entries = std::fs::read_dir(dir).map_err(|e| format!("cannot read it: {e}"))?;
        for entry in entries {
            let entry = entry.map_err(|e| format!("cannot read it: {e}"))?;
            let name = entry.file_name();
            if name != GIT_DIR && name != ARENA_DIR {
                remove_any(&entry.path())
                    .map_err(|e| format!("cannot remove {}: {e}", entry.path().display()))?;
            }
        }
        // Files the client keeps for itself are not the codebase's to write
        // (they would not be read back either).
        let (kept, skipped): (BTreeMap<_, _>, BTreeMap<_, _>) =
            snapshot.files().clone().into_iter().partition(|(path, _)| {
                !(path.starts_with(&format!("{GIT_DIR}/"))
                    || path.starts_with(&format!("{ARENA_DIR}/")))
            });
        if !skipped.is_empty() {
            let names: Vec<_> = skipped.keys().map(String::as_str).collect();
            self.say(format!(
                "not writing {} (the folders {GIT_DIR}/ and {ARENA_DIR}/ are this client's)",
                names.join(", ")
            ));
        }
        Snapshot::from_files(kept)
            .write_to(dir)
            .map_err(|e| format!("cannot write the files: {e}"))
    }

    /// Runs the edit command on the folder as it is and submits the result,
    /// if attempts and time are left.
    fn edit(&mut self, ws: &mut Socket, rejected: Option<&str>) -> Result<(), Stop> {
        let Some(plan) = self.plan_edit() else {
            return Ok(());
        };
        let number = plan.round;
        self.say(format!(
            "round {number}: running `{}` (edit {} of at most {MAX_ATTEMPTS}, {:.0} s)",
            self.opts.edit_command,
            plan.attempt,
            plan.budget.as_secs_f64()
        ));
        if let Err(why) = write_edit_files(&self.opts.workdir, &plan, rejected) {
            self.say(format!(
                "round {number}: {why}; nothing submitted (the previous codebase plays)"
            ));
            return Ok(());
        }
        self.run_command(&plan, rejected.is_some());
        match Snapshot::read_excluding(&self.opts.workdir, &self.opts.limits, &[ARENA_DIR, GIT_DIR])
        {
            Ok(snapshot) => self.submit(ws, number, WireCodebase::from_snapshot(&snapshot)),
            Err(e) => {
                self.say(format!(
                    "round {number}: the folder cannot be submitted: {e}; nothing submitted, the previous codebase plays"
                ));
                Ok(())
            }
        }
    }

    /// The next edit of the open round, counted; `None` (said why) when no
    /// attempt or too little time is left.
    fn plan_edit(&mut self) -> Option<EditPlan> {
        let round = self.round.as_mut()?;
        let number = round.number;
        if round.attempts >= MAX_ATTEMPTS {
            self.say(format!(
                "round {number}: all {MAX_ATTEMPTS} edits were used and none was accepted; waiting for the next round"
            ));
            return None;
        }
        let left = time_left(round.deadline_unix_ms);
        let budget = left.saturating_sub(safety_margin(left));
        if budget < MIN_EDIT_TIME {
            self.say(format!(
                "round {number}: too little time left before the deadline to run the command; waiting for the next round"
            ));
            return None;
        }
        round.attempts += 1;
        Some(EditPlan {
            round: number,
            attempt: round.attempts,
            budget,
            deadline_unix_ms: round.deadline_unix_ms,
            results: round.results.clone(),
            logs: round.logs.clone(),
            opponents: round.opponents.clone(),
        })
    }

    /// Runs the command in the work folder and says how it went. Whatever
    /// happened, the folder is submitted afterwards: the server validates.
    fn run_command(&mut self, plan: &EditPlan, retry: bool) {
        let number = plan.round;
        let mut env = vec![
            ("ARENA_ROUND", number.to_string()),
            ("ARENA_TOURNAMENT", self.tournament.to_string()),
            ("ARENA_PLAYER", self.player.clone()),
            ("ARENA_DEADLINE_UNIX_MS", plan.deadline_unix_ms.to_string()),
            ("ARENA_DEADLINE_SECS", plan.budget.as_secs().to_string()),
            ("ARENA_RESULTS", format!("{ARENA_DIR}/results.json")),
            ("ARENA_LOGS", format!("{ARENA_DIR}/logs.txt")),
        ];
        if retry {
            env.push(("ARENA_REJECTED", format!("{ARENA_DIR}/{REJECTED_FILE}")));
        }
        let ran = Shell {
            command: &self.opts.edit_command,
            dir: &self.opts.workdir,
            env,
            // The command acts for the player through its folder; it has
            // no use for the token.
            env_remove: &[TOKEN_ENV],
            time_limit: plan.budget,
        }
        .run();
        let line = match ran {
            Ok(ran) if ran.success() => format!(
                "round {number}: the command exited 0 after {:.1} s",
                ran.elapsed.as_secs_f64()
            ),
            Ok(ran) => {
                let how = match ran.outcome {
                    Outcome::TimedOut => format!(
                        "was still running {:.1} s before the deadline and was killed",
                        time_left(plan.deadline_unix_ms).as_secs_f64()
                    ),
                    Outcome::Exited(_) => ran.how(),
                };
                let tails = match ran.output_tails() {
                    t if t.is_empty() => " (it printed nothing)".to_owned(),
                    t => t,
                };
                format!(
                    "round {number}: `{}` {how}; the folder is submitted as it is{tails}",
                    self.opts.edit_command
                )
            }
            Err(why) => format!("round {number}: {why}; submitting the folder as it is"),
        };
        self.say(line);
    }

    fn submit(&mut self, ws: &mut Socket, round: u32, codebase: WireCodebase) -> Result<(), Stop> {
        let files = codebase.files.len();
        let hash = codebase.hash.clone().unwrap_or_default();
        if let Some(r) = self.round.as_mut().filter(|r| r.number == round) {
            // Kept before sending: if the connection drops now, the
            // reconnect sends it again.
            r.unanswered = Some(codebase.clone());
        }
        self.say(format!(
            "round {round}: submitting {} ({files} files)",
            short(&hash)
        ));
        send(ws, &ClientMessage::Submit { round, codebase })
    }

    fn submission_accepted(&mut self, number: u32, hash: String) {
        self.say(format!(
            "round {number}: submitted {} (accepted)",
            short(&hash)
        ));
        if let Some(round) = self.round.as_mut().filter(|r| r.number == number) {
            round.unanswered = None;
            round.accepted = Some(hash);
        }
    }

    fn submission_rejected(
        &mut self,
        ws: &mut Socket,
        number: u32,
        reason: &str,
    ) -> Result<(), Stop> {
        self.say(format!("round {number}: submission rejected: {reason}"));
        match self.round.as_mut().filter(|r| r.number == number) {
            Some(round) => {
                round.unanswered = None;
                self.edit(ws, Some(reason))
            }
            None => Ok(()),
        }
    }

    fn server_error(&mut self, code: ErrorCode, message: &str, in_reply_to: Option<&str>) {
        let about = in_reply_to
            .map(|t| format!(" to `{t}`"))
            .unwrap_or_default();
        self.say(format!("server error{about}: {code}: {message}"));
        if in_reply_to == Some("submit")
            && let Some(round) = self.round.as_mut()
        {
            // Refused without being stored: sending it again cannot help.
            round.unanswered = None;
        }
    }
}

/// Opens a TCP connection (within [`CONNECT_TIMEOUT`]) and does the
/// websocket handshake.
fn open_socket(url: &str) -> Result<Socket, String> {
    let request = url
        .into_client_request()
        .map_err(|e| format!("bad URL: {e}"))?;
    let uri = request.uri();
    let host = uri.host().ok_or("the URL has no host")?;
    let host = host.trim_start_matches('[').trim_end_matches(']');
    let port = uri.port_u16().unwrap_or(80);
    let addrs = (host, port)
        .to_socket_addrs()
        .map_err(|e| format!("cannot resolve {host}: {e}"))?;
    let mut last = format!("{host} has no address");
    let mut stream = None;
    for addr in addrs {
        match TcpStream::connect_timeout(&addr, CONNECT_TIMEOUT) {
            Ok(s) => {
                stream = Some(s);
                break;
            }
            Err(e) => last = format!("{addr}: {e}"),
        }
    }
    let stream = stream.ok_or(last)?;
    let setup = |s: &TcpStream, timeout| {
        s.set_nodelay(true)
            .and_then(|()| s.set_read_timeout(Some(timeout)))
            .map_err(|e| format!("cannot set up the socket: {e}"))
    };
    setup(&stream, CONNECT_TIMEOUT)?;
    let (ws, _) = tungstenite::client::client(request, stream).map_err(|e| match e {
        tungstenite::HandshakeError::Failure(tungstenite::Error::Http(response)) => format!(
            "the server answered HTTP {} instead of a websocket; check the URL (arena serve answers websockets at /ws)",
            response.status()
        ),
        other => format!("websocket handshake failed: {other}"),
    })?;
    Ok(ws)
}

/// Sends one message; a failure is a lost connection.
fn send(ws: &mut Socket, msg: &ClientMessage) -> Result<(), Stop> {
    ws.send(Message::text(msg.to_json()))
        .map_err(|e| Stop::Disconnected(format!("cannot send `{}`: {e}", msg.type_name())))
}

/// Reads the next server message: `None` for a read timeout (after a ping)
/// or a frame that is not a message; [`Stop::Disconnected`] when the
/// connection ended or stayed silent past [`SILENCE_LIMIT`].
fn receive(ws: &mut Socket, last_heard: &mut Instant) -> Result<Option<ServerMessage>, Stop> {
    let text = match ws.read() {
        Ok(Message::Text(text)) => text,
        Ok(Message::Close(frame)) => {
            let why = frame.map_or_else(
                || "the server closed the connection".to_owned(),
                |f| format!("the server closed the connection: {} {}", f.code, f.reason),
            );
            return Err(Stop::Disconnected(why));
        }
        Ok(_) => {
            // Pings (answered by tungstenite), pongs, binary: signs of life.
            *last_heard = Instant::now();
            return Ok(None);
        }
        Err(tungstenite::Error::Io(e))
            if matches!(
                e.kind(),
                std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
            ) =>
        {
            if last_heard.elapsed() >= SILENCE_LIMIT {
                return Err(Stop::Disconnected(format!(
                    "no word from the server for {} s",
                    SILENCE_LIMIT.as_secs()
                )));
            }
            ws.send(Message::Ping(Vec::new().into()))
                .map_err(|e| Stop::Disconnected(format!("cannot ping: {e}")))?;
            return Ok(None);
        }
        Err(e) => return Err(Stop::Disconnected(e.to_string())),
    };
    *last_heard = Instant::now();
    match parse_server_message(text.as_str()) {
        Ok(msg) => Ok(Some(msg)),
        // A newer server may send types this client does not know.
        Err(e) => {
            tracing::warn!("ignoring a server message this client cannot read: {e}");
            Ok(None)
        }
    }
}

/// The error an `error` answer to `hello` ends the client with. Only a
/// passing server failure is worth retrying.
fn hello_refused(code: ErrorCode, message: String) -> Stop {
    match code {
        ErrorCode::Internal | ErrorCode::RateLimited => {
            Stop::Disconnected(format!("hello refused: {code}: {message}"))
        }
        ErrorCode::BadToken => Stop::Fatal(ClientError::BadToken { message }),
        _ => Stop::Fatal(ClientError::Refused {
            code: code.to_string(),
            message,
        }),
    }
}

/// Time from now until `deadline_unix_ms` (zero once past).
fn time_left(deadline_unix_ms: u64) -> Duration {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    Duration::from_millis(deadline_unix_ms).saturating_sub(now)
}

/// How long before the deadline the command is killed, so that reading the
/// folder and uploading it (up to ~14 MB of base64) still arrive in time:
/// 5% of the time left, at least 1 s and at most 10 s, and never more than
/// half the time left.
pub fn safety_margin(time_left: Duration) -> Duration {
    (time_left / 20)
        .clamp(Duration::from_secs(1), Duration::from_secs(10))
        .min(time_left / 2)
}

/// A hash as people read it: its first 12 hex digits.
fn short(hash: &str) -> &str {
    hash.get(..12).unwrap_or(hash)
}

/// The final standings, one line a player.
pub fn standings_lines(standings: &Standings) -> Vec<String> {
    standings
        .players
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let bt = p
                .bradley_terry
                .map_or_else(|| "-".to_owned(), |b| format!("{b:.0}"));
            format!(
                "{}. {}: {} rounds won, {} simulations won, Elo {:.0}, Codeforces {}, Bradley-Terry {bt}",
                i + 1,
                p.name,
                p.round_wins,
                p.sims_won,
                p.elo,
                p.codeforces
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_read_as_plain_websockets() {
        let ok = |s: &str| websocket_url(s).unwrap_or_else(|e| panic!("{s}: {e}"));
        assert_eq!(ok("ws://127.0.0.1:8080/ws"), "ws://127.0.0.1:8080/ws");
        assert_eq!(ok("ws://127.0.0.1:8080"), "ws://127.0.0.1:8080/ws");
        assert_eq!(ok("http://host:9/"), "ws://host:9/ws");
        assert_eq!(ok("host:9"), "ws://host:9/ws");
        assert_eq!(ok("ws://host/other"), "ws://host/other");
        for bad in ["wss://host/ws", "https://host", "ftp://host", "ws:///ws"] {
            assert!(websocket_url(bad).is_err(), "{bad}");
        }
        let tls = websocket_url("wss://h").err().map(|e| e.to_string());
        assert!(tls.is_some_and(|e| e.contains("ws://")));
    }

    #[test]
    fn the_margin_scales_and_stays_within_bounds() {
        let s = Duration::from_secs;
        assert_eq!(safety_margin(s(3)), s(1));
        assert_eq!(safety_margin(s(1)), Duration::from_millis(500));
        assert_eq!(safety_margin(s(100)), s(5));
        assert_eq!(safety_margin(s(3600)), s(10));
        assert_eq!(safety_margin(Duration::ZERO), Duration::ZERO);
    }

    #[test]
    fn summaries_name_the_winner_and_my_sims() {
        let row = |player: &str, sims_won| crate::wire::RoundStanding {
            player: player.to_owned(),
            sims_won,
            sims_shared_first: 0,
            valid: true,
            note: None,
            codebase: None,
        };
        let mut results = RoundResults {
            round: 2,
            winner: Some("alice".to_owned()),
            standings: vec![row("alice", 6), row("bob", 4)],
        };
        assert_eq!(
            results.summary_for("bob"),
            "round 2 finished: alice won; bob won 4 simulations"
        );
        results.winner = None;
        assert_eq!(
            results.summary_for("bob"),
            "round 2 finished: a tie; bob won 4 simulations"
        );
    }
}
