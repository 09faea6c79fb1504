//! The web viewer in a real browser (Debian's headless Chromium) against
//! the real `arena serve` with finished tournaments (BattleSnake and Core
//! War, made with `arena run`) and a running one (remote agents that never
//! submit, so it waits in round 1 after playing round 0 live). Screenshots
//! go to `target/screenshots/`. And the Battlesnake board's engine API,
//! read as the board reads it.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tungstenite::Message;

use crate::server::Server;
use crate::util::{arena, repo};

/// The data directory with a finished BattleSnake and a finished Core War
/// tournament, made once.
fn finished_data() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
            .join(format!("viewer-fixture-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("fixture dir");
        let snakes = repo("examples/battlesnake");
        let war = repo("examples/corewar");
        let configs = [
            format!(
                "name = \"viewer-snakes\"\ngame = \"battlesnake\"\nrounds = 1\nsims = 2\nseed = 5\n\
                 [[players]]\nname = \"seeker\"\ncodebase = \"{}\"\n\
                 [[players]]\nname = \"random\"\ncodebase = \"{}\"\n",
                snakes.join("food-seeker").display(),
                snakes.join("safe-random").display()
            ),
            format!(
                "name = \"viewer-war\"\ngame = \"corewar\"\nrounds = 1\nsims = 2\nseed = 3\n\
                 [[players]]\nname = \"pebble\"\ncodebase = \"{}\"\n\
                 [[players]]\nname = \"lantern\"\ncodebase = \"{}\"\n",
                war.join("pebble.red").display(),
                war.join("lantern.red").display()
            ),
        ];
        let data = dir.join("data");
        for (i, config) in configs.iter().enumerate() {
            let path = dir.join(format!("t{i}.toml"));
            std::fs::write(&path, config).expect("write config");
            let out = arena()
                .arg("run")
                .arg(&path)
                .arg("--data-dir")
                .arg(&data)
                .output()
                .expect("run arena");
            assert!(
                out.status.success(),
                "arena run: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        dir
    })
}

/// A copy of the finished data for one server (each test starts its own).
fn fresh_data(name: &str) -> PathBuf {
    let src = finished_data().join("data");
    let dst = finished_data().join(name);
    let _ = std::fs::remove_dir_all(&dst);
    std::fs::create_dir_all(&dst).expect("data dir");
    for f in std::fs::read_dir(&src).expect("read data").flatten() {
        std::fs::copy(f.path(), dst.join(f.file_name())).expect("copy data");
    }
    dst
}

fn db(data: &Path) -> rusqlite::Connection {
    rusqlite::Connection::open(data.join("arena.sqlite")).expect("open db")
}

/// The longest stored game of a game: its match id and frames.
fn longest(data: &Path, game: &str) -> (i64, i64) {
    db(data)
        .query_row(
            "SELECT r.match_id, r.frames FROM replays r JOIN matches m ON m.id = r.match_id \
             JOIN tournaments t ON t.id = m.tournament_id WHERE t.game = ?1 \
             ORDER BY r.frames DESC, r.match_id LIMIT 1",
            [game],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("a replay")
}

/// Starts a running BattleSnake tournament of two remote agents that never
/// submit: round 0 plays live, then it waits in round 1's edit phase.
/// Returns the first live game's id.
fn start_running(server: &Server) -> u64 {
    let mut admin = server.websocket();
    admin.send(json!({"type": "hello", "role": "admin", "token": "t0ken", "protocol_version": 1}));
    admin.recv_type("welcome");
    let snakes = repo("examples/battlesnake");
    let toml = format!(
        "name = \"viewer-live\"\ngame = \"battlesnake\"\nrounds = 2\nsims = 3\nseed = 11\n\
         [battlesnake]\nwidth = 11\nheight = 11\ntimeout_ms = 500\n\
         [[players]]\nname = \"alice\"\ncodebase = \"{}\"\nagent = \"remote\"\n\
         [[players]]\nname = \"bob\"\ncodebase = \"{}\"\nagent = \"remote\"\n",
        snakes.join("food-seeker").display(),
        snakes.join("safe-random").display()
    );
    admin.send(json!({"type": "create_tournament", "config_toml": toml}));
    let tid = admin.recv_type("tournament_created")["tournament"]
        .as_i64()
        .expect("id");
    for p in ["alice", "bob"] {
        admin.send(json!({"type": "register_agent", "tournament": tid, "player": p}));
        admin.recv_type("agent_registered");
    }
    admin.send(json!({"type": "start_tournament", "tournament": tid}));
    admin.recv_type("tournament_updated");
    let mut spectator = server.websocket();
    spectator.hello();
    let start = Instant::now();
    loop {
        spectator.send(json!({"type": "list_games", "tournament": tid}));
        let games = spectator.recv_type("games");
        if let Some(id) = games["games"]
            .as_array()
            .into_iter()
            .flatten()
            .find_map(|g| g["game_id"].as_u64())
        {
            return id;
        }
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "no live game: {games}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Headless Chromium, or a failure that says how to install it.
struct Browser {
    bin: PathBuf,
    profile: PathBuf,
    shots: PathBuf,
}

impl Browser {
    fn new(name: &str) -> Browser {
        let bin = ["chromium", "chromium-browser", "google-chrome"]
            .iter()
            .find_map(|b| {
                std::env::var_os("PATH").and_then(|paths| {
                    std::env::split_paths(&paths)
                        .map(|p| p.join(b))
                        .find(|p| p.is_file())
                })
            })
            .unwrap_or_else(|| {
                panic!(
                    "no Chromium found for the browser tests: install it with \
                     `apt-get install -y chromium chromium-driver` (.ci/run does)"
                )
            });
        let profile = finished_data().join(format!("chromium-{name}"));
        let _ = std::fs::remove_dir_all(&profile);
        let shots = repo("target/screenshots");
        std::fs::create_dir_all(&shots).expect("screenshot dir");
        Browser {
            bin,
            profile,
            shots,
        }
    }

    fn run(&self, url: &str, extra: &[&str], budget_ms: u64) -> String {
        let mut child = Command::new(&self.bin)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--hide-scrollbars",
            ])
            .arg(format!("--user-data-dir={}", self.profile.display()))
            .arg(format!("--virtual-time-budget={budget_ms}"))
            .args(extra)
            .arg(url)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromium");
        let mut out = child.stdout.take().expect("stdout");
        let reader = std::thread::spawn(move || {
            let mut s = String::new();
            let _ = out.read_to_string(&mut s);
            s
        });
        let start = Instant::now();
        while child.try_wait().expect("wait").is_none() {
            if start.elapsed() > Duration::from_secs(90) {
                let _ = child.kill();
                panic!("chromium did not finish {url} in 90 s");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        reader.join().expect("reader")
    }

    /// The page's DOM once `ready` holds of it (dumped again until then).
    fn dom_when(&self, url: &str, ready: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        let mut budget = 3000;
        loop {
            let dom = self.run(url, &["--dump-dom"], budget);
            if ready(&dom) {
                return dom;
            }
            assert!(
                start.elapsed() < Duration::from_secs(120),
                "{url} never got ready; last DOM:\n{dom}"
            );
            budget = (budget * 2).min(20000);
        }
    }

    fn screenshot(&self, url: &str, name: &str, extra: &[&str], budget_ms: u64) {
        let path = self.shots.join(format!("{name}.png"));
        let _ = std::fs::remove_file(&path);
        let mut args = vec![format!("--screenshot={}", path.display())];
        if !extra.iter().any(|a| a.starts_with("--window-size")) {
            args.push("--window-size=1280,1100".to_string());
        }
        args.extend(extra.iter().map(|s| s.to_string()));
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        self.run(url, &args, budget_ms);
        let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
        assert!(size > 5000, "screenshot {name} is empty ({size} bytes)");
    }
}

/// The `data-pos` the game page writes on `<body>`.
fn pos(dom: &str) -> Option<u64> {
    let at = dom.find("data-pos=\"")? + 10;
    dom[at..].split('"').next()?.parse().ok()
}

#[test]
fn a_person_sees_tournaments_standings_and_games_play_in_chromium() {
    let data = fresh_data("browser");
    let server = Server::start_with(&data, &["--edit-timeout", "600"]);
    let live_id = start_running(&server);
    let browser = Browser::new("pages");
    let base = format!("http://{}", server.addr);

    // The front page: every tournament, the running one first and live.
    let dom = browser.dom_when(&format!("{base}/"), |d| d.contains("data-ready=\"1\""));
    for name in ["viewer-snakes", "viewer-war", "viewer-live"] {
        assert!(dom.contains(name), "{name} not listed:\n{dom}");
    }
    let first = dom.find("data-tournament=").expect("a row");
    assert!(
        dom[first..].starts_with("data-tournament=\"viewer-live\""),
        "{dom}"
    );
    assert!(dom.contains("● live"), "{dom}");
    browser.screenshot(&format!("{base}/"), "index", &[], 3000);

    // A finished tournament: standings with every rating, the chart, games.
    let url = format!("{base}/tournaments/viewer-snakes");
    let dom = browser.dom_when(&url, |d| d.contains("data-ready=\"1\""));
    for text in [
        "id=\"standings\"",
        "Bradley-Terry",
        "Codeforces",
        "seeker",
        "random",
        "polyline",
        "href=\"/games/",
    ] {
        assert!(dom.contains(text), "{text} missing:\n{dom}");
    }
    browser.screenshot(&url, "tournament", &[], 3000);

    // A stored BattleSnake game opened at turn 5 shows turn 5.
    let (snake_match, frames) = longest(&data, "battlesnake");
    assert!(frames > 10, "{frames}");
    let url = format!("{base}/games/{snake_match}?turn=5");
    let dom = browser.dom_when(&url, |d| d.contains("data-ready=\"1\""));
    // Stored BattleSnake frames start after the first move (turn 1).
    assert_eq!(pos(&dom), Some(4), "{dom}");
    assert!(dom.contains(">turn 5 /"), "{dom}");
    assert!(
        dom.contains("data-snake=\"seeker\"") && dom.contains("health"),
        "{dom}"
    );
    browser.screenshot(&url, "battlesnake-turn5", &[], 3000);
    // ...and moves when played.
    let url = format!("{base}/games/{snake_match}?autoplay=1&speed=8");
    let dom = browser.dom_when(&url, |d| pos(d).is_some_and(|p| p > 3));
    assert!(pos(&dom).is_some_and(|p| p > 3), "{dom}");
    // At the end: the result.
    let url = format!("{base}/games/{snake_match}?turn={frames}");
    let dom = browser.dom_when(&url, |d| d.contains("Result:"));
    assert!(dom.contains("1. "), "{dom}");
    browser.screenshot(&url, "battlesnake-end", &[], 3000);
    browser.screenshot(
        &url,
        "battlesnake-phone-dark",
        &["--window-size=390,844", "--force-dark-mode"],
        3000,
    );

    // A Core War game: the core at an execution, with its warriors.
    let (war_match, _) = longest(&data, "corewar");
    let url = format!("{base}/games/{war_match}?turn=200");
    let dom = browser.dom_when(&url, |d| d.contains("execution 200 of"));
    assert_eq!(pos(&dom), Some(200), "{dom}");
    assert!(
        dom.contains("data-warrior=\"pebble\"") && dom.contains("process"),
        "{dom}"
    );
    browser.screenshot(&url, "corewar", &[], 4000);

    // The leaderboard: both pools.
    let url = format!("{base}/leaderboard");
    let dom = browser.dom_when(&url, |d| d.contains("data-ready=\"1\""));
    assert!(
        dom.contains("battlesnake") && dom.contains("corewar"),
        "{dom}"
    );
    browser.screenshot(&url, "leaderboard", &[], 3000);

    // The running tournament's page lists its games; a live game plays
    // from its first frame to its end, then shows the result.
    let url = format!("{base}/tournaments/viewer-live");
    let dom = browser.dom_when(&url, |d| d.contains("data-ready=\"1\""));
    assert!(dom.contains("running"), "{dom}");
    browser.screenshot(&url, "tournament-running", &[], 3000);
    let url = format!("{base}/games/live-{live_id}?speed=32");
    let length = |d: &str| -> Option<u64> {
        let at = d.find("data-length=\"")? + 13;
        d[at..].split('"').next()?.parse().ok()
    };
    let dom = browser.dom_when(&url, |d| {
        d.contains("Result:") && length(d).is_some_and(|n| n > 5)
    });
    // The whole game arrived and the page stands at its last frame.
    let n = length(&dom).expect("length");
    assert_eq!(pos(&dom), Some(n - 1), "{dom}");
    browser.screenshot(&url, "live-finished", &[], 8000);
}

/// A raw GET: status, headers (lower-cased) and body.
fn raw_get(addr: &str, path: &str) -> (u16, String, String) {
    let mut s = TcpStream::connect(addr).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    write!(s, "GET {path} HTTP/1.1\r\nHost: {addr}\r\nOrigin: http://elsewhere.example\r\nConnection: close\r\n\r\n")
        .expect("send");
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).expect("read");
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").expect("headers");
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("status");
    (status, head.to_lowercase(), body.to_string())
}

/// Reads `/api/games/{id}/events` as the board's `engine.ts` does: frames
/// (by `Data.Turn`) until `game_end`, then the server's close.
fn board_events(addr: &str, id: &str) -> (Vec<Value>, Value) {
    let stream = TcpStream::connect(addr).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .expect("timeout");
    let (mut ws, _) = tungstenite::client(format!("ws://{addr}/api/games/{id}/events"), stream)
        .expect("handshake");
    let mut frames = Vec::new();
    loop {
        match ws.read().expect("read") {
            Message::Text(t) => {
                let ev: Value = serde_json::from_str(t.as_str()).expect("JSON");
                match ev["Type"].as_str() {
                    Some("frame") => frames.push(ev["Data"].clone()),
                    Some("game_end") => {
                        // Then a proper close.
                        match ws.read() {
                            Ok(Message::Close(Some(c))) => assert_eq!(u16::from(c.code), 1000),
                            other => panic!("expected a close after game_end: {other:?}"),
                        }
                        return (frames, ev);
                    }
                    other => panic!("unknown event type {other:?}: {ev}"),
                }
            }
            Message::Ping(_) | Message::Pong(_) => {}
            other => panic!("unexpected {other:?}"),
        }
    }
}

fn check_board_frames(frames: &[Value], width: i64, height: i64) {
    assert!(!frames.is_empty());
    // Our replays store the board after each move: the first is turn 1.
    let first = frames[0]["Turn"].as_i64().expect("Turn");
    assert!(first <= 1, "{first}");
    for (i, f) in frames.iter().enumerate() {
        assert_eq!(
            f["Turn"].as_i64(),
            Some(first + i as i64),
            "every turn, in order"
        );
        let snakes = f["Snakes"].as_array().expect("Snakes");
        assert!(!snakes.is_empty());
        for s in snakes {
            assert!(s["ID"].is_string() && s["Name"].is_string() && s["Color"].is_string());
            assert!(s["Health"].is_i64() && s["Latency"].is_string());
            assert!(s["HeadType"].is_string() && s["TailType"].is_string());
            assert!(s["Death"].is_null() || s["Death"]["Cause"].is_string());
            for p in s["Body"].as_array().expect("Body") {
                let (x, y) = (p["X"].as_i64().expect("X"), p["Y"].as_i64().expect("Y"));
                assert!(
                    (0..width).contains(&x) && (0..height).contains(&y) || s["Death"].is_object()
                );
            }
        }
        assert!(f["Food"].is_array() && f["Hazards"].is_array());
    }
}

#[test]
fn the_battlesnake_board_reads_stored_and_live_games_through_the_engine_api() {
    let data = fresh_data("engine");
    let server = Server::start_with(&data, &["--edit-timeout", "600"]);
    let (match_id, frames) = longest(&data, "battlesnake");

    let (status, head, body) = raw_get(&server.addr, &format!("/api/games/{match_id}"));
    assert_eq!(status, 200, "{body}");
    assert!(head.contains("access-control-allow-origin: *"), "{head}");
    let info: Value = serde_json::from_str(&body).expect("JSON");
    let game = &info["Game"];
    assert_eq!(game["ID"], match_id.to_string());
    assert_eq!(game["Status"], "complete");
    let (w, h) = (
        game["Width"].as_i64().expect("Width"),
        game["Height"].as_i64().expect("Height"),
    );
    assert!(
        game["Ruleset"]["name"].is_string() && game["SnakeTimeout"].is_i64(),
        "{info}"
    );

    let (got, end) = board_events(&server.addr, &match_id.to_string());
    assert_eq!(got.len() as i64, frames);
    check_board_frames(&got, w, h);
    assert_eq!(end["Data"]["game"]["ID"], match_id.to_string());
    // The game's loser is drawn dead in the last frame, with its cause.
    let last = got.last().expect("frames");
    assert!(
        last["Snakes"]
            .as_array()
            .expect("snakes")
            .iter()
            .any(|s| s["Death"]["Cause"].is_string()),
        "{last}"
    );

    // A Core War match is not a Battlesnake game; an unknown id is 404.
    let (war, _) = longest(&data, "corewar");
    assert_eq!(raw_get(&server.addr, &format!("/api/games/{war}")).0, 404);
    assert_eq!(raw_get(&server.addr, "/api/games/999999").0, 404);

    // A live game: every frame from turn 0, then its end.
    let live = start_running(&server);
    let id = format!("live-{live}");
    let (status, _, body) = raw_get(&server.addr, &format!("/api/games/{id}"));
    assert_eq!(status, 200, "{body}");
    let (got, end) = board_events(&server.addr, &id);
    check_board_frames(&got, 11, 11);
    assert_eq!(end["Type"], "game_end");
}
