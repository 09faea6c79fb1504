//! The contract as documents, generated from the types: a JSON Schema of
//! every websocket message and every HTTP body (`docs/schema/`), and an
//! OpenAPI document of the HTTP API (`docs/openapi.json`, also served at
//! `GET /api/openapi.json`). `arena schema --out docs` writes them; a test
//! (`tests/schema.rs`) fails when the committed files differ from the types.

use std::path::Path;

use schemars::generate::SchemaSettings;
use schemars::{Schema, json_schema, schema_for};
use serde_json::{Map, Value, json};

use arena_agents::protocol::{ClientMessage, PROTOCOL_VERSION, ServerMessage};
use arena_agents::wire::{ApiErrorBody, MatchDetail, TournamentDetail, TournamentList};

use super::engine_api::{EngineEvent, GameInfo};
use super::http::RatingsResponse;
use super::viewer_api::{Games, Overview, Rounds};

/// One generated file: its path under `docs/` and its text.
pub struct Document {
    /// Relative to the repository's `docs/`.
    pub path: String,
    /// Pretty JSON with a final newline, as committed.
    pub text: String,
}

/// The JSON Schema of each message and body, by file stem: the websocket's
/// two directions, then each HTTP endpoint's answer.
pub fn schemas() -> Vec<(&'static str, Schema)> {
    vec![
        ("client_message", schema_for!(ClientMessage)),
        ("server_message", schema_for!(ServerMessage)),
        ("api_error", schema_for!(ApiErrorBody)),
        ("tournament_list", schema_for!(TournamentList)),
        ("tournament_detail", schema_for!(TournamentDetail)),
        ("ratings", schema_for!(RatingsResponse)),
        ("match_detail", schema_for!(MatchDetail)),
        ("replay_export", replay_export_schema()),
        ("overview", schema_for!(Overview)),
        ("rounds", schema_for!(Rounds)),
        ("games", schema_for!(Games)),
        ("engine_game", schema_for!(GameInfo)),
        ("engine_event", schema_for!(EngineEvent)),
    ]
}

/// `GET /api/replays/{id}`: the replay file's own format (its seed a
/// number, as `arena replay export` writes it), whose frames the game
/// defines.
fn replay_export_schema() -> Schema {
    json_schema!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "ReplayExport",
        "description": "A stored replay as one document: its header and every frame, in order (docs/viewer.md).",
        "type": "object",
        "required": ["header", "frames"],
        "properties": {
            "header": {
                "type": "object",
                "description": "The replay's header: format_version, game, rules_version, seed (a number here), players, settings, result.",
                "required": ["format_version", "game", "rules_version", "seed", "players", "settings", "result"]
            },
            "frames": {
                "type": "array",
                "description": "Every frame, as the game defines it."
            }
        },
        "additionalProperties": false
    })
}

/// A path or query parameter: (name, where, description).
type Param = (&'static str, &'static str, &'static str);

/// `{name}`: a tournament.
const NAME: Param = ("name", "path", "The tournament's name.");
/// `{id}`: a stored match.
const ID: Param = ("id", "path", "The match's id (a positive integer).");

/// The OpenAPI name of the spectator token's security scheme.
const SPECTATOR_TOKEN: &str = "spectator_token";

/// One GET endpoint of the HTTP API.
struct Endpoint {
    path: &'static str,
    summary: &'static str,
    /// The 200 body's schema (a `$ref` into the components).
    ok: Schema,
    /// Path or query parameters: (name, in, description).
    params: &'static [Param],
    /// A websocket upgrade rather than a JSON body.
    websocket: bool,
    /// Reads a tournament's own data: a private tournament's needs its
    /// spectator token (`Authorization: Bearer TOKEN`).
    private: bool,
}

/// The HTTP API as an OpenAPI 3.1 document, its schemas from the same
/// types the handlers return.
pub fn openapi() -> Value {
    let mut settings = SchemaSettings::draft2020_12();
    settings.definitions_path = "/components/schemas".into();
    settings.meta_schema = None;
    let mut generator = settings.into_generator();
    let endpoints = vec![
        Endpoint {
            path: "/api/tournaments",
            summary: "Every tournament, newest first.",
            ok: generator.subschema_for::<TournamentList>(),
            params: &[],
            websocket: false,
            private: false,
        },
        Endpoint {
            path: "/api/tournaments/{name}",
            summary: "A tournament: its players, rounds and table as it stands.",
            ok: generator.subschema_for::<TournamentDetail>(),
            params: &[NAME],
            websocket: false,
            private: true,
        },
        Endpoint {
            path: "/api/tournaments/{name}/rounds",
            summary: "A tournament's rounds with each player's ratings after each (the viewer's).",
            ok: generator.subschema_for::<Rounds>(),
            params: &[NAME],
            websocket: false,
            private: true,
        },
        Endpoint {
            path: "/api/tournaments/{name}/games",
            summary: "A tournament's games, stored and live (the viewer's).",
            ok: generator.subschema_for::<Games>(),
            params: &[NAME],
            websocket: false,
            private: true,
        },
        Endpoint {
            path: "/api/overview",
            summary: "Every tournament with its live games (the viewer's front page).",
            ok: generator.subschema_for::<Overview>(),
            params: &[],
            websocket: false,
            private: false,
        },
        Endpoint {
            path: "/api/ratings",
            summary: "Each rating pool's leaderboard.",
            ok: generator.subschema_for::<RatingsResponse>(),
            params: &[(
                "game",
                "query",
                "Only this game's pools (letters, digits, - and _).",
            )],
            websocket: false,
            private: false,
        },
        Endpoint {
            path: "/api/matches/{id}",
            summary: "A stored match: its players, placements and reasons.",
            ok: generator.subschema_for::<MatchDetail>(),
            params: &[ID],
            websocket: false,
            private: true,
        },
        Endpoint {
            path: "/api/matches/{id}/view",
            summary: "What a game's viewer asks for beyond the frames (Core War: the core at an execution); the game defines its shape.",
            ok: json_schema!({"type": "object"}),
            params: &[ID],
            websocket: false,
            private: true,
        },
        Endpoint {
            path: "/api/replays/{id}",
            summary: "A stored replay as one JSON document (as `arena replay export` writes it).",
            ok: replay_export_schema(),
            params: &[ID],
            websocket: false,
            private: true,
        },
        Endpoint {
            path: "/api/games/{id}",
            summary: "The Battlesnake engine API's game (board/api.go) of a BattleSnake match id or `live-N`.",
            ok: generator.subschema_for::<GameInfo>(),
            params: &[("id", "path", "A BattleSnake match id or live-N.")],
            websocket: false,
            private: true,
        },
        Endpoint {
            path: "/api/games/{id}/events",
            summary: "The Battlesnake engine API's events (websocket): EngineEvent messages, frames then game_end.",
            ok: generator.subschema_for::<EngineEvent>(),
            params: &[("id", "path", "A BattleSnake match id or live-N.")],
            websocket: true,
            private: true,
        },
        Endpoint {
            path: "/ws",
            summary: "The websocket protocol (docs/protocol.md): the client sends ClientMessage, the server ServerMessage.",
            ok: generator.subschema_for::<ServerMessage>(),
            params: &[],
            websocket: true,
            private: false,
        },
        Endpoint {
            path: "/api/openapi.json",
            summary: "This document.",
            ok: json_schema!({"type": "object"}),
            params: &[],
            websocket: false,
            private: false,
        },
    ];
    // Both directions of /ws are components, so a client can validate what it sends.
    let _ = generator.subschema_for::<ClientMessage>();
    let error = generator.subschema_for::<ApiErrorBody>();
    let mut paths = Map::new();
    for e in endpoints {
        let parameters: Vec<Value> = e
            .params
            .iter()
            .map(|(n, place, description)| {
                json!({
                    "name": n,
                    "in": place,
                    "required": *place == "path",
                    "description": description,
                    "schema": {"type": "string"},
                })
            })
            .collect();
        let ok = if e.websocket {
            json!({"101": {
                "description": "Switching to a websocket; each text message is the schema below as JSON.",
                "content": {"application/json": {"schema": e.ok}},
            }})
        } else {
            json!({"200": {
                "description": "OK",
                "content": {"application/json": {"schema": e.ok}},
            }})
        };
        let mut responses = ok.as_object().cloned().unwrap_or_default();
        if e.private {
            responses.insert(
                "401".into(),
                json!({
                    "description": "bad_token: the tournament is private (it has a `spectator_token`) and the request carried no `Authorization: Bearer TOKEN`, or another token.",
                    "content": {"application/json": {"schema": error}},
                }),
            );
        }
        responses.insert(
            "default".into(),
            json!({
                "description": "An error: 400 bad request, 404 not found, 500 internal; the body says what to do.",
                "content": {"application/json": {"schema": error}},
            }),
        );
        let mut get = json!({
            "summary": e.summary,
            "parameters": parameters,
            "responses": responses,
        });
        if e.private
            && let Some(get) = get.as_object_mut()
        {
            // Open to all, or with the token for a private tournament.
            get.insert("security".into(), json!([{}, {SPECTATOR_TOKEN: []}]));
        }
        paths.insert(e.path.into(), json!({ "get": get }));
    }
    let components = generator.take_definitions(true);
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "arena serve",
            "version": env!("CARGO_PKG_VERSION"),
            "description": format!(
                "The HTTP API of `arena serve` (protocol version {PROTOCOL_VERSION}). Generated from the types by `arena schema --out docs`; do not edit."
            ),
        },
        "paths": paths,
        "components": {
            "schemas": components,
            "securitySchemes": {
                SPECTATOR_TOKEN: {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "A private tournament's `spectator_token` (docs/config.md), needed to read its detail, rounds, games, matches and replays; public tournaments need none.",
                },
            },
        },
    })
}

/// A value as committed: pretty, with a final newline.
fn pretty(value: &impl serde::Serialize) -> String {
    let mut text = serde_json::to_string_pretty(value).unwrap_or_default();
    text.push('\n');
    text
}

/// Every generated file.
pub fn documents() -> Vec<Document> {
    let mut docs: Vec<Document> = schemas()
        .into_iter()
        .map(|(stem, schema)| Document {
            path: format!("schema/{stem}.json"),
            text: pretty(&schema),
        })
        .collect();
    docs.push(Document {
        path: "openapi.json".into(),
        text: pretty(&openapi()),
    });
    docs
}

/// Writes every generated file under `docs` (the repository's `docs/`).
pub fn write(docs: &Path) -> std::io::Result<()> {
    let named = |what: String| {
        move |e: std::io::Error| std::io::Error::new(e.kind(), format!("{what}: {e}"))
    };
    let dir = docs.join("schema");
    std::fs::create_dir_all(&dir).map_err(named(format!("creating {}", dir.display())))?;
    for d in documents() {
        let path = docs.join(&d.path);
        std::fs::write(&path, d.text).map_err(named(format!("writing {}", path.display())))?;
    }
    Ok(())
}
