//! The websocket at `/ws`: a connection says its role once, then (as a
//! spectator) plays stored replays with play, pause, speed and seek.
//!
//! Until `server::protocol` lands, the messages are parsed here:
//! `{"type":"hello","role":"spectator"}`, then `{"type":"replay","match_id":N}`,
//! `{"type":"pause"}`, `{"type":"play"}`, `{"type":"speed","factor":F}`,
//! `{"type":"seek","turn":T}`. The server sends `welcome`, `replay_header`,
//! `frame` (with `turn` and a `version` that grows with every frame this
//! connection is sent), `replay_state` after each control, `replay_end`, and
//! `error` with a `code` and a `message`; an error leaves the connection usable.

use std::time::Duration;

use axum::extract::State;
use axum::extract::ws::{CloseFrame, Message, Utf8Bytes, WebSocket, WebSocketUpgrade, close_code};
use axum::response::Response;
use serde::Deserialize;
use serde_json::{Value, json};
use tokio::time::Instant;

use super::{App, db};

/// The largest message a client may send; larger ones are refused by the
/// websocket layer before they are buffered whole.
pub const MAX_MESSAGE_BYTES: usize = 1 << 20;

/// Frames a second at speed 1.
pub const BASE_FRAMES_PER_SECOND: f64 = 10.0;

/// The speed factors a replay accepts.
pub const SPEED_RANGE: std::ops::RangeInclusive<f64> = 0.01..=100.0;

/// Errors in a row after which a connection is closed with a policy code.
const MAX_CONSECUTIVE_ERRORS: u32 = 100;

/// Frames read from the database at a time (a replay chunk's worth).
const BATCH_FRAMES: u64 = 64;

/// A message from a client.
#[derive(Debug, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
enum ClientMessage {
    Hello {
        role: String,
        #[serde(default)]
        token: Option<String>,
    },
    Replay {
        match_id: i64,
    },
    Pause,
    Play,
    Speed {
        factor: f64,
    },
    Seek {
        turn: u64,
    },
}

/// An error to send back: a stable code and a text that says what to do.
struct Refusal {
    code: &'static str,
    message: String,
}

fn refuse(code: &'static str, message: impl Into<String>) -> Refusal {
    Refusal {
        code,
        message: message.into(),
    }
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

/// Who the connection said it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Role {
    Spectator,
    Admin,
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

    fn state(&self) -> Value {
        json!({
            "type": "replay_state",
            "match_id": self.match_id,
            "playing": self.playing,
            "speed": self.speed,
            "turn": self.turn,
            "frames": self.frames,
        })
    }
}

/// One websocket connection.
struct Connection {
    app: App,
    role: Option<Role>,
    playback: Option<Playback>,
    /// The version of the last frame sent; frames carry increasing versions.
    version: u64,
    errors_in_a_row: u32,
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
            errors_in_a_row: 0,
        }
    }

    async fn run(mut self, mut socket: WebSocket) {
        let mut shutdown = self.app.shutdown.clone();
        if *shutdown.borrow() {
            let _ = close(&mut socket, close_code::AWAY, "server shutting down").await;
            return;
        }
        loop {
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
                return self
                    .reply_error(
                        socket,
                        refuse("binary_not_supported", "messages are JSON text"),
                    )
                    .await;
            }
            Message::Close(_) => return Flow::Stop,
            Message::Ping(_) | Message::Pong(_) => return Flow::Continue,
        };
        let parsed = match serde_json::from_str::<ClientMessage>(text.as_str()) {
            Ok(m) => m,
            Err(e) => {
                let refusal = match serde_json::from_str::<Value>(text.as_str()) {
                    Err(_) => refuse("malformed", format!("not a JSON object: {e}")),
                    Ok(v) if v.get("type").and_then(Value::as_str).is_none() => {
                        refuse("malformed", "a message is a JSON object with a \"type\"")
                    }
                    Ok(v) => refuse(
                        "bad_message",
                        format!("bad {:?} message: {e}", v["type"].as_str().unwrap_or("")),
                    ),
                };
                return self.reply_error(socket, refusal).await;
            }
        };
        match self.handle(socket, parsed).await {
            Ok(flow) => {
                self.errors_in_a_row = 0;
                flow
            }
            Err(r) => self.reply_error(socket, r).await,
        }
    }

    async fn handle(
        &mut self,
        socket: &mut WebSocket,
        msg: ClientMessage,
    ) -> Result<Flow, Refusal> {
        let role = match (&msg, self.role) {
            (ClientMessage::Hello { role, token }, None) => {
                let role = match role.as_str() {
                    "spectator" => Role::Spectator,
                    "admin" => {
                        let ok = token
                            .as_deref()
                            .is_some_and(|t| self.app.state.admin_token_hash.matches(t));
                        if !ok {
                            return Err(refuse("unauthorized", "wrong or missing admin token"));
                        }
                        Role::Admin
                    }
                    "agent" => {
                        return Err(refuse(
                            "not_implemented",
                            "agents cannot connect yet; connect as a spectator",
                        ));
                    }
                    other => {
                        return Err(refuse(
                            "bad_role",
                            format!("unknown role {other:?}: spectator, agent or admin"),
                        ));
                    }
                };
                self.role = Some(role);
                let name = if role == Role::Admin {
                    "admin"
                } else {
                    "spectator"
                };
                return Ok(self
                    .send(socket, json!({"type": "welcome", "role": name}))
                    .await);
            }
            (ClientMessage::Hello { .. }, Some(_)) => {
                return Err(refuse(
                    "already_hello",
                    "this connection already said its role",
                ));
            }
            (_, None) => {
                return Err(refuse(
                    "hello_required",
                    "say your role first: {\"type\":\"hello\",\"role\":\"spectator\"}",
                ));
            }
            (_, Some(role)) => role,
        };
        // Admins may watch replays too; their own commands come later.
        let _ = role;
        match msg {
            ClientMessage::Hello { .. } => Ok(Flow::Continue),
            ClientMessage::Replay { match_id } => self.start_replay(socket, match_id).await,
            ClientMessage::Pause | ClientMessage::Play => {
                let playing = matches!(msg, ClientMessage::Play);
                let p = self.playback_mut()?;
                p.playing = playing;
                p.due = Instant::now() + p.interval();
                let state = p.state();
                Ok(self.send(socket, state).await)
            }
            ClientMessage::Speed { factor } => {
                if !SPEED_RANGE.contains(&factor) {
                    return Err(refuse(
                        "bad_speed",
                        format!(
                            "speed factor {factor} is out of range {}..={}",
                            SPEED_RANGE.start(),
                            SPEED_RANGE.end()
                        ),
                    ));
                }
                let p = self.playback_mut()?;
                p.speed = factor;
                p.due = Instant::now() + p.interval();
                let state = p.state();
                Ok(self.send(socket, state).await)
            }
            ClientMessage::Seek { turn } => {
                let p = self.playback_mut()?;
                if turn >= p.frames {
                    return Err(refuse(
                        "bad_turn",
                        format!(
                            "turn {turn} is past the replay's last turn {}",
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

    fn playback_mut(&mut self) -> Result<&mut Playback, Refusal> {
        self.playback.as_mut().ok_or_else(|| {
            refuse(
                "no_replay",
                "no replay is playing: send {\"type\":\"replay\",\"match_id\":N} first",
            )
        })
    }

    async fn start_replay(
        &mut self,
        socket: &mut WebSocket,
        match_id: i64,
    ) -> Result<Flow, Refusal> {
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
        .map_err(|e| refuse("internal", e.message))?;
        let Some((header, frames, finished)) = header else {
            return Err(refuse(
                "not_found",
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
                json!({
                    "type": "replay_header",
                    "match_id": match_id,
                    "frames": frames,
                    "finished": finished,
                    "header": header,
                }),
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
                            refuse("internal", format!("turn {turn} has no frame")),
                        )
                        .await;
                }
                Err(e) => {
                    p.playing = false;
                    return self
                        .reply_error(socket, refuse("internal", e.message))
                        .await;
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
        let msg = json!({
            "type": "frame",
            "match_id": match_id,
            "turn": turn,
            "version": self.version,
            "frame": frame,
        });
        if let Flow::Stop = self.send(socket, msg).await {
            return Flow::Stop;
        }
        if end {
            return self
                .send(
                    socket,
                    json!({"type": "replay_end", "match_id": match_id, "version": self.version}),
                )
                .await;
        }
        Flow::Continue
    }

    async fn send(&mut self, socket: &mut WebSocket, msg: Value) -> Flow {
        match socket
            .send(Message::Text(Utf8Bytes::from(msg.to_string())))
            .await
        {
            Ok(()) => Flow::Continue,
            Err(_) => Flow::Stop,
        }
    }

    async fn reply_error(&mut self, socket: &mut WebSocket, r: Refusal) -> Flow {
        self.errors_in_a_row += 1;
        if self.errors_in_a_row > MAX_CONSECUTIVE_ERRORS {
            let _ = close(socket, close_code::POLICY, "too many bad messages").await;
            return Flow::Stop;
        }
        self.send(
            socket,
            json!({"type": "error", "code": r.code, "message": r.message}),
        )
        .await
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
