//! `arena serve`: HTTP (JSON read endpoints) and websockets (spectators) on
//! one port, after mini-redis's layout: [`serve`] takes a bound listener, the
//! shared state and a shutdown future, so tests and the CLI drive it alike.
//!
//! Shutdown: the listener stops accepting, in-flight HTTP requests finish,
//! and every websocket is closed with a going-away close frame; `serve`
//! returns once all of them are done.

pub mod auth;
mod db;
pub mod engine_api;
pub mod http;
pub use arena_agents::protocol;
pub mod hub;
pub mod limits;
pub mod live;
pub mod schema;
mod socket;
mod viewer;
pub mod viewer_api;
pub mod ws;

use std::future::Future;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::routing::get;
use tokio::sync::{mpsc, watch};

use auth::TokenHash;

/// Locks a mutex; a panic while it was held leaves plain data behind, so
/// go on with it.
pub(crate) fn lock<T>(m: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// What the server shares between connections.
#[derive(Clone, Debug)]
pub struct ServerState {
    /// Where the SQLite database lives; read with short-lived read-only
    /// connections so reads never wait on the tournament's writer.
    pub data_dir: PathBuf,
    /// The admin token's SHA-256: the token itself is never kept.
    pub admin_token_hash: TokenHash,
    /// Threads for each tournament's simulations.
    pub jobs: usize,
    /// How long an edit phase stays open for remote agents.
    pub edit_deadline: Duration,
    /// Where tournaments play their simulations (`--workers`); `None`:
    /// in-process.
    pub workers: Option<Arc<dyn crate::tournament::executor::Executor>>,
    /// Websockets open at once (`--max-connections`); one more is refused
    /// with 503 before its upgrade.
    pub max_connections: usize,
}

/// The state handlers see: the server's state plus the shutdown plumbing.
#[derive(Clone)]
pub(crate) struct App {
    pub(crate) state: Arc<ServerState>,
    /// The tournaments this server runs, and their live games.
    pub(crate) hub: Arc<hub::Hub>,
    /// Becomes `true` when the server shuts down; websockets watch it to
    /// send their going-away close frame.
    pub(crate) shutdown: watch::Receiver<bool>,
    /// Held by every websocket task; when all clones are dropped, every
    /// websocket is done (mini-redis's `shutdown_complete`).
    pub(crate) websockets_done: mpsc::Sender<()>,
    /// A permit per open websocket, `max_connections` in all (mini-redis's
    /// `limit_connections`); a connection gives its permit back when it ends.
    pub(crate) connections: Arc<tokio::sync::Semaphore>,
}

/// Serves HTTP/1.1 connections from `listener` until `signal` completes,
/// then lets each finish its request in flight and waits for them (a
/// connection upgraded to a websocket has left hyper by then; its task
/// closes it on the shutdown signal). Our own loop rather than
/// `axum::serve`, whose connections wrap the socket: an upgraded websocket
/// here gets its `TcpStream` back, which live games' fan-out writes to
/// (`live.rs`).
async fn accept(
    listener: tokio::net::TcpListener,
    router: Router,
    signal: impl Future<Output = ()> + Send + 'static,
) {
    let (stop_tx, stop_rx) = watch::channel(false);
    // Each connection's task holds a sender; recv() is None once all ended.
    let (open_tx, mut open_rx) = mpsc::channel::<()>(1);
    let mut signal = std::pin::pin!(signal);
    loop {
        let (tcp, _peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(conn) => conn,
                Err(e) => {
                    // Out of files or memory: wait for connections to end
                    // rather than spin (as axum::serve does).
                    tracing::warn!("cannot accept a connection: {e}");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = &mut signal => break,
        };
        // Frames are small and must leave at once: no Nagle delay (which,
        // against the client's delayed ACK, held live frames for 40 ms).
        if let Err(e) = tcp.set_nodelay(true) {
            tracing::debug!("cannot set TCP_NODELAY: {e}");
        }
        let service = hyper_util::service::TowerToHyperService::new(router.clone());
        let mut stop = stop_rx.clone();
        let open = open_tx.clone();
        tokio::spawn(async move {
            let conn = hyper::server::conn::http1::Builder::new()
                .serve_connection(hyper_util::rt::TokioIo::new(tcp), service)
                .with_upgrades();
            let mut conn = std::pin::pin!(conn);
            let served = tokio::select! {
                served = conn.as_mut() => served,
                _ = stop.changed() => {
                    conn.as_mut().graceful_shutdown();
                    conn.await
                }
            };
            if let Err(e) = served {
                tracing::debug!("connection ended: {e}");
            }
            drop(open);
        });
    }
    drop(listener);
    let _ = stop_tx.send(true);
    drop(open_tx);
    let _ = open_rx.recv().await;
}

/// How long `serve` waits for tournament threads to reach a checkpoint.
const TOURNAMENT_STOP_GRACE: Duration = Duration::from_secs(2);

/// How long `serve` waits for websockets to close after shutdown.
const WEBSOCKET_CLOSE_GRACE: Duration = Duration::from_secs(3);

/// The routes, for `serve` and for in-process tests.
fn router(app: App) -> Router {
    Router::new()
        .route("/api/tournaments", get(http::tournaments))
        .route("/api/tournaments/{name}", get(http::tournament))
        .route("/api/ratings", get(http::ratings))
        .route("/api/matches/{id}", get(http::match_detail))
        .route("/api/replays/{id}", get(http::replay_export))
        .route("/ws", get(ws::upgrade))
        // The web viewer (docs/viewer.md) and the Battlesnake board's engine API.
        .route("/", get(viewer::page))
        .route("/tournaments/{name}", get(viewer::page))
        .route("/games/{id}", get(viewer::page))
        .route("/leaderboard", get(viewer::page))
        .route("/static/{file}", get(viewer::asset))
        .route("/static/games/{file}", get(viewer::game_js))
        .route("/api/overview", get(viewer_api::overview))
        .route("/api/tournaments/{name}/rounds", get(viewer_api::rounds))
        .route("/api/tournaments/{name}/games", get(viewer_api::games))
        .route("/api/matches/{id}/view", get(viewer_api::match_view))
        .route("/api/games/{id}", get(engine_api::game))
        .route("/api/games/{id}/events", get(engine_api::events))
        .route("/api/openapi.json", get(http::openapi))
        .fallback(http::not_found)
        .with_state(app)
}

/// Serves HTTP and websockets on `listener` until `shutdown` completes, then
/// shuts down gracefully.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: ServerState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let hub = hub::Hub::new(hub::HubOptions {
        data_dir: state.data_dir.clone(),
        jobs: state.jobs,
        edit_deadline: state.edit_deadline,
        base_dir: hub::current_dir(),
        workers: state.workers.clone(),
    })
    .map_err(|e| std::io::Error::other(format!("cannot open the database: {e:#}")))?;
    {
        // Tournaments that were running when the server stopped go on.
        let hub = hub.clone();
        match tokio::task::spawn_blocking(move || hub.resume_all()).await {
            Ok(Ok(ids)) if !ids.is_empty() => tracing::info!(?ids, "resumed tournaments"),
            Ok(Ok(_)) => {}
            Ok(Err(e)) => tracing::error!("cannot resume the stored tournaments: {e:#}"),
            Err(e) => tracing::error!("cannot resume the stored tournaments: {e}"),
        }
    }
    serve_hub(listener, state, hub, shutdown).await
}

/// [`serve`] with a hub made by the caller (the spectator benchmark feeds
/// its live game).
pub async fn serve_hub(
    listener: tokio::net::TcpListener,
    state: ServerState,
    hub: Arc<hub::Hub>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let (shutdown_tx, shutdown_rx) = watch::channel(false);
    let (done_tx, mut done_rx) = mpsc::channel::<()>(1);
    let app = App {
        hub: hub.clone(),
        connections: Arc::new(tokio::sync::Semaphore::new(
            state
                .max_connections
                .min(tokio::sync::Semaphore::MAX_PERMITS),
        )),
        state: Arc::new(state),
        shutdown: shutdown_rx,
        websockets_done: done_tx,
    };
    let signal = async move {
        shutdown.await;
        tracing::info!("shutting down");
        let _ = shutdown_tx.send(true);
    };
    accept(listener, router(app), signal).await;
    // Every websocket task holds a sender; recv() is None once all are gone.
    if tokio::time::timeout(WEBSOCKET_CLOSE_GRACE, done_rx.recv())
        .await
        .is_err()
    {
        tracing::warn!("some websockets did not close in time");
    }
    // Tournaments stop at their next checkpoint and resume on the next
    // start; whatever they stored is kept.
    let _ = tokio::task::spawn_blocking(move || hub.shutdown(TOURNAMENT_STOP_GRACE)).await;
    Ok(())
}
