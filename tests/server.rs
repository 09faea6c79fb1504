//! `arena serve`: the real binary on 127.0.0.1:0, over real sockets: the JSON
//! read endpoints, a websocket spectator replaying a stored BattleSnake
//! match, an oversized message, and SIGTERM.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tungstenite::Message;

use crate::util::{arena, repo};

/// A data directory holding a small finished BattleSnake tournament, made
/// once for all the tests here (they only read it).
fn data_dir() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let tmp = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
        // Earlier runs' fixtures (an hour old: no run still reads them).
        for old in std::fs::read_dir(&tmp).into_iter().flatten().flatten() {
            let stale = old
                .metadata()
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| t.elapsed().ok())
                .is_some_and(|age| age > Duration::from_secs(3600));
            if stale
                && old
                    .file_name()
                    .to_string_lossy()
                    .starts_with("server-fixture-")
            {
                let _ = std::fs::remove_dir_all(old.path());
            }
        }
        let dir = tmp.join(format!("server-fixture-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("create fixture dir");
        let ex = repo("examples/battlesnake");
        let config = dir.join("snakes.toml");
        std::fs::write(
            &config,
            format!(
                "name = \"serve-cup\"\ngame = \"battlesnake\"\nrounds = 1\nsims = 2\nseed = 5\n\
                 [[players]]\nname = \"seeker\"\ncodebase = \"{}\"\n\
                 [[players]]\nname = \"random\"\ncodebase = \"{}\"\n",
                ex.join("food-seeker").display(),
                ex.join("safe-random").display()
            ),
        )
        .expect("write config");
        let data = dir.join("data");
        let out = arena()
            .arg("run")
            .arg(&config)
            .arg("--data-dir")
            .arg(&data)
            .arg("--json")
            .output()
            .expect("run arena");
        assert!(
            out.status.success(),
            "arena run: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        data
    })
}

/// The stored match with the longest replay, and its frame count.
fn longest_replay(data: &Path) -> (i64, u64) {
    rusqlite::Connection::open(data.join("arena.sqlite"))
        .expect("open db")
        .query_row(
            "SELECT match_id, frames FROM replays ORDER BY frames DESC, match_id LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get::<_, i64>(1)? as u64)),
        )
        .expect("a replay")
}

/// A running `arena serve`, killed when dropped.
pub(crate) struct Server {
    pub(crate) child: Child,
    pub(crate) addr: String,
}

impl Server {
    pub(crate) fn start(data: &Path) -> Server {
        Server::start_with(data, &[])
    }

    /// With more options, e.g. `--edit-timeout`.
    pub(crate) fn start_with(data: &Path, extra: &[&str]) -> Server {
        Server::start_at(data, "127.0.0.1:0", extra)
    }

    /// On a given address (a restarted server keeps its clients' URL).
    pub(crate) fn start_at(data: &Path, listen: &str, extra: &[&str]) -> Server {
        Server::start_env(data, listen, extra, &[])
    }

    /// With environment variables too (e.g. `ARENA_HOLD`).
    pub(crate) fn start_env(
        data: &Path,
        listen: &str,
        extra: &[&str],
        env: &[(&str, &std::ffi::OsStr)],
    ) -> Server {
        let mut child = arena()
            .args(["serve", "--listen", listen, "--admin-token", "t0ken"])
            .envs(env.iter().copied())
            .arg("--data-dir")
            .arg(data)
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start arena serve");
        let stdout = child.stdout.take().expect("stdout");
        let mut line = String::new();
        BufReader::new(stdout)
            .read_line(&mut line)
            .expect("read the first line");
        let addr = line
            .trim()
            .strip_prefix("listening on ")
            .unwrap_or_else(|| panic!("first line {line:?}"))
            .to_string();
        assert!(addr.starts_with("127.0.0.1:"), "{addr}");
        Server { child, addr }
    }

    /// A GET over a fresh connection: the status and the body as JSON.
    pub(crate) fn get(&self, path: &str) -> (u16, Value) {
        let (status, _, json) = self.get_with(path, None);
        (status, json)
    }

    /// A GET with `Authorization: Bearer TOKEN` when a token is given: the
    /// status, the head (lowercased) and the body as JSON.
    pub(crate) fn get_with(&self, path: &str, token: Option<&str>) -> (u16, String, Value) {
        let mut s = TcpStream::connect(&self.addr).expect("connect");
        s.set_read_timeout(Some(Duration::from_secs(10)))
            .expect("timeout");
        let auth = token
            .map(|t| format!("Authorization: Bearer {t}\r\n"))
            .unwrap_or_default();
        write!(
            s,
            "GET {path} HTTP/1.1\r\nHost: {}\r\n{auth}Connection: close\r\n\r\n",
            self.addr
        )
        .expect("send request");
        let mut raw = Vec::new();
        s.read_to_end(&mut raw).expect("read response");
        let split = raw
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .expect("end of headers");
        let head = String::from_utf8_lossy(&raw[..split]).to_lowercase();
        let mut body = raw[split + 4..].to_vec();
        if head.contains("transfer-encoding: chunked") {
            body = dechunk(&body);
        }
        let status: u16 = head
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .expect("status");
        assert!(head.contains("content-type: application/json"), "{head}");
        let json = serde_json::from_slice(&body).unwrap_or_else(|e| {
            panic!("{path}: not JSON ({e}): {}", String::from_utf8_lossy(&body))
        });
        (status, head, json)
    }

    pub(crate) fn websocket(&self) -> Ws {
        let stream = TcpStream::connect(&self.addr).expect("connect");
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .expect("timeout");
        let (ws, _) = tungstenite::client(format!("ws://{}/ws", self.addr), stream)
            .expect("websocket handshake");
        Ws(ws)
    }

    pub(crate) fn signal(&self, name: &str) {
        let status = std::process::Command::new("kill")
            .args([&format!("-{name}"), &self.child.id().to_string()])
            .status()
            .expect("kill");
        assert!(status.success());
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An HTTP/1.1 chunked body, decoded.
fn dechunk(mut raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let eol = raw
            .windows(2)
            .position(|w| w == b"\r\n")
            .expect("chunk size line");
        let size = usize::from_str_radix(
            String::from_utf8_lossy(&raw[..eol])
                .split(';')
                .next()
                .unwrap_or("")
                .trim(),
            16,
        )
        .expect("chunk size");
        raw = &raw[eol + 2..];
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&raw[..size]);
        raw = &raw[size + 2..];
    }
}

/// A websocket client.
pub(crate) struct Ws(pub(crate) tungstenite::WebSocket<TcpStream>);

impl Ws {
    pub(crate) fn send(&mut self, msg: Value) {
        self.0.send(Message::text(msg.to_string())).expect("send");
    }

    /// The next JSON message.
    pub(crate) fn recv(&mut self) -> Value {
        loop {
            match self.0.read().expect("read") {
                Message::Text(t) => return serde_json::from_str(t.as_str()).expect("JSON"),
                Message::Ping(_) | Message::Pong(_) => {}
                other => panic!("unexpected {other:?}"),
            }
        }
    }

    /// Skips messages until one of `ty`.
    pub(crate) fn recv_type(&mut self, ty: &str) -> Value {
        loop {
            let m = self.recv();
            if m["type"] == ty {
                return m;
            }
            assert_ne!(m["type"], "error", "waiting for {ty}: {m}");
        }
    }

    /// Sends `msg` and waits for its answer of type `ty` (see [`ask`]).
    pub(crate) fn ask(&mut self, msg: Value, ty: &str) -> Value {
        ask(self, msg, ty, |ws, m| ws.send(m), Ws::recv)
    }

    pub(crate) fn hello(&mut self) {
        self.send(json!({"type": "hello", "role": "spectator", "protocol_version": 1}));
        assert_eq!(self.recv_type("welcome")["role"], "spectator");
    }
}

/// Sends `msg` on `conn` and waits for its answer of type `ty`; a
/// `rate_limited` refusal is obeyed (wait as long as it says, then send
/// again), as a client that polls must.
pub(crate) fn ask<C>(
    conn: &mut C,
    msg: Value,
    ty: &str,
    mut send: impl FnMut(&mut C, Value),
    mut recv: impl FnMut(&mut C) -> Value,
) -> Value {
    loop {
        send(conn, msg.clone());
        let m = loop {
            let m = recv(conn);
            if m["type"] == ty || m["type"] == "error" {
                break m;
            }
        };
        if m["type"] == ty {
            return m;
        }
        assert_eq!(m["code"], "rate_limited", "waiting for {ty}: {m}");
        std::thread::sleep(rate_limited_wait(&m));
    }
}

/// The wait a `rate_limited` error asks for ("wait N ms").
pub(crate) fn rate_limited_wait(error: &Value) -> Duration {
    let text = error["message"].as_str().unwrap_or_default();
    let ms = text
        .split("wait ")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .and_then(|n| n.parse().ok())
        .expect("a rate_limited error says how long to wait");
    Duration::from_millis(ms)
}

#[test]
fn serve_answers_every_read_endpoint_in_json() {
    let data = data_dir();
    let (match_id, frames) = longest_replay(data);
    let server = Server::start(data);

    let (status, list) = server.get("/api/tournaments");
    assert_eq!(status, 200);
    let t = &list["tournaments"][0];
    assert_eq!(t["name"], "serve-cup");
    assert_eq!(t["game"], "battlesnake");
    assert_eq!(t["state"], "finished");

    let (status, cup) = server.get("/api/tournaments/serve-cup");
    assert_eq!(status, 200);
    assert!(cup["seed"].is_string(), "seeds are strings: {cup}");
    let cup: arena_agents::wire::TournamentDetail =
        serde_json::from_value(cup).expect("a TournamentDetail");
    assert_eq!(cup.players.len(), 2);
    assert!(
        cup.players
            .iter()
            .all(|p| p.agent == arena_agents::builtin::AgentKind::Static),
        "{:?}",
        cup.players
    );
    assert_eq!(cup.rounds.len(), 2);
    assert!(cup.config_toml.contains("sims"), "{}", cup.config_toml);
    // The same table tournament_finished sent: Bradley-Terry included.
    assert_eq!(cup.standings.players.len(), 2);
    assert!(cup.standings.players[0].bradley_terry.is_some());

    let (status, ratings) = server.get("/api/ratings?game=battlesnake");
    assert_eq!(status, 200);
    assert_eq!(ratings["pools"][0]["game"], "battlesnake");
    assert_eq!(
        ratings["pools"][0]["players"].as_array().map(Vec::len),
        Some(2)
    );
    let (status, none) = server.get("/api/ratings?game=corewar");
    assert_eq!((status, none), (200, json!({"pools": []})));

    let (status, m) = server.get(&format!("/api/matches/{match_id}"));
    assert_eq!(status, 200);
    assert!(m["seed"].is_string(), "seeds are strings: {m}");
    let typed: arena_agents::wire::MatchDetail =
        serde_json::from_value(m.clone()).expect("a MatchDetail");
    assert_eq!(typed.id, match_id);
    assert_eq!(m["tournament"], "serve-cup");
    let players = m["players"].as_array().expect("players");
    assert_eq!(players.len(), 2);
    assert!(
        players
            .iter()
            .all(|p| p["placement"].is_number() && p["reason"].is_string())
    );

    let (status, replay) = server.get(&format!("/api/replays/{match_id}"));
    assert_eq!(status, 200);
    assert_eq!(replay["header"]["game"], "battlesnake");
    assert_eq!(
        replay["frames"].as_array().map(|f| f.len() as u64),
        Some(frames)
    );

    // What is missing is a 404 that says what; a bad parameter is a 400.
    for (path, code, status, says) in [
        ("/api/matches/999999", "not_found", 404, "match 999999"),
        ("/api/replays/999999", "not_found", 404, "match 999999"),
        ("/api/tournaments/nope", "not_found", 404, "\"nope\""),
        ("/api/nothing-here", "not_found", 404, "/api/nothing-here"),
        ("/api/matches/abc", "bad_request", 400, "\"abc\""),
        ("/api/ratings?game=no%20such", "bad_request", 400, "game"),
        ("/api/ratings?colour=red", "bad_request", 400, "colour"),
        // A plain GET of the websocket's path says what it is.
        ("/ws", "bad_request", 400, "websocket client"),
    ] {
        let (got, body) = server.get(path);
        assert_eq!(got, status, "{path}: {body}");
        assert_eq!(body["error"]["code"], code, "{path}: {body}");
        let message = body["error"]["message"].as_str().unwrap_or("");
        assert!(message.contains(says), "{path}: {message}");
    }
}

#[test]
fn a_spectator_replays_a_battlesnake_match_with_pause_seek_and_speed() {
    let data = data_dir();
    let (match_id, frames) = longest_replay(data);
    assert!(
        frames > 8,
        "a replay long enough to seek in ({frames} frames)"
    );
    let server = Server::start(data);
    let mut ws = server.websocket();

    // Before saying who it is, a connection may do nothing else.
    ws.send(json!({"type": "replay", "match_id": match_id}));
    assert_eq!(ws.recv()["code"], "out_of_order");
    ws.hello();

    ws.send(json!({"type": "replay", "match_id": 999_999}));
    assert_eq!(ws.recv()["code"], "not_found");
    ws.send(json!({"type": "unsubscribe", "game_id": 999_999}));
    assert_eq!(ws.recv()["code"], "not_found");

    ws.send(json!({"type": "replay", "match_id": match_id}));
    let header = ws.recv_type("replay_header");
    assert_eq!(header["frames"], frames);
    assert_eq!(header["header"]["game"], "battlesnake");

    // The default pace is 10 frames a second.
    let start = Instant::now();
    let mut version = 0;
    for turn in 0..3u64 {
        let f = ws.recv_type("frame");
        assert_eq!(f["turn"], turn);
        assert!(f["frame"]["board"]["snakes"].is_array(), "{f}");
        let v = f["version"].as_u64().expect("version");
        assert!(v > version);
        version = v;
    }
    let took = start.elapsed();
    assert!(took >= Duration::from_millis(250), "3 frames in {took:?}");

    ws.send(json!({"type": "pause"}));
    let mut next_turn = 3;
    loop {
        // Frames already on their way arrive before the acknowledgement.
        let m = ws.recv();
        if m["type"] == "replay_state" {
            assert_eq!(m["playing"], false);
            break;
        }
        assert_eq!(m["type"], "frame", "{m}");
        assert_eq!(m["turn"], next_turn);
        next_turn += 1;
        version = m["version"].as_u64().expect("version");
    }
    // Paused: nothing comes.
    ws.0.get_ref()
        .set_read_timeout(Some(Duration::from_millis(400)))
        .expect("timeout");
    assert!(ws.0.read().is_err(), "a frame while paused");
    ws.0.get_ref()
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");

    // Bad input is refused and the connection goes on.
    ws.send(json!({"type": "seek", "turn": frames}));
    assert_eq!(ws.recv()["code"], "bad_field");
    ws.send(json!({"type": "speed", "factor": -1.0}));
    assert_eq!(ws.recv()["code"], "bad_field");
    ws.0.send(Message::text("{not json")).expect("send");
    assert_eq!(ws.recv()["code"], "bad_json");
    // Over a spectator's 64 KiB but under the socket's 1 MiB: refused, usable.
    ws.send(json!({"type": "seek", "turn": 1, "pad": "x".repeat(100 << 10)}));
    assert_eq!(ws.recv()["code"], "too_large");

    // Seek shows the turn at once, even paused.
    let target = frames - 6;
    ws.send(json!({"type": "seek", "turn": target}));
    assert_eq!(ws.recv_type("replay_state")["turn"], target);
    let f = ws.recv_type("frame");
    assert_eq!(f["turn"], target);
    assert!(f["version"].as_u64().expect("version") > version);
    version = f["version"].as_u64().expect("version");

    // Ten times faster, then play to the end.
    ws.send(json!({"type": "speed", "factor": 10.0}));
    assert_eq!(ws.recv_type("replay_state")["speed"], 10.0);
    ws.send(json!({"type": "play"}));
    assert_eq!(ws.recv_type("replay_state")["playing"], true);
    // Every frame to the end, in order (how fast: a benchmark's business).
    for turn in target + 1..frames {
        let f = ws.recv_type("frame");
        assert_eq!(f["turn"], turn);
        let v = f["version"].as_u64().expect("version");
        assert!(v > version, "{v} after {version}");
        version = v;
    }
    assert_eq!(ws.recv_type("replay_end")["match_id"], match_id);
}

#[test]
fn an_oversized_message_is_refused_without_harm_to_other_connections() {
    let data = data_dir();
    let (match_id, _) = longest_replay(data);
    let server = Server::start(data);
    let mut other = server.websocket();
    other.hello();
    let mut big = server.websocket();
    big.hello();

    let huge = format!(
        "{{\"type\":\"replay\",\"match_id\":1,\"pad\":\"{}\"}}",
        "x".repeat(17 << 20)
    );
    let _ = big.0.send(Message::text(huge));
    // The big sender's connection ends (with a close frame, or reset).
    let ended = loop {
        match big.0.read() {
            Ok(Message::Close(frame)) => break frame.map(|f| u16::from(f.code)),
            Ok(Message::Text(t)) => panic!("the oversized message was answered: {t}"),
            Ok(_) => {}
            Err(_) => break None,
        }
    };
    if let Some(code) = ended {
        assert_eq!(code, 1009, "close code for a message too big");
    }

    // Everyone else is still served.
    other.send(json!({"type": "replay", "match_id": match_id}));
    other.recv_type("replay_header");
    assert_eq!(other.recv_type("frame")["turn"], 0);
    let (status, _) = server.get("/api/tournaments");
    assert_eq!(status, 200);
}

#[test]
fn a_websocket_over_the_connection_limit_is_refused_with_503_and_what_to_do() {
    let server = Server::start_with(data_dir(), &["--max-connections", "2"]);
    let mut first = server.websocket();
    first.hello();
    let mut second = server.websocket();
    second.hello();
    let stream = TcpStream::connect(&server.addr).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    match tungstenite::client(format!("ws://{}/ws", server.addr), stream) {
        Err(tungstenite::HandshakeError::Failure(tungstenite::Error::Http(response))) => {
            assert_eq!(response.status().as_u16(), 503);
            assert!(response.headers().contains_key("retry-after"));
            let body: Value =
                serde_json::from_slice(response.body().as_deref().unwrap_or_default())
                    .expect("a JSON body");
            assert_eq!(body["error"]["code"], "unavailable", "{body}");
            let message = body["error"]["message"].as_str().expect("message");
            assert!(message.contains("--max-connections"), "{message}");
        }
        Err(e) => panic!("not a 503: {e}"),
        Ok(_) => panic!("a third websocket was accepted over a limit of 2"),
    }
    // The two within the limit are still served, and so is plain HTTP.
    first.send(json!({"type": "list_tournaments"}));
    first.recv_type("tournaments");
    let (status, _) = server.get("/api/tournaments");
    assert_eq!(status, 200);
}

#[test]
fn a_spectator_over_its_message_rate_is_told_to_wait() {
    let server = Server::start(data_dir());
    let mut ws = server.websocket();
    ws.hello();
    // More than a spectator's burst (40) at once, fewer than would close it.
    let sent = 70;
    for _ in 0..sent {
        ws.send(json!({"type": "list_tournaments"}));
    }
    let (mut answered, mut limited) = (0, 0);
    for _ in 0..sent {
        let m = ws.recv();
        match m["type"].as_str() {
            Some("tournaments") => answered += 1,
            Some("error") => {
                assert_eq!(m["code"], "rate_limited", "{m}");
                assert!(
                    m["message"].as_str().is_some_and(|t| t.contains("wait")),
                    "{m}"
                );
                limited += 1;
            }
            _ => panic!("unexpected {m}"),
        }
    }
    assert!(answered >= 39, "{answered} answered");
    assert!(limited >= 1, "none of {sent} was rate limited");
}

/// Sends `signal` to a server with a websocket open: the websocket hears
/// 1001, the server exits 0 and stops accepting.
fn stops_cleanly_on(signal: &str) {
    let data = data_dir();
    let mut server = Server::start(data);
    let mut ws = server.websocket();
    ws.hello();

    let start = Instant::now();
    server.signal(signal);
    // The websocket hears "going away".
    let code = loop {
        match ws.0.read() {
            Ok(Message::Close(frame)) => break frame.map(|f| u16::from(f.code)),
            Ok(_) => {}
            Err(e) => panic!("no close frame: {e}"),
        }
    };
    assert_eq!(code, Some(1001));
    let status = loop {
        if let Some(status) = server.child.try_wait().expect("wait") {
            break status;
        }
        // A guard against a hang, not a speed target: the exit is the signal.
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "still running a minute after SIG{signal}"
        );
        std::thread::sleep(Duration::from_millis(10));
    };
    assert_eq!(status.code(), Some(0));
    assert!(TcpStream::connect(&server.addr).is_err(), "still accepting");
}

#[test]
fn sigterm_closes_websockets_and_ends_the_server_cleanly() {
    stops_cleanly_on("TERM");
}

#[test]
fn ctrl_c_closes_websockets_and_ends_the_server_cleanly() {
    stops_cleanly_on("INT");
}

#[test]
fn websocket_lists_games_checks_the_admin_token_and_closes_on_garbage() {
    let data = data_dir();
    let server = Server::start(data);
    let mut ws = server.websocket();
    ws.hello();
    ws.send(json!({"type": "list_tournaments"}));
    let list = ws.recv_type("tournaments");
    let id = list["tournaments"][0]["id"].clone();
    assert_eq!(list["tournaments"][0]["name"], "serve-cup");
    ws.send(json!({"type": "list_games", "tournament": id, "round": 1}));
    let games = ws.recv_type("games");
    assert_eq!(games["games"].as_array().map(Vec::len), Some(2), "{games}");
    assert_eq!(games["games"][0]["round"], 1);
    // A spectator may not send admin commands.
    ws.send(json!({"type": "start_tournament", "tournament": id}));
    assert_eq!(ws.recv()["code"], "not_allowed_for_role");

    let mut admin = server.websocket();
    admin.send(json!({"type": "hello", "role": "admin", "token": "wrong", "protocol_version": 1}));
    assert_eq!(admin.recv()["code"], "bad_token");
    admin.send(json!({"type": "hello", "role": "admin", "token": "t0ken", "protocol_version": 1}));
    assert_eq!(admin.recv_type("welcome")["role"], "admin");

    // Ten malformed messages are answered; the eleventh closes with 1008.
    let mut garbage = server.websocket();
    for _ in 0..10 {
        garbage.0.send(Message::text("garbage")).expect("send");
        assert_eq!(garbage.recv()["code"], "bad_json");
    }
    garbage.0.send(Message::text("garbage")).expect("send");
    match garbage.0.read() {
        Ok(Message::Close(frame)) => {
            assert_eq!(frame.map(|f| u16::from(f.code)), Some(1008));
        }
        other => panic!("expected a close frame, got {other:?}"),
    }
    // The others are still served.
    ws.send(json!({"type": "list_tournaments"}));
    ws.recv_type("tournaments");
}

#[test]
fn a_connection_that_never_says_hello_is_closed() {
    let server = Server::start(data_dir());
    let mut ws = server.websocket();
    let start = Instant::now();
    ws.0.get_ref()
        .set_read_timeout(Some(Duration::from_secs(15)))
        .expect("timeout");
    match ws.0.read() {
        Ok(Message::Close(frame)) => {
            assert_eq!(frame.map(|f| u16::from(f.code)), Some(1008));
        }
        other => panic!("expected a close frame, got {other:?}"),
    }
    let waited = start.elapsed();
    assert!(waited >= Duration::from_secs(9), "closed after {waited:?}");
}
