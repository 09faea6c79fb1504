//! Private tournaments (`spectator_token` in the config) on a real `arena
//! serve` on 127.0.0.1: over the websocket a spectator's `list_games`,
//! `replay`, `subscribe` and `resync` of a private tournament's games are
//! `bad_token` unless its `hello` carried the token; over HTTP its reads
//! are 401 `bad_token` unless the request has `Authorization: Bearer
//! TOKEN`. Public tournaments stay open, and codebase hashes stay out of a
//! non-transparent tournament's replay export. Every wait is on a message.

use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use crate::server::{Server, Ws};
use crate::util::{arena, repo};

const TOKEN: &str = "view-s3cret-token";
const WRONG: &str = "view-s3cret-tokem";

fn fresh_dir(name: &str) -> PathBuf {
    let dir =
        PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create the test's folder");
    dir
}

/// A Core War tournament of two static warriors, round 0 only.
fn corewar_config(name: &str, extra: &str) -> String {
    format!(
        "name = \"{name}\"\ngame = \"corewar\"\nrounds = 0\nsims = 2\nseed = 3\n{extra}\n\
         [[players]]\nname = \"pebble\"\ncodebase = \"{}\"\n\
         [[players]]\nname = \"lantern\"\ncodebase = \"{}\"\n",
        repo("examples/corewar/pebble.red").display(),
        repo("examples/corewar/lantern.red").display()
    )
}

fn run(dir: &Path, name: &str, config: &str) {
    let file = dir.join(format!("{name}.toml"));
    std::fs::write(&file, config).expect("write the config");
    let out = arena()
        .arg("run")
        .arg(&file)
        .arg("--data-dir")
        .arg(dir.join("data"))
        .arg("--json")
        .output()
        .expect("run arena");
    assert!(
        out.status.success(),
        "arena run {name}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A spectator connection whose `hello` carries `token` (if any).
fn spectator(server: &Server, token: Option<&str>) -> Ws {
    let mut ws = server.websocket();
    let mut hello = json!({"type": "hello", "role": "spectator", "protocol_version": 1});
    if let Some(t) = token {
        hello["token"] = json!(t);
    }
    ws.send(hello);
    assert_eq!(ws.recv_type("welcome")["role"], "spectator");
    ws
}

/// Sends `msg` and expects a `bad_token` error answering it.
fn refused(ws: &mut Ws, msg: Value) {
    let ty = msg["type"].clone();
    ws.send(msg);
    let answer = ws.recv();
    assert_eq!(answer["type"], "error", "{answer}");
    assert_eq!(answer["code"], "bad_token", "{answer}");
    assert_eq!(answer["in_reply_to"], ty, "{answer}");
    assert!(
        answer["message"]
            .as_str()
            .is_some_and(|m| m.contains("is private")),
        "{answer}"
    );
}

/// A GET refused with 401 `bad_token` and `WWW-Authenticate: Bearer`.
fn http_refused(server: &Server, path: &str, token: Option<&str>) {
    let (status, head, body) = server.get_with(path, token);
    assert_eq!(status, 401, "{path} with {token:?}: {body}");
    assert_eq!(body["error"]["code"], "bad_token", "{path}: {body}");
    assert!(head.contains("www-authenticate: bearer"), "{path}: {head}");
}

fn tournament_id(server: &Server, name: &str) -> i64 {
    let (status, list) = server.get("/api/tournaments");
    assert_eq!(status, 200, "{list}");
    list["tournaments"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|t| t["name"] == name)
        .and_then(|t| t["id"].as_i64())
        .unwrap_or_else(|| panic!("{name} is listed: {list}"))
}

#[test]
fn a_private_tournament_shows_its_games_only_with_its_token() {
    let dir = fresh_dir("private-corewar");
    run(
        &dir,
        "hidden-cup",
        &corewar_config("hidden-cup", &format!("spectator_token = \"{TOKEN}\"")),
    );
    run(
        &dir,
        "open-cup",
        &corewar_config("open-cup", "transparent = true"),
    );
    let server = Server::start(&dir.join("data"));
    let hidden = tournament_id(&server, "hidden-cup");
    let open = tournament_id(&server, "open-cup");

    // HTTP: the right token reads everything of the private tournament.
    let (status, _, games) = server.get_with("/api/tournaments/hidden-cup/games", Some(TOKEN));
    assert_eq!(status, 200, "{games}");
    let match_id = games["stored"][0]["match_id"]
        .as_i64()
        .unwrap_or_else(|| panic!("a stored game: {games}"));
    let private_paths = [
        "/api/tournaments/hidden-cup".to_owned(),
        "/api/tournaments/hidden-cup/rounds".to_owned(),
        "/api/tournaments/hidden-cup/games".to_owned(),
        format!("/api/matches/{match_id}"),
        format!("/api/replays/{match_id}"),
        format!("/api/matches/{match_id}/view?exec=0"),
        format!("/api/games/{match_id}"),
    ];
    for path in &private_paths {
        http_refused(&server, path, None);
        http_refused(&server, path, Some(WRONG));
        let (status, _, body) = server.get_with(path, Some(TOKEN));
        assert_ne!(status, 401, "{path} with the token: {body}");
    }
    for path in &private_paths[..5] {
        let (status, _, body) = server.get_with(path, Some(TOKEN));
        assert_eq!(status, 200, "{path} with the token: {body}");
    }
    // Not a transparent tournament: its export names no codebase.
    let (_, _, replay) = server.get_with(&format!("/api/replays/{match_id}"), Some(TOKEN));
    let players = replay["header"]["players"].as_array().expect("players");
    assert!(!players.is_empty());
    assert!(
        players.iter().all(|p| p.get("codebase_hash").is_none()),
        "{players:?}"
    );

    // A public, transparent tournament needs no token, and shows hashes.
    let (status, open_games) = server.get("/api/tournaments/open-cup/games");
    assert_eq!(status, 200, "{open_games}");
    let open_match = open_games["stored"][0]["match_id"]
        .as_i64()
        .expect("a stored game");
    let (status, replay) = server.get(&format!("/api/replays/{open_match}"));
    assert_eq!(status, 200, "{replay}");
    assert!(
        replay["header"]["players"]
            .as_array()
            .into_iter()
            .flatten()
            .all(|p| p["codebase_hash"].as_str().is_some_and(|h| h.len() == 64)),
        "{replay}"
    );

    // The front page lists the private tournament without its players.
    let line = |overview: &Value| {
        overview["tournaments"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|t| t["name"] == "hidden-cup")
            .cloned()
            .expect("listed")
    };
    let (_, overview) = server.get("/api/overview");
    assert_eq!(line(&overview)["private"], true);
    assert_eq!(line(&overview)["players"], json!([]));
    let (_, _, overview) = server.get_with("/api/overview", Some(TOKEN));
    assert_eq!(line(&overview)["players"], json!(["pebble", "lantern"]));

    // The websocket: no token and the wrong token are refused...
    for token in [None, Some(WRONG)] {
        let mut ws = spectator(&server, token);
        refused(&mut ws, json!({"type": "list_games", "tournament": hidden}));
        refused(&mut ws, json!({"type": "replay", "match_id": match_id}));
        // ...while a public tournament's games are listed.
        ws.send(json!({"type": "list_games", "tournament": open}));
        assert_eq!(ws.recv()["type"], "games");
    }
    // ...and the right one sees the games and replays them.
    let mut ws = spectator(&server, Some(TOKEN));
    ws.send(json!({"type": "list_games", "tournament": hidden}));
    let games = ws.recv();
    assert_eq!(games["type"], "games", "{games}");
    assert!(
        games["games"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|g| g["match_id"] == match_id),
        "{games}"
    );
    ws.send(json!({"type": "replay", "match_id": match_id}));
    let header = ws.recv();
    assert_eq!(header["type"], "replay_header", "{header}");
    assert!(
        header["header"]["players"]
            .as_array()
            .into_iter()
            .flatten()
            .all(|p| p.get("codebase_hash").is_none()),
        "{header}"
    );
    // An admin reads every tournament without a spectator token.
    let mut admin = server.websocket();
    admin.send(json!({"type": "hello", "role": "admin", "token": "t0ken", "protocol_version": 1}));
    admin.recv_type("welcome");
    admin.send(json!({"type": "list_games", "tournament": hidden}));
    assert_eq!(admin.recv()["type"], "games");
}

#[test]
fn a_private_live_game_is_followed_only_with_its_token() {
    let dir = fresh_dir("private-live");
    let server = Server::start_with(&dir.join("data"), &["--edit-timeout", "60"]);
    let config = format!(
        "name = \"hidden-snakes\"\ngame = \"battlesnake\"\nrounds = 0\nsims = 1\nseed = 9\n\
         spectator_token = \"{TOKEN}\"\n[battlesnake]\ntimeout_ms = 500\n\
         [[players]]\nname = \"seeker\"\ncodebase = \"{}\"\n\
         [[players]]\nname = \"random\"\ncodebase = \"{}\"\n",
        repo("examples/battlesnake/food-seeker").display(),
        repo("examples/battlesnake/safe-random").display()
    );
    let mut admin = server.websocket();
    admin.send(json!({"type": "hello", "role": "admin", "token": "t0ken", "protocol_version": 1}));
    admin.recv_type("welcome");
    admin.send(json!({"type": "create_tournament", "config_toml": config}));
    let tid = admin.recv_type("tournament_created")["tournament"]
        .as_i64()
        .expect("tournament id");
    admin.send(json!({"type": "start_tournament", "tournament": tid}));
    admin.recv_type("tournament_updated");

    // The token's holder lists the games until the live one shows (each
    // `games` answer is the signal to ask again, at the rate the server
    // allows); a finished live game stays listed for two minutes.
    let mut watcher = spectator(&server, Some(TOKEN));
    let game_id = loop {
        let games = watcher.ask(
            json!({"type": "list_games", "tournament": tid, "round": 0}),
            "games",
        );
        let live = games["games"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|g| g["kind"] == "live")
            .and_then(|g| g["game_id"].as_u64());
        if let Some(id) = live {
            break id;
        }
    };

    for token in [None, Some(WRONG)] {
        let mut ws = spectator(&server, token);
        refused(&mut ws, json!({"type": "subscribe", "game_id": game_id}));
        refused(
            &mut ws,
            json!({"type": "resync", "game_id": game_id, "from_version": 0}),
        );
        refused(&mut ws, json!({"type": "list_games", "tournament": tid}));
        http_refused(&server, &format!("/api/games/live-{game_id}"), token);
    }
    let (status, _, body) = server.get_with(&format!("/api/games/live-{game_id}"), Some(TOKEN));
    assert_eq!(status, 200, "{body}");

    let snapshot = watcher.ask(json!({"type": "subscribe", "game_id": game_id}), "snapshot");
    assert_eq!(snapshot["game_id"], game_id);
    let finished = watcher.recv_type("game_finished");
    let match_id = finished["match_id"].as_i64().expect("match id");
    // Unsubscribing from a game that ended first is answered as usual.
    watcher.ask(
        json!({"type": "unsubscribe", "game_id": game_id}),
        "unsubscribed",
    );
    // Its stored replay is private too.
    let mut ws = spectator(&server, None);
    refused(&mut ws, json!({"type": "replay", "match_id": match_id}));
    http_refused(&server, &format!("/api/replays/{match_id}"), None);
    watcher.ask(
        json!({"type": "resync", "game_id": game_id, "from_version": 0}),
        "game_finished",
    );
}

/// The names of every player in `/api/ratings`'s or `arena ratings
/// --json`'s pools.
fn rated_names(pools: &Value) -> Vec<String> {
    pools
        .as_array()
        .unwrap_or_else(|| panic!("pools: {pools}"))
        .iter()
        .flat_map(|p| p["players"].as_array().cloned().unwrap_or_default())
        .filter_map(|p| p["name"].as_str().map(str::to_owned))
        .collect()
}

#[test]
fn public_ratings_leave_out_private_tournaments() {
    let dir = fresh_dir("private-ratings");
    let hidden = corewar_config("hidden-league", &format!("spectator_token = \"{TOKEN}\""))
        .replace("\"pebble\"", "\"secret-pebble\"")
        .replace("\"lantern\"", "\"secret-lantern\"");
    run(&dir, "hidden-league", &hidden);
    run(&dir, "open-league", &corewar_config("open-league", ""));

    // The server's leaderboard shows the public tournament's players only,
    // with or without the private tournament's token.
    let server = Server::start(&dir.join("data"));
    for token in [None, Some(TOKEN)] {
        let (status, _, body) = server.get_with("/api/ratings", token);
        assert_eq!(status, 200, "{body}");
        let names = rated_names(&body["pools"]);
        assert!(names.contains(&"pebble".to_owned()), "{body}");
        assert!(
            !names.iter().any(|n| n.starts_with("secret-")),
            "a private tournament's players in /api/ratings: {body}"
        );
    }
    drop(server);

    // Whoever holds the database file rates everything in it.
    let out = arena()
        .args(["ratings", "--json", "--data-dir"])
        .arg(dir.join("data"))
        .output()
        .expect("run arena ratings");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let boards: Value = serde_json::from_slice(&out.stdout).expect("arena ratings --json");
    let names = rated_names(&boards);
    assert!(names.contains(&"secret-pebble".to_owned()), "{boards}");
    assert!(names.contains(&"pebble".to_owned()), "{boards}");
}
