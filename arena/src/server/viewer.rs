//! The web viewer's pages and static assets, embedded in the binary: one
//! HTML shell for every page (its script reads the path), a stylesheet, the
//! app's modules, and each game's renderer from its plug-in
//! (`GamePlugin::viewer_js`). Nothing is fetched from other hosts.
//! `docs/viewer.md` describes the pages.

use axum::extract::Path;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

/// Every page's HTML: the script routes on the path.
const SHELL: &str = include_str!("viewer/index.html");

/// The app's own assets, by the file name under `/static/`.
const ASSETS: &[(&str, &str, &str)] = &[
    ("app.js", JS, include_str!("viewer/app.js")),
    ("player.js", JS, include_str!("viewer/player.js")),
    ("pages.js", JS, include_str!("viewer/pages.js")),
    (
        "style.css",
        "text/css; charset=utf-8",
        include_str!("viewer/style.css"),
    ),
];

const JS: &str = "text/javascript; charset=utf-8";

/// The renderer of a game without its own: each frame as JSON.
const GENERIC_JS: &str = include_str!("viewer/generic.viewer.js");

/// `GET /`, `/tournaments/{name}`, `/games/{id}`, `/leaderboard`.
pub(crate) async fn page() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        SHELL,
    )
        .into_response()
}

/// `GET /static/{file}`.
pub(crate) async fn asset(Path(file): Path<String>) -> Response {
    match ASSETS.iter().find(|(name, _, _)| *name == file) {
        Some((_, kind, body)) => text(kind, body),
        None => missing(&file),
    }
}

/// `GET /static/games/{game}.js`: the game's renderer, or the generic one.
pub(crate) async fn game_js(Path(file): Path<String>) -> Response {
    let Some(name) = file.strip_suffix(".js") else {
        return missing(&file);
    };
    if name == "generic" {
        return text(JS, GENERIC_JS);
    }
    match crate::games::find(name) {
        Some(game) => text(JS, game.viewer_js().unwrap_or(GENERIC_JS)),
        None => missing(&file),
    }
}

fn text(kind: &'static str, body: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, kind),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        body,
    )
        .into_response()
}

fn missing(file: &str) -> Response {
    (
        StatusCode::NOT_FOUND,
        format!("no such viewer file: {file}"),
    )
        .into_response()
}
