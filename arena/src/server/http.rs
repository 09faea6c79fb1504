//! The JSON read endpoints. Reads need no token, except a private
//! tournament's (one with a `spectator_token`): its detail, matches and
//! replays need `Authorization: Bearer TOKEN` ([`Bearer`]). Errors are
//! [`ApiErrorBody`] (`{"error": {"code", "message"}}`) with the matching
//! HTTP status. Every body is a type of `arena_agents::wire`; their
//! OpenAPI document is served at `/api/openapi.json` ([`super::openapi`]).

use std::collections::HashMap;
use std::io::Write;

use axum::Json;
use axum::body::{Body, Bytes};
use axum::extract::{FromRequestParts, Path, Query, State};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use tokio::sync::{mpsc, oneshot};

use arena_agents::wire::{
    ApiErrorBody, ApiErrorCode, ApiErrorDetail, MatchDetail, TournamentDetail, TournamentList,
};

use super::auth::{self, TokenHash};
use super::{App, db};
use crate::config::TournamentConfig;
use crate::store::Store;

/// An error reply.
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: ApiErrorCode,
    pub message: String,
}

impl ApiError {
    pub fn not_found(message: impl Into<String>) -> ApiError {
        ApiError {
            status: StatusCode::NOT_FOUND,
            code: ApiErrorCode::NotFound,
            message: message.into(),
        }
    }

    pub fn bad_request(message: impl Into<String>) -> ApiError {
        ApiError {
            status: StatusCode::BAD_REQUEST,
            code: ApiErrorCode::BadRequest,
            message: message.into(),
        }
    }

    /// 401: a private tournament read without its spectator token.
    pub fn bad_token(message: impl Into<String>) -> ApiError {
        ApiError {
            status: StatusCode::UNAUTHORIZED,
            code: ApiErrorCode::BadToken,
            message: message.into(),
        }
    }

    pub fn internal(e: impl std::fmt::Display) -> ApiError {
        tracing::error!("internal error: {e}");
        ApiError {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            code: ApiErrorCode::Internal,
            message: format!("internal error: {e}"),
        }
    }
}

impl From<crate::tournament::StandingsError> for ApiError {
    fn from(e: crate::tournament::StandingsError) -> Self {
        ApiError::internal(e)
    }
}

impl From<crate::leaderboard::LeaderboardError> for ApiError {
    fn from(e: crate::leaderboard::LeaderboardError) -> Self {
        ApiError::internal(e)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ApiErrorBody {
            error: ApiErrorDetail {
                code: self.code,
                message: self.message,
            },
        };
        let mut response = (self.status, Json(body)).into_response();
        if self.code == ApiErrorCode::BadToken {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                header::HeaderValue::from_static("Bearer realm=\"arena\""),
            );
        }
        response
    }
}

/// The token a request carries as `Authorization: Bearer TOKEN`, as its
/// hash; `None` without one (another scheme counts as none). Only a
/// private tournament's reads look at it.
pub(crate) struct Bearer(pub(crate) Option<TokenHash>);

impl<S: Send + Sync> FromRequestParts<S> for Bearer {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| {
                let (scheme, token) = v.trim().split_once(' ')?;
                scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
            })
            .filter(|t| !t.is_empty());
        Ok(Bearer(token.map(TokenHash::of)))
    }
}

impl Bearer {
    /// Refuses a read of a tournament whose stored config is `config` when
    /// it is private and this is not its token; `what` says what was asked
    /// for (`tournament "x" is private`).
    pub(crate) fn may_read(&self, config: &str, what: &str) -> Result<(), ApiError> {
        let required = crate::config::spectator_token_hash(config).map_err(|e| {
            ApiError::internal(format!("a stored config does not read as TOML: {e}"))
        })?;
        if auth::may_read(required.as_ref(), self.0.as_ref()) {
            return Ok(());
        }
        let how = if self.0.is_some() {
            "that is not its spectator token"
        } else {
            "send its spectator token as `Authorization: Bearer TOKEN`"
        };
        Err(ApiError::bad_token(format!("{what}: {how}")))
    }

    /// [`Bearer::may_read`] for the tournament of stored match `id`; a
    /// match that is not stored passes (the caller answers 404).
    pub(crate) fn may_read_match(&self, store: &Store, id: i64) -> Result<(), ApiError> {
        match store.match_tournament(id)? {
            Some((_, config)) => {
                self.may_read(&config, &format!("match {id} is of a private tournament"))
            }
            None => Ok(()),
        }
    }
}

/// Any path no route knows.
pub(crate) async fn not_found(uri: axum::http::Uri) -> ApiError {
    ApiError::not_found(format!(
        "no such endpoint: {}; try /api/tournaments (all of them: /api/openapi.json)",
        uri.path()
    ))
}

fn need_db<'s>(store: Option<&'s Store>, what: &str) -> Result<&'s Store, ApiError> {
    store.ok_or_else(|| ApiError::not_found(format!("{what} not found: no tournament stored yet")))
}

/// `GET /api/tournaments`: every tournament, with its state and game.
pub(crate) async fn tournaments(State(app): State<App>) -> Result<Json<TournamentList>, ApiError> {
    db::read(&app.state.data_dir, |store| {
        let tournaments = match store {
            Some(store) => store.tournament_summaries()?,
            None => Vec::new(),
        };
        Ok(Json(TournamentList { tournaments }))
    })
    .await
}

/// `GET /api/tournaments/{name}`: the tournament, its players, its rounds
/// with their winners, and its table as it stands.
pub(crate) async fn tournament(
    State(app): State<App>,
    bearer: Bearer,
    Path(name): Path<String>,
) -> Result<Json<TournamentDetail>, ApiError> {
    db::read(&app.state.data_dir, move |store| {
        let store = need_db(store, &format!("tournament {name:?}"))?;
        let Some(mut detail) = store.tournament_by_name(&name)? else {
            return Err(ApiError::not_found(format!(
                "tournament {name:?} not found; GET /api/tournaments lists them"
            )));
        };
        bearer.may_read(
            &detail.config_toml,
            &format!("tournament {name:?} is private"),
        )?;
        let cfg = TournamentConfig::parse(&detail.config_toml).map_err(ApiError::internal)?;
        let players = store.player_ids(detail.id)?;
        detail.standings = crate::tournament::stored_standings(store, detail.id, &cfg, &players)?;
        Ok(Json(detail))
    })
    .await
}

/// `GET /api/ratings`'s answer: each rating pool's leaderboard.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct RatingsResponse {
    pub pools: Vec<crate::leaderboard::Leaderboard>,
}

/// `GET /api/ratings`'s query.
#[derive(Clone, Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RatingsQuery {
    /// Only this game's pools (letters, digits, `-` and `_`).
    pub game: Option<String>,
}

/// `GET /api/ratings?game=G`: each rating pool's leaderboard, over the
/// public tournaments (a private one's results are left out).
pub(crate) async fn ratings(
    State(app): State<App>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Json<RatingsResponse>, ApiError> {
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
    db::read(&app.state.data_dir, move |store| {
        let Some(store) = store else {
            return Ok(Json(RatingsResponse { pools: Vec::new() }));
        };
        let mut pools = Vec::new();
        // Private tournaments' results are not pooled here (`Pooled`).
        let public = crate::leaderboard::Pooled::Public;
        for (g, rules) in crate::leaderboard::pools(store, game.as_deref(), public)? {
            pools.push(crate::leaderboard::leaderboard(store, &g, &rules, public)?);
        }
        Ok(Json(RatingsResponse { pools }))
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
pub(crate) async fn match_detail(
    State(app): State<App>,
    bearer: Bearer,
    Path(id): Path<String>,
) -> Result<Json<MatchDetail>, ApiError> {
    let id = parse_id(&id, "match")?;
    db::read(&app.state.data_dir, move |store| {
        let store = need_db(store, &format!("match {id}"))?;
        bearer.may_read_match(store, id)?;
        store
            .match_detail(id)?
            .map(Json)
            .ok_or_else(|| ApiError::not_found(format!("match {id} not found")))
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
    bearer: Bearer,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let id = parse_id(&id, "match")?;
    let dir = app.state.data_dir.clone();
    let (opened_tx, opened_rx) = oneshot::channel::<Result<(), ApiError>>();
    let (tx, rx) = mpsc::channel::<std::io::Result<Bytes>>(16);
    tokio::task::spawn_blocking(move || {
        let store = match Store::open_read_only(&dir) {
            Ok(Some(s)) => s,
            Ok(None) => {
                let _ = opened_tx.send(Err(ApiError::not_found(format!(
                    "replay of match {id} not found: no tournament stored yet"
                ))));
                return;
            }
            Err(e) => {
                let _ = opened_tx.send(Err(e.into()));
                return;
            }
        };
        // A private tournament's only with its token; codebase hashes only
        // in a transparent tournament, as spectators see them.
        let transparent = match store.match_tournament(id) {
            Ok(Some((_, config))) => {
                if let Err(e) =
                    bearer.may_read(&config, &format!("match {id} is of a private tournament"))
                {
                    let _ = opened_tx.send(Err(e));
                    return;
                }
                TournamentConfig::parse(&config).is_ok_and(|c| c.transparent)
            }
            Ok(None) => false,
            Err(e) => {
                let _ = opened_tx.send(Err(e.into()));
                return;
            }
        };
        let options = arena_replays::ExportOptions {
            without_codebase_hashes: !transparent,
        };
        // Told once: Ok when the replay opened, else why not.
        let mut opened = Some(opened_tx);
        let exported = store.with_replay(id, |replay| {
            let told = opened.take().map(|o| o.send(Ok(())));
            if !matches!(told, Some(Ok(()))) {
                return;
            }
            // Buffered so the channel carries a few large pieces, not many small ones.
            let writer = std::io::BufWriter::with_capacity(64 << 10, ChannelWriter(tx.clone()));
            if let Err(e) = arena_replays::export_json_with(replay, writer, &options) {
                // The status line is already sent: an error in the body aborts
                // the response, so the client never takes a cut document for whole.
                tracing::warn!("replay export of match {id} stopped: {e}");
                let _ = tx.blocking_send(Err(std::io::Error::other(e.to_string())));
            }
        });
        let Some(opened) = opened else {
            return;
        };
        let _ = opened.send(match exported {
            Ok(_) => Err(ApiError::not_found(format!(
                "replay of match {id} not found"
            ))),
            Err(e) => Err(ApiError::internal(e)),
        });
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

/// `GET /api/openapi.json`: the HTTP API as OpenAPI 3.1, generated from the
/// types (the same document as docs/openapi.json).
pub(crate) async fn openapi() -> Json<serde_json::Value> {
    static DOC: std::sync::OnceLock<serde_json::Value> = std::sync::OnceLock::new();
    Json(DOC.get_or_init(super::schema::openapi).clone())
}
