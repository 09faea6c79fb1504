//! The websocket at `/ws` (messages in [`super::protocol`], written down in
//! docs/protocol.md): a connection says its role once, then (as a spectator,
//! or an admin) lists tournaments and games and plays stored replays with
//! play, pause, speed and seek. Each `frame` carries its `turn` and a
//! `version` that grows with every frame this connection is sent. An error
//! leaves the connection usable; too many close it with 1008.

use std::time::Duration;

use axum::extract::State;
use axum::extract::ws::{CloseFrame, Message, Utf8Bytes, WebSocket, WebSocketUpgrade, close_code};
use axum::response::Response;
use serde_json::Value;
use tokio::time::Instant;

use super::protocol::{
    self, ClientMessage, ErrorCode, ProtocolError, Role, ServerMessage, Strikes,
};
use super::{App, db, http};

/// The largest websocket message read at all; the websocket layer refuses
/// larger ones before buffering them (and closes with 1009). Smaller limits
/// per role are `protocol::max_message_bytes`, answered with `too_large`.
/// Agents (16 MiB codebases) are not served yet.
pub const MAX_MESSAGE_BYTES: usize = protocol::MAX_ADMIN_MESSAGE_BYTES;

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

fn bad_field(field: &str, what: impl std::fmt::Display) -> ProtocolError {
    let mut e = ProtocolError::new(ErrorCode::BadField, format!("field `{field}`: {what}"));
    e.field = Some(field.to_owned());
    e
}

fn internal(e: http::ApiError) -> ProtocolError {
    refuse(ErrorCode::Internal, e.message)
}

/// `GET /ws`: upgrades to a websocket with the message size limit.
pub(crate) async fn upgrade(State(app): State<App>, ws: WebSocketUpgrade) -> Response {
    ws.max_message_size(MAX_MESSAGE_BYTES)
        .max_frame_size(MAX_MESSAGE_BYTES)
        .on_upgrade(move |socket| async move {
            // Held until this connection ends, so shutdown can wait for it.
            let done = app.websockets_done.clone();
            Connection::new(app).run(socket).await;
            drop(done);
        })
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
}

/// One websocket connection.
struct Connection {
    app: App,
    role: Option<Role>,
    playback: Option<Playback>,
    /// The version of the last frame sent; frames carry increasing versions.
    version: u64,
    /// Malformed messages lately; too many close the connection.
    strikes: Strikes,
}

/// Whether the connection goes on after a step.
enum Flow {
    Continue,
    Stop,
}

impl Connection {
    fn new(app: App) -> Connection {
        Connection {
            app,
            role: None,
            playback: None,
            version: 0,
            strikes: Strikes::default(),
        }
    }

    async fn run(mut self, mut socket: WebSocket) {
        let mut shutdown = self.app.shutdown.clone();
        if *shutdown.borrow() {
            let _ = close(&mut socket, close_code::AWAY, "server shutting down").await;
            return;
        }
        let hello_by = Instant::now() + HELLO_TIMEOUT;
        loop {
            let hello_due = self.role.is_none().then_some(hello_by);
            let due = self
                .playback
                .as_ref()
                .filter(|p| p.playing && p.turn < p.frames)
                .map(|p| p.due);
            let flow = tokio::select! {
                _ = shutdown.changed() => {
                    let _ = close(&mut socket, close_code::AWAY, "server shutting down").await;
                    Flow::Stop
                }
                msg = socket.recv() => match msg {
                    None => Flow::Stop,
                    Some(Err(e)) => {
                        // Oversized or broken frames end up here; only this
                        // connection is affected.
                        tracing::debug!("websocket read error: {e}");
                        let reason = if e.to_string().to_lowercase().contains("too long")
                            || e.to_string().to_lowercase().contains("size")
                        {
                            (close_code::SIZE, "message over 1 MiB")
                        } else {
                            (close_code::PROTOCOL, "websocket protocol error")
                        };
                        let _ = close(&mut socket, reason.0, reason.1).await;
                        Flow::Stop
                    }
                    Some(Ok(msg)) => self.on_message(&mut socket, msg).await,
                },
                () = sleep_until_opt(due) => self.send_next_frame(&mut socket).await,
                () = sleep_until_opt(hello_due) => {
                    let _ = close(
                        &mut socket,
                        protocol::CLOSE_POLICY_VIOLATION,
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
            Message::Ping(_) | Message::Pong(_) => return Flow::Continue,
        };
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
                    Role::Spectator => {}
                    Role::Admin => {
                        let ok = token
                            .as_deref()
                            .is_some_and(|t| self.app.state.admin_token_hash.matches(t));
                        if !ok {
                            return Err(refuse(ErrorCode::BadToken, "not the admin token"));
                        }
                    }
                    Role::Agent => {
                        return Err(refuse(
                            ErrorCode::NotAllowedForRole,
                            "this server does not serve agents yet; connect as a spectator",
                        ));
                    }
                }
                self.role = Some(role);
                let welcome = ServerMessage::Welcome {
                    protocol_version: protocol::PROTOCOL_VERSION,
                    role,
                    player: None,
                    tournament: None,
                };
                Ok(self.send(socket, welcome).await)
            }
            ClientMessage::ListTournaments {} => {
                let tournaments = db::read(&self.app.state.data_dir, |conn| match conn {
                    Some(conn) => http::list_tournaments(conn),
                    None => Ok(Value::Array(Vec::new())),
                })
                .await
                .map_err(internal)?;
                Ok(self
                    .send(socket, ServerMessage::Tournaments { tournaments })
                    .await)
            }
            ClientMessage::ListGames { tournament, round } => {
                let games = db::read(&self.app.state.data_dir, move |conn| match conn {
                    Some(conn) => http::list_games(conn, tournament, round).map(Some),
                    None => Ok(None),
                })
                .await
                .map_err(internal)?;
                let games = games
                    .filter(|g| g.as_array().is_some_and(|a| !a.is_empty()))
                    .ok_or_else(|| {
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
            ClientMessage::Subscribe { match_id }
            | ClientMessage::Unsubscribe { match_id }
            | ClientMessage::Resync { match_id, .. } => Err(refuse(
                ErrorCode::NotFound,
                format!(
                    "no live game {match_id}: this server plays stored replays only (send `replay`)"
                ),
            )),
            ClientMessage::Replay { match_id } => self.start_replay(socket, match_id).await,
            ClientMessage::Pause {} | ClientMessage::Play {} => {
                let playing = matches!(msg, ClientMessage::Play {});
                let p = self.playback_mut()?;
                p.playing = playing;
                p.due = Instant::now() + p.interval();
                let state = p.state();
                Ok(self.send(socket, state).await)
            }
            ClientMessage::Speed { factor } => {
                // The range was checked by parse_client_message.
                let p = self.playback_mut()?;
                p.speed = factor;
                p.due = Instant::now() + p.interval();
                let state = p.state();
                Ok(self.send(socket, state).await)
            }
            ClientMessage::Seek { turn } => {
                let p = self.playback_mut()?;
                if turn >= p.frames {
                    return Err(bad_field(
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
            ClientMessage::Submit { .. }
            | ClientMessage::Practice { .. }
            | ClientMessage::CreateTournament { .. }
            | ClientMessage::RegisterAgent { .. }
            | ClientMessage::StartTournament { .. }
            | ClientMessage::PauseTournament { .. }
            | ClientMessage::ResumeTournament { .. }
            | ClientMessage::CancelTournament { .. } => Err(refuse(
                ErrorCode::Internal,
                "not implemented by this server yet",
            )),
        }
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
        let header = db::read(&self.app.state.data_dir, move |conn| {
            let Some(conn) = conn else {
                return Ok(None);
            };
            match arena_replays::Replay::open(conn, match_id) {
                Ok(r) => Ok(Some((
                    serde_json::to_value(r.header()).map_err(super::http::ApiError::internal)?,
                    r.frame_count(),
                    r.is_finished(),
                ))),
                Err(arena_replays::ReplayError::NotFound(_)) => Ok(None),
                Err(e) => Err(super::http::ApiError::internal(e)),
            }
        })
        .await
        .map_err(internal)?;
        let Some((header, frames, finished)) = header else {
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
            let read = db::read(&self.app.state.data_dir, move |conn| {
                let conn = conn.ok_or_else(|| super::http::ApiError::not_found("database gone"))?;
                let replay = arena_replays::Replay::open(conn, match_id)
                    .map_err(super::http::ApiError::internal)?;
                replay
                    .frames(turn..end)
                    .collect::<Result<Vec<_>, _>>()
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
                protocol::CLOSE_POLICY_VIOLATION,
                "too many malformed messages",
            )
            .await;
            return Flow::Stop;
        }
        self.send(socket, e.to_message()).await
    }
}

async fn close(socket: &mut WebSocket, code: u16, reason: &'static str) -> Result<(), axum::Error> {
    socket
        .send(Message::Close(Some(CloseFrame {
            code,
            reason: Utf8Bytes::from_static(reason),
        })))
        .await
}

async fn sleep_until_opt(due: Option<Instant>) {
    match due {
        Some(at) => tokio::time::sleep_until(at).await,
        None => std::future::pending().await,
    }
}
