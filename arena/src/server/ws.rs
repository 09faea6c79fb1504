//! The websocket at `/ws` (messages in [`super::protocol`], written down in
//! docs/protocol.md): a connection says its role once. An agent then gets
//! its player's edit rounds and submits; a spectator (or an admin) lists
//! tournaments and games, follows live games ([`super::live`]) and plays
//! stored replays with play, pause, speed and seek; an admin also creates
//! and drives tournaments ([`super::hub`]). An error leaves the connection
//! usable; too many close it with 1008.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use futures_util::{SinkExt, StreamExt};
use serde_json::Value;
use tokio::sync::broadcast;
use tokio::task::JoinHandle;
use tokio::time::Instant;
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::handshake::derive_accept_key;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::protocol::{CloseFrame, WebSocketConfig};
use tokio_tungstenite::tungstenite::{Message, Utf8Bytes};

use arena_agents::codebase::Limits;
use arena_agents::protocol::TournamentState;

use super::auth::{self, TokenHash};
use super::hub::{HubError, Runtime, Seat, SubmitError};
use super::limits::{MessageRate, RateVerdict};
use super::live::{LiveGame, Subscription};
use super::protocol::{
    self, ClientMessage, ErrorCode, ProtocolError, Role, ServerMessage, Strikes,
};
use super::socket::{SharedIo, Socket};
use super::{App, db, http};
use crate::store::StoreError;

/// The largest websocket message read at all (an agent's, with a 10 MiB
/// codebase); the websocket layer refuses larger ones before buffering them
/// (and closes with 1009). Smaller limits per role are
/// `protocol::max_message_bytes`, answered with `too_large`.
pub const MAX_MESSAGE_BYTES: usize = protocol::MAX_AGENT_MESSAGE_BYTES;

/// The websocket layer's read buffer. Every read attempt zero-fills the
/// buffer's free space up to this size first (tungstenite's `read_in`):
/// at the default 128 KiB, when every frame woke every spectator's task,
/// this memset was a tenth of the server's CPU with 10,000 spectators.
/// Larger messages (an agent's codebase) take more reads, not more memory.
const READ_BUFFER_BYTES: usize = 4096;

/// A websocket connection: tungstenite over the shared stream.
type WebSocket = WebSocketStream<SharedIo>;

/// Frames a second at speed 1.
pub const BASE_FRAMES_PER_SECOND: f64 = 10.0;

/// How long a new connection has to say `hello` before it is closed: an
/// idle anonymous socket must not hold a slot for ever.
pub const HELLO_TIMEOUT: Duration = Duration::from_secs(10);

/// Frames read from the database at a time (a replay chunk's worth).
const BATCH_FRAMES: u64 = 64;

fn refuse(code: ErrorCode, what: impl std::fmt::Display) -> ProtocolError {
    ProtocolError::new(code, what)
}

fn internal(e: http::ApiError) -> ProtocolError {
    refuse(ErrorCode::Internal, e.message)
}

/// `GET /ws`: upgrades to a websocket (RFC 6455 4.2) with the message size
/// limit, if a connection permit is free; else 503 before the upgrade,
/// with what to do. The connection keeps its `TcpStream`, shared with live
/// games' fan-out (`socket.rs`).
pub(crate) async fn upgrade(State(app): State<App>, mut req: Request) -> Response {
    let accept = match accept_key(req.headers()) {
        Ok(accept) => accept,
        Err(why) => {
            return http::ApiError::bad_request(format!(
                "GET /ws is a websocket ({why}): connect with a websocket client, as \
                 docs/protocol.md shows"
            ))
            .into_response();
        }
    };
    let Some(on_upgrade) = req.extensions_mut().remove::<hyper::upgrade::OnUpgrade>() else {
        return http::ApiError::bad_request(
            "this connection cannot be upgraded to a websocket: use HTTP/1.1",
        )
        .into_response();
    };
    let Ok(permit) = app.connections.clone().try_acquire_owned() else {
        let limit = app.state.max_connections;
        tracing::debug!("refused a websocket: {limit} connections open");
        let mut refused = http::ApiError {
            status: StatusCode::SERVICE_UNAVAILABLE,
            code: arena_agents::wire::ApiErrorCode::Unavailable,
            message: format!(
                "the server holds its limit of {limit} websocket connections; retry in a few \
                 seconds (the operator can raise `arena serve --max-connections`)"
            ),
        }
        .into_response();
        refused
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
        return refused;
    };
    // Held until this connection ends, so shutdown can wait for it.
    let done = app.websockets_done.clone();
    tokio::spawn(async move {
        let upgraded = match on_upgrade.await {
            Ok(upgraded) => upgraded,
            Err(e) => {
                tracing::debug!("websocket upgrade failed: {e}");
                return;
            }
        };
        // The server's own accept loop serves plain TCP (`accept` in mod.rs).
        let Ok(parts) = upgraded.downcast::<hyper_util::rt::TokioIo<tokio::net::TcpStream>>()
        else {
            tracing::error!("a websocket on a transport other than a TcpStream: closed");
            return;
        };
        let socket = Arc::new(Socket::new(parts.io.into_inner()));
        let config = WebSocketConfig::default()
            .max_message_size(Some(MAX_MESSAGE_BYTES))
            .max_frame_size(Some(MAX_MESSAGE_BYTES))
            .read_buffer_size(READ_BUFFER_BYTES);
        let ws = WebSocketStream::from_partially_read(
            SharedIo(socket.clone()),
            parts.read_buf.to_vec(),
            tokio_tungstenite::tungstenite::protocol::Role::Server,
            Some(config),
        )
        .await;
        Connection::new(app, socket).run(ws).await;
        drop(done);
        drop(permit);
    });
    let mut switching = Response::new(axum::body::Body::empty());
    *switching.status_mut() = StatusCode::SWITCHING_PROTOCOLS;
    let headers = switching.headers_mut();
    headers.insert(header::CONNECTION, HeaderValue::from_static("upgrade"));
    headers.insert(header::UPGRADE, HeaderValue::from_static("websocket"));
    if let Ok(accept) = HeaderValue::from_str(&accept) {
        headers.insert(header::SEC_WEBSOCKET_ACCEPT, accept);
    }
    switching
}

/// The `Sec-WebSocket-Accept` answer to a websocket handshake's headers,
/// or what is wrong with them.
fn accept_key(headers: &HeaderMap) -> Result<String, &'static str> {
    let has = |name: header::HeaderName, token: &str| {
        headers.get_all(name).iter().any(|v| {
            v.to_str()
                .is_ok_and(|v| v.split(',').any(|t| t.trim().eq_ignore_ascii_case(token)))
        })
    };
    if !has(header::CONNECTION, "upgrade") {
        return Err("no `Connection: upgrade` header");
    }
    if !has(header::UPGRADE, "websocket") {
        return Err("no `Upgrade: websocket` header");
    }
    if headers
        .get(header::SEC_WEBSOCKET_VERSION)
        .is_none_or(|v| v.as_bytes() != b"13")
    {
        return Err("`Sec-WebSocket-Version` is not 13");
    }
    let Some(key) = headers.get(header::SEC_WEBSOCKET_KEY) else {
        return Err("no `Sec-WebSocket-Key` header");
    };
    Ok(derive_accept_key(key.as_bytes()))
}

/// A replay being played to this connection.
struct Playback {
    match_id: i64,
    frames: u64,
    /// The next turn to send.
    turn: u64,
    playing: bool,
    speed: f64,
    /// When the next frame is due (while playing).
    due: Instant,
    /// Frames read ahead: the turn of the first one, and the frames.
    batch: (u64, Vec<Value>),
}

impl Playback {
    fn interval(&self) -> Duration {
        Duration::from_secs_f64(1.0 / (BASE_FRAMES_PER_SECOND * self.speed))
    }

    fn state(&self) -> ServerMessage {
        ServerMessage::ReplayState {
            match_id: self.match_id,
            playing: self.playing,
            speed: self.speed,
            turn: self.turn,
            frames: self.frames,
        }
    }

    /// After play, pause or a new speed: the next frame is due one
    /// interval from now; returns the state to report.
    fn restart(&mut self) -> ServerMessage {
        self.due = Instant::now() + self.interval();
        self.state()
    }
}

/// An agent's player.
struct AgentSeat {
    rt: Arc<Runtime>,
    seat: Arc<Seat>,
    outbox: broadcast::Receiver<Utf8Bytes>,
}

/// One websocket connection.
struct Connection {
    app: App,
    role: Option<Role>,
    agent: Option<AgentSeat>,
    /// The live games followed, by game id.
    following: BTreeMap<u64, Subscription>,
    /// The connection's stream, which live games' fan-out writes to too.
    socket: Arc<Socket>,
    playback: Option<Playback>,
    /// The version of the last frame sent; frames carry increasing versions.
    version: u64,
    /// Malformed messages lately; too many close the connection.
    strikes: Strikes,
    /// The hash of the token a spectator's `hello` carried: private
    /// tournaments' games are shown only to the holder of their token.
    spectator_token: Option<TokenHash>,
    /// Messages lately, against the role's rate.
    rate: MessageRate,
    /// The practice being played for this agent, off this loop so that
    /// shutdown, pings and other messages are handled meanwhile; one at a
    /// time (`Seat::practicing`).
    practice: Option<JoinHandle<Result<ServerMessage, ProtocolError>>>,
}

/// Whether the connection goes on after a step.
enum Flow {
    Continue,
    Stop,
}

impl Connection {
    fn new(app: App, socket: Arc<Socket>) -> Connection {
        Connection {
            app,
            socket,
            role: None,
            agent: None,
            following: BTreeMap::new(),
            playback: None,
            version: 0,
            strikes: Strikes::default(),
            spectator_token: None,
            rate: MessageRate::for_role(None, std::time::Instant::now()),
            practice: None,
        }
    }

    async fn run(mut self, mut socket: WebSocket) {
        let mut shutdown = self.app.shutdown.clone();
        if *shutdown.borrow() {
            let _ = close(&mut socket, CloseCode::Away, "server shutting down").await;
            return;
        }
        let hello_by = Instant::now() + HELLO_TIMEOUT;
        // Waited on across the loop's turns: registered with the server's
        // shutdown signal once, not once per message or frame (ten thousand
        // spectators re-registering on every frame contend for its lock).
        let mut stopping = std::pin::pin!(shutdown.changed());
        loop {
            let hello_due = self.role.is_none().then_some(hello_by);
            let due = self
                .playback
                .as_ref()
                .filter(|p| p.playing && p.turn < p.frames)
                .map(|p| p.due);
            let flow = tokio::select! {
                _ = &mut stopping => {
                    let _ = close(&mut socket, CloseCode::Away, "server shutting down").await;
                    Flow::Stop
                }
                msg = socket.next() => match msg {
                    None => Flow::Stop,
                    Some(Err(e)) => {
                        // Oversized or broken frames end up here; only this
                        // connection is affected.
                        tracing::debug!("websocket read error: {e}");
                        let reason = if matches!(e, tokio_tungstenite::tungstenite::Error::Capacity(_)) {
                            (CloseCode::Size, "message over 16 MiB")
                        } else {
                            (CloseCode::Protocol, "websocket protocol error")
                        };
                        let _ = close(&mut socket, reason.0, reason.1).await;
                        Flow::Stop
                    }
                    Some(Ok(msg)) => self.on_message(&mut socket, msg).await,
                },
                () = sleep_until_opt(due) => self.send_next_frame(&mut socket).await,
                text = next_for_agent(self.agent.as_mut()) => match text {
                    Some(text) => self.send_text(&mut socket, text).await,
                    None => Flow::Continue,
                },
                () = any_changed(&self.following), if !self.following.is_empty() => {
                    self.send_live(&mut socket).await
                }
                played = join_practice(self.practice.as_mut()) => {
                    self.practice = None;
                    match played {
                        Ok(result) => self.send(&mut socket, result).await,
                        Err(mut e) => {
                            e.in_reply_to.get_or_insert_with(|| "practice".to_owned());
                            self.reply_error(&mut socket, e).await
                        }
                    }
                }
                () = sleep_until_opt(hello_due) => {
                    let _ = close(
                        &mut socket,
                        CloseCode::from(protocol::CLOSE_POLICY_VIOLATION),
                        "no hello within 10 seconds",
                    )
                    .await;
                    Flow::Stop
                }
            };
            if let Flow::Stop = flow {
                return;
            }
        }
    }

    async fn on_message(&mut self, socket: &mut WebSocket, msg: Message) -> Flow {
        let text = match msg {
            Message::Text(t) => t,
            Message::Binary(_) => {
                let e = refuse(ErrorCode::BadJson, "a binary message");
                return self.reply_error(socket, e).await;
            }
            Message::Close(_) => return Flow::Stop,
            Message::Ping(_) | Message::Pong(_) | Message::Frame(_) => return Flow::Continue,
        };
        match self.rate.check(std::time::Instant::now()) {
            RateVerdict::Accept => {}
            RateVerdict::Refuse => {
                let e = refuse(
                    ErrorCode::RateLimited,
                    format!(
                        "over {} messages a second; wait {} ms",
                        self.rate.per_second(),
                        self.rate.retry_after().as_millis().max(1)
                    ),
                );
                return self.reply_error(socket, e).await;
            }
            RateVerdict::Close => {
                let _ = close(
                    socket,
                    CloseCode::from(protocol::CLOSE_POLICY_VIOLATION),
                    "too many messages: wait as rate_limited says",
                )
                .await;
                return Flow::Stop;
            }
        }
        let limit = protocol::max_message_bytes(self.role);
        let msg = match protocol::parse_client_message(text.as_str(), self.role, limit) {
            Ok(m) => m,
            Err(e) => return self.reply_error(socket, e).await,
        };
        let type_name = msg.type_name();
        match self.handle(socket, msg).await {
            Ok(flow) => flow,
            Err(mut e) => {
                e.in_reply_to.get_or_insert_with(|| type_name.to_owned());
                self.reply_error(socket, e).await
            }
        }
    }

    async fn handle(
        &mut self,
        socket: &mut WebSocket,
        msg: ClientMessage,
    ) -> Result<Flow, ProtocolError> {
        match msg {
            ClientMessage::Hello { role, token, .. } => {
                match role {
                    // Checked against each private tournament it asks for.
                    Role::Spectator => self.spectator_token = token.as_deref().map(TokenHash::of),
                    Role::Admin => {
                        let ok = token
                            .as_deref()
                            .is_some_and(|t| self.app.state.admin_token_hash.matches(t));
                        if !ok {
                            return Err(refuse(ErrorCode::BadToken, "not the admin token"));
                        }
                    }
                    Role::Agent => return self.agent_hello(socket, token).await,
                }
                self.role = Some(role);
                self.rate.set_role(role, std::time::Instant::now());
                let welcome = ServerMessage::Welcome {
                    protocol_version: protocol::PROTOCOL_VERSION,
                    role,
                    player: None,
                    tournament: None,
                };
                Ok(self.send(socket, welcome).await)
            }
            ClientMessage::Submit { round, codebase } => {
                let agent = self.agent.as_ref().ok_or_else(not_an_agent)?;
                let (rt, seat) = (agent.rt.clone(), agent.seat.clone());
                let snapshot = codebase
                    .to_snapshot(&Limits::default())
                    .map_err(|e| e.into_protocol_error())?;
                let envs = crate::tournament::environments(&rt.cfg, &self.app.state.data_dir);
                let submitted = tokio::task::spawn_blocking(move || {
                    seat.submit(&rt.cfg, &envs, round, snapshot)
                })
                .await
                .map_err(|e| refuse(ErrorCode::Internal, e))?;
                match submitted {
                    // Acknowledged once stored, through the outbox.
                    Ok(()) => Ok(Flow::Continue),
                    Err(SubmitError::NotOpen(why)) => Err(refuse(ErrorCode::OutOfOrder, why)),
                    Err(SubmitError::Host(why)) => Err(refuse(ErrorCode::Internal, why)),
                    Err(SubmitError::Rejected(reason)) => Ok(self
                        .send(socket, ServerMessage::SubmissionRejected { round, reason })
                        .await),
                }
            }
            ClientMessage::Practice { opponent, sims } => self.practice(opponent, sims),
            ClientMessage::GetCodebase { player, round } => {
                self.get_codebase(socket, player, round).await
            }
            ClientMessage::CreateTournament { config_toml } => {
                let (tournament, name) = self.hub(move |hub| hub.create(&config_toml)).await?;
                Ok(self
                    .send(
                        socket,
                        ServerMessage::TournamentCreated { tournament, name },
                    )
                    .await)
            }
            ClientMessage::RegisterAgent { tournament, player } => {
                let name = player.clone();
                let token = self
                    .hub(move |hub| hub.register_agent(tournament, &name))
                    .await?;
                Ok(self
                    .send(
                        socket,
                        ServerMessage::AgentRegistered {
                            tournament,
                            player,
                            token,
                        },
                    )
                    .await)
            }
            ClientMessage::StartTournament { tournament }
            | ClientMessage::PauseTournament { tournament }
            | ClientMessage::ResumeTournament { tournament }
            | ClientMessage::CancelTournament { tournament } => {
                let want = match msg {
                    ClientMessage::PauseTournament { .. } => TournamentState::Paused,
                    ClientMessage::CancelTournament { .. } => TournamentState::Cancelled,
                    _ => TournamentState::Running,
                };
                let state = self.hub(move |hub| hub.control(tournament, want)).await?;
                Ok(self
                    .send(
                        socket,
                        ServerMessage::TournamentUpdated { tournament, state },
                    )
                    .await)
            }
            ClientMessage::ListTournaments {} => {
                let tournaments = db::read(&self.app.state.data_dir, |store| match store {
                    Some(store) => Ok(store.tournament_summaries()?),
                    None => Ok(Vec::new()),
                })
                .await
                .map_err(internal)?;
                Ok(self
                    .send(socket, ServerMessage::Tournaments { tournaments })
                    .await)
            }
            ClientMessage::ListGames { tournament, round } => {
                let (required, stored) = db::read(&self.app.state.data_dir, move |store| {
                    let Some(store) = store else {
                        return Ok((None, Vec::new()));
                    };
                    let required = match store.config_of(tournament)? {
                        Some(config) => required_token(&config)?,
                        None => None,
                    };
                    Ok((required, store.stored_games(tournament, round)?))
                })
                .await
                .map_err(internal)?;
                self.may_read(required.as_ref(), tournament)?;
                // Stored games, then the ones being played.
                let mut all = stored;
                all.extend(self.app.hub.live.list(tournament, round));
                let known = !all.is_empty() || self.app.hub.runtime(tournament).is_some();
                let games = known.then_some(all).ok_or_else(|| {
                    refuse(
                        ErrorCode::NotFound,
                        format!("no stored games in tournament {tournament}"),
                    )
                })?;
                Ok(self
                    .send(
                        socket,
                        ServerMessage::Games {
                            tournament,
                            round,
                            games,
                        },
                    )
                    .await)
            }
            ClientMessage::Subscribe { game_id } => {
                let game = self.live_game(game_id)?;
                Ok(self.follow_from_snapshot(socket, game).await)
            }
            ClientMessage::Resync {
                game_id,
                from_version,
            } => {
                let game = self.live_game(game_id)?;
                if let Some(subscription) = game.resubscribe(Some(&self.socket), from_version) {
                    self.following.insert(game_id, subscription);
                    // The gap at once.
                    Ok(self.send_live(socket).await)
                } else {
                    // Not a version of this game: start over from a snapshot.
                    Ok(self.follow_from_snapshot(socket, game).await)
                }
            }
            ClientMessage::Unsubscribe { game_id } => {
                // Answered alike when the game was not followed: it may
                // have ended (and been let go) before this message came,
                // which the client cannot know.
                if self.following.remove(&game_id).is_none() {
                    self.live_game(game_id)?;
                }
                Ok(self
                    .send(socket, ServerMessage::Unsubscribed { game_id })
                    .await)
            }
            ClientMessage::Replay { match_id } => self.start_replay(socket, match_id).await,
            ClientMessage::Pause {} | ClientMessage::Play {} => {
                let playing = matches!(msg, ClientMessage::Play {});
                let p = self.playback_mut()?;
                p.playing = playing;
                let state = p.restart();
                Ok(self.send(socket, state).await)
            }
            ClientMessage::Speed { factor } => {
                // The range was checked by parse_client_message.
                let p = self.playback_mut()?;
                p.speed = factor;
                let state = p.restart();
                Ok(self.send(socket, state).await)
            }
            ClientMessage::Seek { turn } => {
                let p = self.playback_mut()?;
                if turn >= p.frames {
                    return Err(ProtocolError::bad_field(
                        "turn",
                        format!(
                            "{turn} is past the replay's last turn {}",
                            p.frames.saturating_sub(1)
                        ),
                    ));
                }
                p.turn = turn;
                let state = p.state();
                if let Flow::Stop = self.send(socket, state).await {
                    return Ok(Flow::Stop);
                }
                // The frame seeked to, at once, even when paused.
                Ok(self.send_next_frame(socket).await)
            }
        }
    }

    /// Runs an admin request on the hub, off the async threads (it reads
    /// and writes the database).
    async fn hub<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Arc<super::hub::Hub>) -> Result<T, HubError> + Send + 'static,
    ) -> Result<T, ProtocolError> {
        let hub = self.app.hub.clone();
        tokio::task::spawn_blocking(move || f(&hub))
            .await
            .map_err(|e| refuse(ErrorCode::Internal, e))?
            .map_err(hub_error)
    }

    /// `hello` as an agent: the token names one player of one tournament.
    async fn agent_hello(
        &mut self,
        socket: &mut WebSocket,
        token: Option<String>,
    ) -> Result<Flow, ProtocolError> {
        let token = token.unwrap_or_default();
        let hub = self.app.hub.clone();
        let found = tokio::task::spawn_blocking(move || hub.agent_by_token(&token))
            .await
            .map_err(|e| refuse(ErrorCode::Internal, e))?
            .map_err(|e| refuse(ErrorCode::Internal, format!("{e:#}")))?;
        let Some((rt, seat)) = found else {
            return Err(refuse(ErrorCode::BadToken, "no agent has this token"));
        };
        let joined = seat.join();
        let welcome = ServerMessage::Welcome {
            protocol_version: protocol::PROTOCOL_VERSION,
            role: Role::Agent,
            player: Some(seat.name.clone()),
            tournament: Some(rt.id),
        };
        self.role = Some(Role::Agent);
        self.rate.set_role(Role::Agent, std::time::Instant::now());
        self.agent = Some(AgentSeat {
            rt,
            seat,
            outbox: joined.outbox,
        });
        if let Flow::Stop = self.send(socket, welcome).await {
            return Ok(Flow::Stop);
        }
        // Then, for a tournament that ended (finished or was cancelled)
        // while the agent was away, its end.
        let finished = rt_finished(self.agent.as_ref());
        for text in joined.catch_up.into_iter().chain(finished) {
            if let Flow::Stop = self.send_text(socket, text).await {
                return Ok(Flow::Stop);
            }
        }
        Ok(Flow::Continue)
    }

    /// `practice`: the round's starting codebase against an opponent's
    /// current one, on a blocking thread, nothing stored; `practice_result`
    /// is sent when it ends, and the connection goes on meanwhile.
    fn practice(&mut self, opponent: String, sims: u32) -> Result<Flow, ProtocolError> {
        let agent = self.agent.as_ref().ok_or_else(not_an_agent)?;
        let (rt, seat) = (agent.rt.clone(), agent.seat.clone());
        let Some((round, mine)) = seat.current() else {
            return Err(refuse(
                ErrorCode::OutOfOrder,
                "practice is for edit phases; wait for round_started",
            ));
        };
        let Some(other) = rt.seat_named(&opponent) else {
            return Err(refuse(
                ErrorCode::NotFound,
                format!("tournament {} has no player {opponent:?}", rt.id),
            ));
        };
        if seat.practicing.swap(true, Ordering::SeqCst) {
            return Err(refuse(
                ErrorCode::RateLimited,
                "a practice of yours is already being played; wait for its practice_result",
            ));
        }
        let data_dir = self.app.state.data_dir.clone();
        let me = seat.name.clone();
        let seed = PRACTICE_SEEDS.fetch_add(1, Ordering::Relaxed);
        let busy = seat.clone();
        // Its result comes back to the connection's loop (`join_practice`).
        self.practice = Some(tokio::task::spawn_blocking(move || {
            let play = || -> Result<_, String> {
                crate::fault::hold("practice");
                let store = read_only(&data_dir).map_err(|e| e.to_string())?;
                let hash = store
                    .latest_valid_codebase(other.player_id, round.saturating_sub(1))
                    .map_err(|e| e.to_string())?
                    .ok_or_else(|| format!("{} has no valid codebase yet", other.name))?;
                let theirs = store.codebase(&hash).map_err(|e| e.to_string())?;
                let mut cfg = (*rt.cfg).clone();
                // Its own seeds: a practice must not preview the round's games.
                cfg.seed = crate::seeds::derive(rt.cfg.seed, &[0x9EAC, u64::from(round), seed]);
                let envs = crate::tournament::environments(&cfg, &data_dir);
                crate::tournament::practice(&cfg, &envs, (&me, &mine), (&other.name, &theirs), sims)
                    .map_err(|e| e.to_string())
            };
            let played = play();
            busy.practicing.store(false, Ordering::SeqCst);
            let played = played
                .map_err(|e| refuse(ErrorCode::Internal, format!("the practice failed: {e}")))?;
            Ok(ServerMessage::PracticeResult {
                round,
                opponent,
                sims,
                wins: played.wins,
                losses: played.losses,
                draws: played.draws,
                results: played.results,
            })
        }));
        Ok(Flow::Continue)
    }

    /// `get_codebase`: the agent's own codebase of any round it submitted
    /// for; another player's only in a transparent tournament, and only as
    /// it played a finished round (never an edit in progress).
    async fn get_codebase(
        &mut self,
        socket: &mut WebSocket,
        player: String,
        round: Option<u32>,
    ) -> Result<Flow, ProtocolError> {
        let agent = self.agent.as_ref().ok_or_else(not_an_agent)?;
        let (rt, me) = (agent.rt.clone(), agent.seat.clone());
        let Some(other) = rt.seat_named(&player) else {
            return Err(refuse(
                ErrorCode::NotFound,
                format!("tournament {} has no player {player:?}", rt.id),
            ));
        };
        let mine = other.player_id == me.player_id;
        if !mine && !rt.cfg.transparent {
            return Err(refuse(
                ErrorCode::NotYourPlayer,
                format!(
                    "{player}'s code is private: tournament {} is not transparent",
                    rt.id
                ),
            ));
        }
        let data_dir = self.app.state.data_dir.clone();
        let tid = rt.id;
        let found = tokio::task::spawn_blocking(move || -> Result<_, StoreError> {
            let store = read_only(&data_dir)?;
            // Another player's code only as it played a finished round.
            let played = store.last_finished_round(tid)?;
            let round = match (round, mine) {
                (Some(r), true) => Some(r),
                (Some(r), false) => played.filter(|p| r <= *p).map(|_| r),
                (None, true) => store.last_submitted_round(tid, other.player_id)?,
                (None, false) => played,
            };
            let Some(round) = round else {
                return Ok(None);
            };
            let Some(sub) = store.submission(tid, other.player_id, round)? else {
                return Ok(None);
            };
            Ok(Some((round, store.codebase(&sub.hash)?)))
        })
        .await
        .map_err(|e| refuse(ErrorCode::Internal, e))?
        .map_err(|e| refuse(ErrorCode::Internal, e.to_string()))?;
        let Some((round, codebase)) = found else {
            return Err(refuse(
                ErrorCode::NotFound,
                format!(
                    "no codebase of {player} for that round yet (another player's: only rounds already played)"
                ),
            ));
        };
        Ok(self
            .send(
                socket,
                ServerMessage::Codebase {
                    player,
                    round,
                    codebase: arena_agents::protocol::WireCodebase::from_snapshot(&codebase),
                },
            )
            .await)
    }

    /// Refuses a spectator the games of a private tournament (`required`:
    /// its spectator token's hash) unless its `hello` carried that token;
    /// admins read everything.
    fn may_read(&self, required: Option<&TokenHash>, tournament: i64) -> Result<(), ProtocolError> {
        if self.role == Some(Role::Admin) || auth::may_read(required, self.spectator_token.as_ref())
        {
            return Ok(());
        }
        let what = if self.spectator_token.is_some() {
            "not its spectator token"
        } else {
            "say hello with its spectator token"
        };
        Err(refuse(
            ErrorCode::BadToken,
            format!("tournament {tournament} is private: {what}"),
        ))
    }

    /// A live game this connection may follow.
    fn live_game(&self, game_id: u64) -> Result<Arc<LiveGame>, ProtocolError> {
        let game = self.app.hub.live.get(game_id).ok_or_else(|| {
            refuse(
                ErrorCode::NotFound,
                format!(
                    "no live game {game_id}: list_games lists them; a finished game is replayed by its match_id"
                ),
            )
        })?;
        self.may_read(game.info.spectator_token.as_ref(), game.info.tournament)?;
        Ok(game)
    }

    /// Follows `game` from a `snapshot`, then sends what came since (or
    /// the end of a game already over).
    async fn follow_from_snapshot(&mut self, socket: &mut WebSocket, game: Arc<LiveGame>) -> Flow {
        let admin = self.role == Some(Role::Admin);
        let (snapshot, subscription) = game.subscribe(Some(&self.socket), admin);
        self.following.insert(game.id, subscription);
        if let Flow::Stop = self.send(socket, snapshot).await {
            return Flow::Stop;
        }
        self.send_live(socket).await
    }

    /// Sends every followed game's frames past what this connection sent,
    /// then `game_finished` for the games that ended, and hands each game
    /// back to its publisher once caught up. Frames are queued one after
    /// the other and written with one flush (which first writes what the
    /// publisher left half written), so a connection that fell behind
    /// catches up in few writes.
    async fn send_live(&mut self, socket: &mut WebSocket) -> Flow {
        let mut ended = Vec::new();
        for (id, f) in &self.following {
            let pending = f.pending();
            for text in pending.frames.into_iter().chain(pending.finished.clone()) {
                if socket.feed(Message::Text(text)).await.is_err() {
                    return Flow::Stop;
                }
            }
            if socket.flush().await.is_err() {
                return Flow::Stop;
            }
            f.sent(pending.version);
            if pending.finished.is_some() {
                ended.push(*id);
            } else {
                // Frames that came meanwhile are sent on the loop's next
                // turn (it is woken), after whatever else is waiting.
                f.resume();
            }
        }
        for id in ended {
            self.following.remove(&id);
        }
        Flow::Continue
    }

    fn playback_mut(&mut self) -> Result<&mut Playback, ProtocolError> {
        self.playback.as_mut().ok_or_else(|| {
            refuse(
                ErrorCode::OutOfOrder,
                "no replay is loaded: send {\"type\":\"replay\",\"match_id\":N} first",
            )
        })
    }

    async fn start_replay(
        &mut self,
        socket: &mut WebSocket,
        match_id: i64,
    ) -> Result<Flow, ProtocolError> {
        let admin = self.role == Some(Role::Admin);
        let header = db::read(&self.app.state.data_dir, move |store| {
            let Some(store) = store else {
                return Ok(None);
            };
            // Codebase hashes: for admins, and for everyone in a
            // transparent tournament.
            let tournament = store.match_tournament(match_id)?;
            let transparent = tournament
                .as_ref()
                .and_then(|(_, config)| crate::config::TournamentConfig::parse(config).ok())
                .is_some_and(|cfg| cfg.transparent);
            let required = match &tournament {
                Some((tid, config)) => Some((*tid, required_token(config)?)),
                None => None,
            };
            Ok(store
                .with_replay(match_id, |r| {
                    let header = super::hub::wire_header(r.header());
                    let header = if admin || transparent {
                        header
                    } else {
                        header.without_hashes()
                    };
                    (header, r.frame_count(), r.is_finished())
                })?
                .map(|found| (required, found)))
        })
        .await
        .map_err(internal)?;
        if let Some((Some((tid, required)), _)) = &header {
            self.may_read(required.as_ref(), *tid)?;
        }
        let Some((_, (header, frames, finished))) = header else {
            return Err(refuse(
                ErrorCode::NotFound,
                format!("no replay for match {match_id}"),
            ));
        };
        let playback = Playback {
            match_id,
            frames,
            turn: 0,
            playing: true,
            speed: 1.0,
            due: Instant::now(),
            batch: (0, Vec::new()),
        };
        let due = Instant::now() + playback.interval();
        self.playback = Some(Playback { due, ..playback });
        Ok(self
            .send(
                socket,
                ServerMessage::ReplayHeader {
                    match_id,
                    frames,
                    finished,
                    header,
                },
            )
            .await)
    }

    /// Sends the frame of the playback's current turn and moves on.
    async fn send_next_frame(&mut self, socket: &mut WebSocket) -> Flow {
        let Some(p) = self.playback.as_mut() else {
            return Flow::Continue;
        };
        if p.turn >= p.frames {
            return Flow::Continue;
        }
        let turn = p.turn;
        let (start, batch) = &p.batch;
        let cached = turn >= *start && turn < start + batch.len() as u64;
        if !cached {
            let match_id = p.match_id;
            let end = (turn + BATCH_FRAMES).min(p.frames);
            let read = db::read(&self.app.state.data_dir, move |store| {
                let store =
                    store.ok_or_else(|| super::http::ApiError::not_found("database gone"))?;
                store
                    .with_replay(match_id, |replay| {
                        replay.frames(turn..end).collect::<Result<Vec<_>, _>>()
                    })?
                    .ok_or_else(|| {
                        super::http::ApiError::not_found(format!("no replay for match {match_id}"))
                    })?
                    .map_err(super::http::ApiError::internal)
            })
            .await;
            match read {
                Ok(frames) if !frames.is_empty() => p.batch = (turn, frames),
                Ok(_) => {
                    p.playing = false;
                    return self
                        .reply_error(
                            socket,
                            refuse(ErrorCode::Internal, format!("turn {turn} has no frame")),
                        )
                        .await;
                }
                Err(e) => {
                    p.playing = false;
                    return self.reply_error(socket, internal(e)).await;
                }
            }
        }
        let (start, batch) = &p.batch;
        let frame = batch
            .get((turn - start) as usize)
            .cloned()
            .unwrap_or(Value::Null);
        p.turn += 1;
        let now = Instant::now();
        let interval = p.interval();
        // Keep the pace, but never burst to catch up after a stall.
        p.due = if p.due + interval < now {
            now + interval
        } else {
            p.due + interval
        };
        let end = p.turn >= p.frames;
        let match_id = p.match_id;
        self.version += 1;
        let msg = ServerMessage::Frame {
            match_id,
            version: self.version,
            turn,
            frame,
        };
        if let Flow::Stop = self.send(socket, msg).await {
            return Flow::Stop;
        }
        if end {
            return self
                .send(
                    socket,
                    ServerMessage::ReplayEnd {
                        match_id,
                        version: self.version,
                    },
                )
                .await;
        }
        Flow::Continue
    }

    async fn send_text(&mut self, socket: &mut WebSocket, text: Utf8Bytes) -> Flow {
        match socket.send(Message::Text(text)).await {
            Ok(()) => Flow::Continue,
            Err(_) => Flow::Stop,
        }
    }

    async fn send(&mut self, socket: &mut WebSocket, msg: ServerMessage) -> Flow {
        match socket
            .send(Message::Text(Utf8Bytes::from(msg.to_json())))
            .await
        {
            Ok(()) => Flow::Continue,
            Err(_) => Flow::Stop,
        }
    }

    /// Answers with `error`; after too many malformed messages, closes the
    /// connection with a policy code instead.
    async fn reply_error(&mut self, socket: &mut WebSocket, e: ProtocolError) -> Flow {
        if self.strikes.record(e.code, std::time::Instant::now()) {
            let _ = close(
                socket,
                CloseCode::from(protocol::CLOSE_POLICY_VIOLATION),
                "too many malformed messages",
            )
            .await;
            return Flow::Stop;
        }
        self.send(socket, e.to_message()).await
    }
}

async fn close(
    socket: &mut WebSocket,
    code: CloseCode,
    reason: &'static str,
) -> Result<(), tokio_tungstenite::tungstenite::Error> {
    socket
        .send(Message::Close(Some(CloseFrame {
            code,
            reason: Utf8Bytes::from_static(reason),
        })))
        .await
}

fn rt_finished(agent: Option<&AgentSeat>) -> Option<Utf8Bytes> {
    agent.and_then(|a| a.rt.finished())
}

/// Practices so far: each gets its own seeds.
static PRACTICE_SEEDS: AtomicU64 = AtomicU64::new(0);

fn not_an_agent() -> ProtocolError {
    refuse(ErrorCode::NotAllowedForRole, "only an agent may send this")
}

fn hub_error(e: HubError) -> ProtocolError {
    match e {
        HubError::NotFound(m) => refuse(ErrorCode::NotFound, m),
        HubError::BadField(f, m) => ProtocolError::bad_field(f, m),
        HubError::OutOfOrder(m) => refuse(ErrorCode::OutOfOrder, m),
        HubError::Internal(m) => refuse(ErrorCode::Internal, m),
    }
}

/// The next message for an agent's player; pending for ever when the
/// connection is not an agent's.
async fn next_for_agent(agent: Option<&mut AgentSeat>) -> Option<Utf8Bytes> {
    let Some(agent) = agent else {
        return std::future::pending().await;
    };
    match agent.outbox.recv().await {
        Ok(text) => Some(text),
        Err(broadcast::error::RecvError::Lagged(n)) => {
            tracing::warn!(player = %agent.seat.name, "an agent's connection missed {n} messages");
            None
        }
        Err(broadcast::error::RecvError::Closed) => std::future::pending().await,
    }
}

/// Until one of the followed games has something for the connection to
/// send (it fell behind, or the game ended).
async fn any_changed(following: &BTreeMap<u64, Subscription>) {
    // The common case, a spectator of one game: no boxing, no select.
    if following.len() == 1
        && let Some(f) = following.values().next()
    {
        return f.woken().await;
    }
    let waits: Vec<_> = following.values().map(|f| Box::pin(f.woken())).collect();
    if waits.is_empty() {
        return std::future::pending().await;
    }
    futures_util::future::select_all(waits).await;
}

/// The practice's outcome once it ends; pending for ever when none runs.
async fn join_practice(
    practice: Option<&mut JoinHandle<Result<ServerMessage, ProtocolError>>>,
) -> Result<ServerMessage, ProtocolError> {
    let Some(task) = practice else {
        return std::future::pending().await;
    };
    match task.await {
        Ok(outcome) => outcome,
        Err(e) => Err(refuse(
            ErrorCode::Internal,
            format!("the practice failed: {e}"),
        )),
    }
}

async fn sleep_until_opt(due: Option<Instant>) {
    match due {
        Some(at) => tokio::time::sleep_until(at).await,
        None => std::future::pending().await,
    }
}

/// The hash of the spectator token a stored config names, if any.
fn required_token(config: &str) -> Result<Option<TokenHash>, http::ApiError> {
    crate::config::spectator_token_hash(config).map_err(|e| {
        http::ApiError::internal(format!("a stored config does not read as TOML: {e}"))
    })
}

/// A read-only store for an agent's request (the server's writes go
/// through its writer; a read never writes).
fn read_only(data_dir: &std::path::Path) -> Result<crate::store::Store, StoreError> {
    crate::store::Store::open_read_only(data_dir)?.ok_or(StoreError::Gone(
        "the server's database is gone; restart the server",
    ))
}
