//! The Battlesnake board's engine API, so the official board
//! (BattlesnakeOfficial/board) and other Battlesnake tools render our
//! games: `GET /api/games/{id}` answers `{"Game": {...}}` and the websocket
//! `/api/games/{id}/events` sends every frame from turn 0 as
//! `{"Type": "frame", "Data": {...}}`, then live frames, then
//! `{"Type": "game_end", ...}` and a normal close. Field names and types are
//! the rules repository's `board/api.go`. `{id}` is a stored match id, or
//! `live-N` for live game N while it is kept.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::Json;
use axum::extract::ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade, close_code};
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::http::{ApiError, Bearer};
use super::live::LiveGame;
use super::{App, db};

/// `board/api.go`'s `Game`.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "PascalCase")]
pub struct EngineGame {
    #[serde(rename = "ID")]
    pub id: String,
    /// `running` or `complete`.
    pub status: String,
    pub width: i64,
    pub height: i64,
    pub ruleset: BTreeMap<String, String>,
    pub snake_timeout: i64,
    pub source: String,
    pub ruleset_name: String,
    pub rules_stages: Vec<String>,
    pub map: String,
}

/// `GET /api/games/{id}`'s answer.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct GameInfo {
    #[serde(rename = "Game")]
    pub game: EngineGame,
}

/// `board/api.go`'s `GameEvent`: one message of `GET /api/games/{id}/events`.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "Type", content = "Data")]
pub enum EngineEvent {
    /// A turn of the game.
    #[serde(rename = "frame")]
    Frame(EngineFrame),
    /// The game is over; the last message before the socket closes.
    #[serde(rename = "game_end")]
    GameEnd(GameEnd),
}

/// `board/api.go`'s `GameEnd`.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct GameEnd {
    pub game: EngineGame,
}

/// `board/api.go`'s `GameFrame`.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "PascalCase")]
pub struct EngineFrame {
    pub turn: i64,
    pub snakes: Vec<EngineSnake>,
    pub food: Vec<Point>,
    pub hazards: Vec<Point>,
}

/// `rules.Point`.
#[derive(Clone, Copy, Debug, Serialize, Deserialize, JsonSchema)]
pub struct Point {
    #[serde(rename = "X")]
    pub x: i64,
    #[serde(rename = "Y")]
    pub y: i64,
}

/// `board/api.go`'s `Snake`.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "PascalCase")]
pub struct EngineSnake {
    #[serde(rename = "ID")]
    pub id: String,
    pub name: String,
    pub body: Vec<Point>,
    pub health: i64,
    pub death: Option<Death>,
    pub color: String,
    pub head_type: String,
    pub tail_type: String,
    pub latency: String,
    pub shout: String,
    pub squad: String,
    pub author: String,
    pub status_code: i64,
    pub error: String,
    pub is_bot: bool,
    pub is_environment: bool,
}

/// `board/api.go`'s `Death`.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "PascalCase")]
pub struct Death {
    pub cause: String,
    pub turn: i64,
    pub eliminated_by: String,
}

/// Snake colours by seat when a snake names none.
const COLORS: &[&str] = &[
    "#e0523f", "#3f7de0", "#35a852", "#d9a21b", "#9b4fd1", "#1fb5b5", "#e0499b", "#7a7a7a",
];

/// Turns our BattleSnake frames into the board's, remembering each snake's
/// last body so an eliminated snake is still drawn where it died.
#[derive(Default)]
pub struct FrameConverter {
    seen: BTreeMap<String, EngineSnake>,
    order: Vec<String>,
}

impl FrameConverter {
    /// The board's frame for one of ours.
    pub fn convert(&mut self, frame: &Value) -> EngineFrame {
        let board = &frame["board"];
        let point = |c: &Value| Point {
            x: c["x"].as_i64().unwrap_or(0),
            y: c["y"].as_i64().unwrap_or(0),
        };
        let points = |v: &Value| -> Vec<Point> {
            v.as_array()
                .map(|a| a.iter().map(point).collect())
                .unwrap_or_default()
        };
        let mut alive = Vec::new();
        for s in board["snakes"].as_array().into_iter().flatten() {
            let id = s["id"].as_str().unwrap_or_default().to_string();
            if !self.order.contains(&id) {
                self.order.push(id.clone());
            }
            let seat = self.order.iter().position(|x| *x == id).unwrap_or(0);
            let custom = &s["customizations"];
            let pick = |v: &Value, default: &str| {
                v.as_str()
                    .filter(|t| !t.is_empty())
                    .unwrap_or(default)
                    .to_string()
            };
            let snake = EngineSnake {
                id: id.clone(),
                name: pick(&s["name"], &id),
                body: points(&s["body"]),
                health: s["health"].as_i64().unwrap_or(0),
                death: None,
                color: pick(&custom["color"], COLORS[seat % COLORS.len()]),
                head_type: pick(&custom["head"], "default"),
                tail_type: pick(&custom["tail"], "default"),
                latency: pick(&s["latency"], "0"),
                shout: pick(&s["shout"], ""),
                squad: pick(&s["squad"], ""),
                author: String::new(),
                status_code: 200,
                error: String::new(),
                is_bot: false,
                is_environment: false,
            };
            self.seen.insert(id.clone(), snake);
            alive.push(id);
        }
        for e in frame["eliminated"].as_array().into_iter().flatten() {
            let id = e["id"].as_str().unwrap_or_default();
            if let Some(s) = self.seen.get_mut(id)
                && !alive.iter().any(|a| a == id)
            {
                s.death = Some(Death {
                    cause: e["cause"].as_str().unwrap_or_default().to_string(),
                    turn: e["turn"].as_i64().unwrap_or(0),
                    eliminated_by: e["by"].as_str().unwrap_or_default().to_string(),
                });
            }
        }
        EngineFrame {
            turn: frame["turn"].as_i64().unwrap_or(0),
            snakes: self
                .order
                .iter()
                .filter_map(|id| self.seen.get(id).cloned())
                .collect(),
            food: points(&board["food"]),
            hazards: points(&board["hazards"]),
        }
    }
}

/// The board's `Game` from a replay header's settings.
fn engine_game(id: &str, settings: &Value, running: bool) -> EngineGame {
    let s = &settings["battlesnake"];
    let ruleset = s["ruleset"].as_str().unwrap_or("standard").to_string();
    let mut rules = BTreeMap::new();
    rules.insert("name".to_string(), ruleset.clone());
    if let Some(o) = s.as_object() {
        for (k, v) in o {
            if k != "ruleset" {
                let text = v.as_str().map_or_else(|| v.to_string(), str::to_string);
                rules.insert(k.clone(), text);
            }
        }
    }
    EngineGame {
        id: id.to_string(),
        status: if running { "running" } else { "complete" }.to_string(),
        width: s["width"].as_i64().unwrap_or(11),
        height: s["height"].as_i64().unwrap_or(11),
        ruleset: rules,
        snake_timeout: s["timeout_ms"].as_i64().unwrap_or(500),
        source: "arena".to_string(),
        ruleset_name: ruleset,
        rules_stages: Vec::new(),
        map: s["map"].as_str().unwrap_or("standard").to_string(),
    }
}

/// A game the engine API can show.
enum Found {
    Stored {
        header: arena_replays::ReplayHeader,
        frames: Vec<Value>,
    },
    Live(Arc<LiveGame>),
}

/// Finds `{id}`: `live-N` or a stored match id; only BattleSnake games.
async fn find(app: &App, bearer: Bearer, id: &str, with_frames: bool) -> Result<Found, ApiError> {
    if let Some(n) = id.strip_prefix("live-") {
        let n: u64 = n
            .parse()
            .map_err(|_| ApiError::bad_request(format!("{id:?} is not live-N")))?;
        let game = app.hub.live.get(n).ok_or_else(|| {
            ApiError::not_found(format!(
                "no live game {n}; stored games go by their match id"
            ))
        })?;
        if !super::auth::may_read(game.info.spectator_token.as_ref(), bearer.0.as_ref()) {
            return Err(ApiError::bad_token(format!(
                "live game {n} is of a private tournament: send its spectator token as `Authorization: Bearer TOKEN`"
            )));
        }
        if game.info.header.game != "battlesnake" {
            return Err(ApiError::not_found(format!(
                "live game {n} is not a BattleSnake game"
            )));
        }
        return Ok(Found::Live(game));
    }
    let match_id = id.parse::<i64>().ok().filter(|m| *m > 0).ok_or_else(|| {
        ApiError::bad_request(format!("game id {id:?} is neither a match id nor live-N"))
    })?;
    db::read(&app.state.data_dir, move |store| {
        let store = store.ok_or_else(|| ApiError::not_found("no game stored yet"))?;
        bearer.may_read_match(store, match_id)?;
        store
            .with_replay(match_id, |replay| {
                stored_battlesnake(replay, match_id, with_frames)
            })?
            .unwrap_or_else(|| Err(ApiError::not_found(format!("game {match_id} not found"))))
    })
    .await
}

/// A stored BattleSnake game's header (and frames if asked).
fn stored_battlesnake(
    replay: &arena_replays::Replay<'_>,
    match_id: i64,
    with_frames: bool,
) -> Result<Found, ApiError> {
    if replay.header().game != "battlesnake" {
        return Err(ApiError::not_found(format!(
            "game {match_id} is {}, not BattleSnake",
            replay.header().game
        )));
    }
    let frames = if with_frames {
        replay
            .frames(0..replay.frame_count())
            .collect::<Result<Vec<_>, _>>()
            .map_err(ApiError::internal)?
    } else {
        Vec::new()
    };
    Ok(Found::Stored {
        header: replay.header().clone(),
        frames,
    })
}

/// `GET /api/games/{id}`.
pub(crate) async fn game(
    State(app): State<App>,
    bearer: Bearer,
    Path(id): Path<String>,
) -> Response {
    let info = match find(&app, bearer, &id, false).await {
        Ok(Found::Stored { header, .. }) => engine_game(&id, &header.settings, false),
        Ok(Found::Live(g)) => {
            let running = g.pending(u64::MAX).finished.is_none();
            engine_game(&id, &g.info.header.settings, running)
        }
        Err(e) => return cors(e.into_response()),
    };
    cors(Json(GameInfo { game: info }).into_response())
}

/// Reads are open to every origin.
fn cors(mut r: Response) -> Response {
    r.headers_mut().insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        header::HeaderValue::from_static("*"),
    );
    r
}

/// `GET /api/games/{id}/events` (websocket).
pub(crate) async fn events(
    State(app): State<App>,
    bearer: Bearer,
    Path(id): Path<String>,
    ws: WebSocketUpgrade,
) -> Response {
    let found = match find(&app, bearer, &id, true).await {
        Ok(f) => f,
        Err(e) => return cors(e.into_response()),
    };
    ws.on_upgrade(move |socket| async move {
        let done = app.websockets_done.clone();
        stream(app, id, found, socket).await;
        drop(done);
    })
}

async fn send(socket: &mut WebSocket, event: EngineEvent) -> bool {
    let text = serde_json::to_string(&event).unwrap_or_default();
    socket.send(Message::Text(text.into())).await.is_ok()
}

async fn stream(app: App, id: String, found: Found, mut socket: WebSocket) {
    let mut convert = FrameConverter::default();
    let mut shutdown = app.shutdown.clone();
    let game = match found {
        Found::Stored { header, frames } => {
            for f in &frames {
                if !send(&mut socket, EngineEvent::Frame(convert.convert(f))).await {
                    return;
                }
            }
            engine_game(&id, &header.settings, false)
        }
        Found::Live(live) => {
            let (_, subscription) = live.subscribe(None, false);
            let mut sent = 0;
            let ended = loop {
                let pending = live.pending(sent);
                let mut ok = true;
                for text in &pending.frames {
                    let msg: Value = serde_json::from_str(text.as_str()).unwrap_or(Value::Null);
                    ok = ok
                        && send(
                            &mut socket,
                            EngineEvent::Frame(convert.convert(&msg["frame"])),
                        )
                        .await;
                }
                sent = pending.version;
                if !ok {
                    break false;
                }
                if pending.finished.is_some() {
                    break true;
                }
                tokio::select! {
                    () = subscription.woken() => {}
                    _ = shutdown.changed() => break false,
                    msg = socket.recv() => if matches!(msg, None | Some(Err(_)) | Some(Ok(Message::Close(_)))) {
                        break false;
                    },
                }
            };
            drop(subscription);
            if !ended {
                let _ = socket
                    .send(Message::Close(Some(CloseFrame {
                        code: close_code::AWAY,
                        reason: "server shutting down".into(),
                    })))
                    .await;
                return;
            }
            engine_game(&id, &live.info.header.settings, false)
        }
    };
    if send(&mut socket, EngineEvent::GameEnd(GameEnd { game })).await {
        let _ = socket
            .send(Message::Close(Some(CloseFrame {
                code: close_code::NORMAL,
                reason: "game over".into(),
            })))
            .await;
        // Wait briefly for the client's close so the close handshake ends cleanly.
        let _ = tokio::time::timeout(std::time::Duration::from_secs(2), async {
            while let Some(Ok(m)) = socket.recv().await {
                if matches!(m, Message::Close(_)) {
                    break;
                }
            }
        })
        .await;
    }
}
