//! The JSON read endpoints. Reads need no token; errors are
//! `{"error": {"code", "message"}}` with the matching HTTP status.

use std::collections::{BTreeMap, HashMap};
use std::io::Write;

use axum::Json;
use axum::body::{Body, Bytes};
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use rusqlite::{Connection, OptionalExtension, params};
use serde_json::{Value, json};
use tokio::sync::{mpsc, oneshot};

use super::{App, db};

/// An error reply.
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    /// Stable, machine-readable: `not_found`, `bad_request`, `internal`.
    pub code: &'static str,
    pub message: String,
}

impl ApiError {
    pub fn not_found(message: impl Into<String>) -> ApiError {
        ApiError {
            status: StatusCode::NOT_FOUND,
            code: "not_found",
            message: message.into(),
        }
    }

    pub fn bad_request(message: impl Into<String>) -> ApiError {
        ApiError {
            status: StatusCode::BAD_REQUEST,
            code: "bad_request",
            message: message.into(),
        }
    }

    pub fn internal(e: impl std::fmt::Display) -> ApiError {
        tracing::error!("internal error: {e}");
        ApiError {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            code: "internal",
            message: format!("internal error: {e}"),
        }
    }
}

impl From<rusqlite::Error> for ApiError {
    fn from(e: rusqlite::Error) -> Self {
        ApiError::internal(e)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = json!({"error": {"code": self.code, "message": self.message}});
        (self.status, Json(body)).into_response()
    }
}

type ApiResult = Result<Json<Value>, ApiError>;

/// Any path no route knows.
pub(crate) async fn not_found(uri: axum::http::Uri) -> ApiError {
    ApiError::not_found(format!(
        "no such endpoint: {}; try /api/tournaments",
        uri.path()
    ))
}

fn need_db<'c>(conn: Option<&'c Connection>, what: &str) -> Result<&'c Connection, ApiError> {
    conn.ok_or_else(|| ApiError::not_found(format!("{what} not found: no tournament stored yet")))
}

/// Every tournament, with its state and game (for `/api/tournaments` and the
/// websocket's `list_tournaments`).
pub(crate) fn list_tournaments(conn: &Connection) -> Result<Value, ApiError> {
    let mut stmt = conn.prepare(
        "SELECT t.id, t.name, t.game, t.rules_version, t.state, \
           (SELECT COUNT(*) FROM players p WHERE p.tournament_id = t.id), \
           (SELECT COUNT(*) FROM rounds r WHERE r.tournament_id = t.id) \
         FROM tournaments t ORDER BY t.id",
    )?;
    let rows = stmt
        .query_map([], |r| {
            Ok(json!({
                "id": r.get::<_, i64>(0)?,
                "name": r.get::<_, String>(1)?,
                "game": r.get::<_, String>(2)?,
                "rules_version": r.get::<_, String>(3)?,
                "state": r.get::<_, String>(4)?,
                "players": r.get::<_, i64>(5)?,
                "rounds_finished": r.get::<_, i64>(6)?,
            }))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Value::Array(rows))
}

/// The stored games of tournament `id` (of one round if given), for the
/// websocket's `list_games`.
pub(crate) fn list_games(
    conn: &Connection,
    id: i64,
    round: Option<u32>,
) -> Result<Value, ApiError> {
    let mut stmt = conn.prepare(
        "SELECT m.id, m.round, m.sim, m.turns, EXISTS (SELECT 1 FROM replays r WHERE r.match_id = m.id), \
           (SELECT json_group_array(json_object('player', p.name, 'seat', mp.seat, 'placement', mp.placement)) \
            FROM match_players mp JOIN players p ON p.id = mp.player_id WHERE mp.match_id = m.id) \
         FROM matches m WHERE m.tournament_id = ?1 AND (?2 IS NULL OR m.round = ?2) ORDER BY m.round, m.sim",
    )?;
    let games = stmt
        .query_map(params![id, round], |r| {
            Ok(json!({
                "match_id": r.get::<_, i64>(0)?,
                "round": r.get::<_, i64>(1)?,
                "sim": r.get::<_, i64>(2)?,
                "turns": r.get::<_, i64>(3)?,
                "replay": r.get::<_, bool>(4)?,
                "players": serde_json::from_str::<Value>(&r.get::<_, String>(5)?).unwrap_or(Value::Null),
            }))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Value::Array(games))
}

/// `GET /api/tournaments`: every tournament, with its state and game.
pub(crate) async fn tournaments(State(app): State<App>) -> ApiResult {
    db::read(&app.state.data_dir, |conn| {
        let Some(conn) = conn else {
            return Ok(Json(json!({"tournaments": []})));
        };
        Ok(Json(json!({ "tournaments": list_tournaments(conn)? })))
    })
    .await
}

/// `GET /api/tournaments/{name}`: config, players, rounds with their
/// winners, and standings from the latest stored ratings.
pub(crate) async fn tournament(State(app): State<App>, Path(name): Path<String>) -> ApiResult {
    db::read(&app.state.data_dir, move |conn| {
        let conn = need_db(conn, &format!("tournament {name:?}"))?;
        let row = conn
            .query_row(
                "SELECT id, name, game, rules_version, seed, config, state FROM tournaments WHERE name = ?1",
                [&name],
                |r| {
                    Ok((
                        r.get::<_, i64>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, String>(3)?,
                        r.get::<_, i64>(4)?,
                        r.get::<_, String>(5)?,
                        r.get::<_, String>(6)?,
                    ))
                },
            )
            .optional()?;
        let Some((id, name, game, rules_version, seed, config_text, state)) = row else {
            return Err(ApiError::not_found(format!(
                "tournament {name:?} not found; GET /api/tournaments lists them"
            )));
        };
        // The config as JSON when it parses (it did when it was stored).
        let config = toml::from_str::<toml::Value>(&config_text)
            .ok()
            .and_then(|v| serde_json::to_value(v).ok())
            .unwrap_or(Value::Null);

        let mut names = BTreeMap::new();
        let mut stmt = conn
            .prepare("SELECT id, seat, name, agent FROM players WHERE tournament_id = ?1 ORDER BY seat")?;
        let players = stmt
            .query_map([id], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                ))
            })?
            .collect::<Result<Vec<_>, _>>()?;
        let players: Vec<Value> = players
            .into_iter()
            .map(|(pid, seat, pname, agent)| {
                names.insert(pid, pname.clone());
                json!({"seat": seat, "name": pname, "agent": agent})
            })
            .collect();

        let mut stmt = conn.prepare(
            "SELECT r.round, p.name, (SELECT COUNT(*) FROM matches m WHERE m.tournament_id = r.tournament_id AND m.round = r.round) \
             FROM rounds r LEFT JOIN players p ON p.id = r.winner_id WHERE r.tournament_id = ?1 ORDER BY r.round",
        )?;
        let rounds = stmt
            .query_map([id], |r| {
                Ok(json!({
                    "round": r.get::<_, i64>(0)?,
                    "winner": r.get::<_, Option<String>>(1)?,
                    "matches": r.get::<_, i64>(2)?,
                }))
            })?
            .collect::<Result<Vec<_>, _>>()?;

        // Each player's latest rating in each system.
        let mut stmt = conn.prepare(
            "SELECT player_id, system, rating, deviation, round FROM ratings r \
             WHERE tournament_id = ?1 AND round = (SELECT MAX(round) FROM ratings r2 \
               WHERE r2.tournament_id = r.tournament_id AND r2.player_id = r.player_id AND r2.system = r.system) \
             ORDER BY player_id, system",
        )?;
        let mut standings: BTreeMap<i64, serde_json::Map<String, Value>> = BTreeMap::new();
        let rows = stmt.query_map([id], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, f64>(2)?,
                r.get::<_, Option<f64>>(3)?,
                r.get::<_, i64>(4)?,
            ))
        })?;
        for row in rows {
            let (pid, system, rating, deviation, round) = row?;
            standings.entry(pid).or_default().insert(
                system,
                json!({"rating": rating, "deviation": deviation, "after_round": round}),
            );
        }
        let mut wins: HashMap<i64, i64> = HashMap::new();
        let mut stmt =
            conn.prepare("SELECT winner_id FROM rounds WHERE tournament_id = ?1 AND winner_id IS NOT NULL")?;
        for w in stmt.query_map([id], |r| r.get::<_, i64>(0))? {
            *wins.entry(w?).or_default() += 1;
        }
        let mut standings: Vec<Value> = names
            .iter()
            .map(|(pid, pname)| {
                json!({
                    "player": pname,
                    "rounds_won": wins.get(pid).copied().unwrap_or(0),
                    "ratings": standings.remove(pid).unwrap_or_default(),
                })
            })
            .collect();
        standings.sort_by(|a, b| {
            let key = |v: &Value| {
                (
                    v["rounds_won"].as_i64().unwrap_or(0),
                    v["ratings"]["elo"]["rating"].as_f64().unwrap_or(f64::MIN),
                )
            };
            let (aw, ae) = key(a);
            let (bw, be) = key(b);
            bw.cmp(&aw).then(be.total_cmp(&ae))
        });

        Ok(Json(json!({
            "id": id,
            "name": name,
            "game": game,
            "rules_version": rules_version,
            "seed": seed,
            "state": state,
            "config": config,
            "players": players,
            "rounds": rounds,
            "standings": standings,
        })))
    })
    .await
}

/// `GET /api/ratings?game=G`: each rating pool's leaderboard.
pub(crate) async fn ratings(
    State(app): State<App>,
    Query(query): Query<HashMap<String, String>>,
) -> ApiResult {
    if let Some(k) = query.keys().find(|k| k.as_str() != "game") {
        return Err(ApiError::bad_request(format!(
            "unknown parameter {k:?}; /api/ratings takes only game"
        )));
    }
    let game = query.get("game").cloned();
    if let Some(g) = &game
        && (g.is_empty()
            || g.len() > 64
            || !g
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'))
    {
        return Err(ApiError::bad_request(format!(
            "game {g:?} is not a game name (letters, digits, - and _), e.g. corewar or battlesnake"
        )));
    }
    db::read(&app.state.data_dir, move |conn| {
        let Some(conn) = conn else {
            return Ok(Json(json!({"pools": []})));
        };
        let mut pools = Vec::new();
        for (g, rules) in
            crate::leaderboard::pools(conn, game.as_deref()).map_err(ApiError::internal)?
        {
            let board =
                crate::leaderboard::leaderboard(conn, &g, &rules).map_err(ApiError::internal)?;
            pools.push(serde_json::to_value(board).map_err(ApiError::internal)?);
        }
        Ok(Json(json!({ "pools": pools })))
    })
    .await
}

fn parse_id(text: &str, what: &str) -> Result<i64, ApiError> {
    text.parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .ok_or_else(|| {
            ApiError::bad_request(format!("{what} id {text:?} is not a positive integer"))
        })
}

/// `GET /api/matches/{id}`: the match, its players, placements and reasons.
pub(crate) async fn match_detail(State(app): State<App>, Path(id): Path<String>) -> ApiResult {
    let id = parse_id(&id, "match")?;
    db::read(&app.state.data_dir, move |conn| {
        let conn = need_db(conn, &format!("match {id}"))?;
        let row = conn
            .query_row(
                "SELECT t.name, t.game, m.round, m.sim, m.seed, m.turns, \
                   EXISTS (SELECT 1 FROM replays r WHERE r.match_id = m.id) \
                 FROM matches m JOIN tournaments t ON t.id = m.tournament_id WHERE m.id = ?1",
                [id],
                |r| {
                    Ok(json!({
                        "id": id,
                        "tournament": r.get::<_, String>(0)?,
                        "game": r.get::<_, String>(1)?,
                        "round": r.get::<_, i64>(2)?,
                        "sim": r.get::<_, i64>(3)?,
                        "seed": r.get::<_, i64>(4)?,
                        "turns": r.get::<_, i64>(5)?,
                        "replay": r.get::<_, bool>(6)?,
                    }))
                },
            )
            .optional()?;
        let Some(mut m) = row else {
            return Err(ApiError::not_found(format!("match {id} not found")));
        };
        let mut stmt = conn.prepare(
            "SELECT p.name, mp.seat, mp.placement, mp.score, mp.reason, mp.stop \
             FROM match_players mp JOIN players p ON p.id = mp.player_id \
             WHERE mp.match_id = ?1 ORDER BY mp.seat",
        )?;
        let players = stmt
            .query_map(params![id], |r| {
                Ok(json!({
                    "player": r.get::<_, String>(0)?,
                    "seat": r.get::<_, i64>(1)?,
                    "placement": r.get::<_, i64>(2)?,
                    "score": r.get::<_, f64>(3)?,
                    "reason": r.get::<_, String>(4)?,
                    "stop": r.get::<_, Option<String>>(5)?,
                }))
            })?
            .collect::<Result<Vec<_>, _>>()?;
        m["players"] = Value::Array(players);
        Ok(Json(m))
    })
    .await
}

/// Forwards written bytes to the response body; a client that went away
/// turns into a write error, which stops the export.
struct ChannelWriter(mpsc::Sender<std::io::Result<Bytes>>);

impl Write for ChannelWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0
            .blocking_send(Ok(Bytes::copy_from_slice(buf)))
            .map_err(|_| std::io::Error::new(std::io::ErrorKind::BrokenPipe, "client went away"))?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// `GET /api/replays/{id}`: the replay as one JSON document (as `arena replay
/// export` writes it), streamed chunk by chunk.
pub(crate) async fn replay_export(
    State(app): State<App>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let id = parse_id(&id, "match")?;
    let dir = app.state.data_dir.clone();
    let (opened_tx, opened_rx) = oneshot::channel::<Result<(), ApiError>>();
    let (tx, rx) = mpsc::channel::<std::io::Result<Bytes>>(16);
    tokio::task::spawn_blocking(move || {
        let conn = match db::open(&dir) {
            Ok(Some(c)) => c,
            Ok(None) => {
                let _ = opened_tx.send(Err(ApiError::not_found(format!(
                    "replay of match {id} not found: no tournament stored yet"
                ))));
                return;
            }
            Err(e) => {
                let _ = opened_tx.send(Err(e));
                return;
            }
        };
        let replay = match arena_replays::Replay::open(&conn, id) {
            Ok(r) => r,
            Err(arena_replays::ReplayError::NotFound(_)) => {
                let _ = opened_tx.send(Err(ApiError::not_found(format!(
                    "replay of match {id} not found"
                ))));
                return;
            }
            Err(e) => {
                let _ = opened_tx.send(Err(ApiError::internal(e)));
                return;
            }
        };
        if opened_tx.send(Ok(())).is_err() {
            return;
        }
        // Buffered so the channel carries a few large pieces, not many small ones.
        let writer = std::io::BufWriter::with_capacity(64 << 10, ChannelWriter(tx.clone()));
        if let Err(e) = arena_replays::export_json(&replay, writer) {
            // The status line is already sent: an error in the body aborts
            // the response, so the client never takes a cut document for whole.
            tracing::warn!("replay export of match {id} stopped: {e}");
            let _ = tx.blocking_send(Err(std::io::Error::other(e.to_string())));
        }
    });
    opened_rx.await.map_err(ApiError::internal)??;
    let stream =
        futures_util::stream::unfold(rx, |mut rx| async move { rx.recv().await.map(|b| (b, rx)) });
    Ok((
        [(header::CONTENT_TYPE, "application/json")],
        Body::from_stream(stream),
    )
        .into_response())
}
