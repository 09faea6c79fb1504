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

/// The data directory with a finished BattleSnake, Halite, RobotRumble
/// and Core War tournament, made once.
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
                "name = \"viewer-halite\"\ngame = \"halite\"\nrounds = 0\nsims = 1\nseed = 4\n\
                 [halite]\nwidth = 20\nheight = 20\n\
                 [[players]]\nname = \"py-a\"\ncodebase = \"{0}\"\n\
                 [[players]]\nname = \"py-b\"\ncodebase = \"{0}\"\n",
                repo("examples/halite/python").display()
            ),
            format!(
                "name = \"viewer-rumble\"\ngame = \"robotrumble\"\nrounds = 0\nsims = 1\nseed = 12\n\
                 [[players]]\nname = \"chaser\"\ncodebase = \"{}\"\n\
                 [[players]]\nname = \"centre\"\ncodebase = \"{}\"\n",
                repo("examples/robotrumble/chaser").display(),
                repo("examples/robotrumble/centre").display()
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
    let snakes = repo("examples/battlesnake");
    let toml = format!(
        "name = \"viewer-live\"\ngame = \"battlesnake\"\nrounds = 2\nsims = 3\nseed = 11\n\
         [battlesnake]\nwidth = 11\nheight = 11\ntimeout_ms = 500\n\
         [[players]]\nname = \"alice\"\ncodebase = \"{}\"\nagent = \"remote\"\n\
         [[players]]\nname = \"bob\"\ncodebase = \"{}\"\nagent = \"remote\"\n",
        snakes.join("food-seeker").display(),
        snakes.join("safe-random").display()
    );
    start_tournament(server, &toml, &["alice", "bob"]).1
}

/// Creates and starts a tournament of remote agents (`players`) that never
/// submit, so round 0 plays live with their codebases: its id and its
/// first live game's.
fn start_tournament(server: &Server, toml: &str, players: &[&str]) -> (i64, u64) {
    let mut admin = server.websocket();
    admin.send(json!({"type": "hello", "role": "admin", "token": "t0ken", "protocol_version": 1}));
    admin.recv_type("welcome");
    admin.send(json!({"type": "create_tournament", "config_toml": toml}));
    let tid = admin.recv_type("tournament_created")["tournament"]
        .as_i64()
        .expect("id");
    for p in players {
        admin.send(json!({"type": "register_agent", "tournament": tid, "player": p}));
        admin.recv_type("agent_registered");
    }
    admin.send(json!({"type": "start_tournament", "tournament": tid}));
    admin.recv_type("tournament_updated");
    let mut spectator = server.websocket();
    spectator.hello();
    let start = Instant::now();
    loop {
        // Each answer is the signal to ask again, at the rate the server
        // allows.
        let games = spectator.ask(json!({"type": "list_games", "tournament": tid}), "games");
        if let Some(id) = games["games"]
            .as_array()
            .into_iter()
            .flatten()
            .find_map(|g| g["game_id"].as_u64())
        {
            return (tid, id);
        }
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "no live game: {games}"
        );
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
    // The loser stays on the board, faded where it died, with its cause.
    assert!(
        dom.contains("class=\"deadsnake\" data-dead=") && dom.contains("eliminated turn "),
        "{dom}"
    );
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

/// A WebDriver session (W3C, over plain HTTP/1.1) on Debian's
/// `chromedriver` or on `geckodriver`: one browser that stays open while
/// the test watches a page change.
struct Driver {
    child: std::process::Child,
    port: u16,
    session: String,
    name: &'static str,
    shots: PathBuf,
}

/// An executable on `PATH` (or at `$var`, or in `~/.cargo/bin`).
fn find_program(names: &[&str], var: &str) -> Option<PathBuf> {
    if let Some(p) = std::env::var_os(var)
        .map(PathBuf::from)
        .filter(|p| p.is_file())
    {
        return Some(p);
    }
    let mut dirs: Vec<PathBuf> = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect())
        .unwrap_or_default();
    if let Some(home) = std::env::var_os("HOME") {
        dirs.push(PathBuf::from(home).join(".cargo/bin"));
    }
    names
        .iter()
        .find_map(|n| dirs.iter().map(|d| d.join(n)).find(|p| p.is_file()))
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

/// A standard base64 decoder (for WebDriver's screenshots).
fn base64_decode(s: &str) -> Vec<u8> {
    let val = |c: u8| -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        } as u32)
    };
    let digits: Vec<u32> = s.bytes().filter_map(val).collect();
    let mut out = Vec::with_capacity(digits.len() * 3 / 4);
    for chunk in digits.chunks(4) {
        let mut n = 0u32;
        for (i, d) in chunk.iter().enumerate() {
            n |= d << (18 - 6 * i);
        }
        let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        out.extend_from_slice(&bytes[..chunk.len().saturating_sub(1)]);
    }
    out
}

impl Driver {
    /// Headless Chromium through Debian's `chromedriver`.
    fn chromium(name: &'static str) -> Driver {
        let driver = find_program(&["chromedriver"], "CHROMEDRIVER").unwrap_or_else(|| {
            panic!(
                "no chromedriver for the browser tests: install it with \
                 `apt-get install -y chromium chromium-driver` (.ci/run does)"
            )
        });
        let bin = find_program(&["chromium", "chromium-browser"], "CHROMIUM").unwrap_or_else(|| {
            panic!("no Chromium: install it with `apt-get install -y chromium chromium-driver` (.ci/run does)")
        });
        let caps = json!({"capabilities": {"alwaysMatch": {"goog:chromeOptions": {
            "binary": bin,
            "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=1280,1100", "--hide-scrollbars", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update"],
        }}}});
        Driver::start(name, &driver, &[], caps)
    }

    /// Headless Firefox ESR through `geckodriver`.
    fn firefox(name: &'static str) -> Driver {
        let install = "install them with `apt-get install -y firefox-esr` and \
                       `cargo install geckodriver --locked` (.ci/run does)";
        let driver = find_program(&["geckodriver"], "GECKODRIVER")
            .unwrap_or_else(|| panic!("no geckodriver for the Firefox tests: {install}"));
        let bin = find_program(&["firefox-esr", "firefox"], "FIREFOX")
            .unwrap_or_else(|| panic!("no Firefox for the Firefox tests: {install}"));
        let caps = json!({"capabilities": {"alwaysMatch": {"moz:firefoxOptions": {
            "binary": bin,
            "args": ["-headless"],
            "prefs": {"browser.shell.checkDefaultBrowser": false},
        }}}});
        Driver::start(name, &driver, &[], caps)
    }

    fn start(name: &'static str, driver: &Path, args: &[&str], caps: Value) -> Driver {
        let port = free_port();
        let child = Command::new(driver)
            .arg(format!("--port={port}"))
            .args(args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("start {}: {e}", driver.display()));
        let shots = repo("target/screenshots");
        std::fs::create_dir_all(&shots).expect("screenshot dir");
        let mut d = Driver {
            child,
            port,
            session: String::new(),
            name,
            shots,
        };
        // The driver is up once /status answers ready.
        let start = Instant::now();
        loop {
            if let Ok(v) = d.http("GET", "/status", None)
                && v["value"]["ready"] == true
            {
                break;
            }
            assert!(
                start.elapsed() < Duration::from_secs(30),
                "{} never got ready",
                driver.display()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        let v = d.call("POST", "/session", Some(caps));
        d.session = v["sessionId"].as_str().expect("sessionId").to_string();
        d.call(
            "POST",
            &format!("/session/{}/window/rect", d.session),
            Some(json!({"width": 1280, "height": 1100})),
        );
        d
    }

    /// One request; the reply's JSON.
    fn http(&self, method: &str, path: &str, body: Option<Value>) -> std::io::Result<Value> {
        let mut s = TcpStream::connect(("127.0.0.1", self.port))?;
        s.set_read_timeout(Some(Duration::from_secs(60)))?;
        let body = body.map(|b| b.to_string()).unwrap_or_default();
        write!(
            s,
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nContent-Type: application/json\r\n\
             Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
            self.port,
            body.len()
        )?;
        // Drivers keep the connection open: read the headers, then as much
        // body as they announce (or chunks up to the last one).
        let mut raw = Vec::new();
        let mut buf = [0u8; 65536];
        let (split, head) = loop {
            if let Some(split) = raw.windows(4).position(|w| w == b"\r\n\r\n") {
                let head = String::from_utf8_lossy(&raw[..split]).to_lowercase();
                let body = &raw[split + 4..];
                let length = head.lines().find_map(|l| {
                    l.strip_prefix("content-length:")
                        .and_then(|v| v.trim().parse::<usize>().ok())
                });
                let done = match length {
                    Some(n) => body.len() >= n,
                    None if head.contains("chunked") => body.ends_with(b"0\r\n\r\n"),
                    None => false,
                };
                if done {
                    break (split, head);
                }
            }
            let n = s.read(&mut buf)?;
            if n == 0 {
                let split = raw
                    .windows(4)
                    .position(|w| w == b"\r\n\r\n")
                    .ok_or_else(|| std::io::Error::other("no header end"))?;
                break (split, String::from_utf8_lossy(&raw[..split]).to_lowercase());
            }
            raw.extend_from_slice(&buf[..n]);
        };
        let mut rest = &raw[split + 4..];
        let mut body = Vec::new();
        if head.contains("chunked") {
            while let Some(eol) = rest.windows(2).position(|w| w == b"\r\n") {
                let n = usize::from_str_radix(String::from_utf8_lossy(&rest[..eol]).trim(), 16)
                    .unwrap_or(0);
                if n == 0 {
                    break;
                }
                body.extend_from_slice(&rest[eol + 2..eol + 2 + n]);
                rest = &rest[eol + 2 + n + 2..];
            }
        } else {
            body = rest.to_vec();
        }
        serde_json::from_slice(&body).map_err(std::io::Error::other)
    }

    /// A WebDriver command's `value`; fails the test on a WebDriver error.
    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let v = self
            .http(method, path, body)
            .unwrap_or_else(|e| panic!("{} {method} {path}: {e}", self.name));
        if v["value"]["error"].is_string() {
            panic!("{} {method} {path}: {}", self.name, v["value"]);
        }
        v["value"].clone()
    }

    fn goto(&self, url: &str) {
        self.call(
            "POST",
            &format!("/session/{}/url", self.session),
            Some(json!({"url": url})),
        );
    }

    /// Runs `script` (a function body) in the page; what it returns.
    fn eval(&self, script: &str) -> Value {
        self.call(
            "POST",
            &format!("/session/{}/execute/sync", self.session),
            Some(json!({"script": script, "args": []})),
        )
    }

    /// Polls `script` until it returns something other than null or false,
    /// within `bound`; returns it.
    fn wait_for(&self, what: &str, script: &str, bound: Duration) -> Value {
        let start = Instant::now();
        loop {
            let v = self.eval(script);
            if !v.is_null() && v != false {
                return v;
            }
            if start.elapsed() > bound {
                let state = self.eval(PAGE_STATE);
                panic!(
                    "{}: {what} not seen in {bound:?}; the page: {state}",
                    self.name
                );
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn screenshot(&self, name: &str) {
        let png = self.call(
            "GET",
            &format!("/session/{}/screenshot", self.session),
            None,
        );
        let bytes = base64_decode(png.as_str().expect("base64 PNG"));
        assert!(bytes.len() > 5000, "screenshot {name} is empty");
        std::fs::write(self.shots.join(format!("{name}.png")), bytes).expect("write screenshot");
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            let _ = self.http("DELETE", &format!("/session/{}", self.session), None);
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// What the game page shows: position, timeline length, the turn label,
/// whether the result shows, the address, and the board's units or sites.
const PAGE_STATE: &str = r#"
const b = document.body.dataset, t = document.getElementById('turn'), r = document.getElementById('result');
const board = document.getElementById('board');
return {
  ready: b.ready === '1', pos: Number(b.pos), length: Number(b.length),
  turn: t ? t.textContent : null,
  result: r && !r.hidden ? r.textContent : null,
  path: location.pathname,
  units: document.querySelectorAll('[data-unit]').length,
  owned: board && board.dataset.owned !== undefined ? Number(board.dataset.owned) : null,
  live: !!document.getElementById('live-badge') && !document.getElementById('live-badge').hidden,
};"#;

/// The page state once `cond` (a JS expression over `s`, the state) holds.
fn state_when(d: &Driver, what: &str, cond: &str, bound: Duration) -> Value {
    let script =
        PAGE_STATE.replace("return {", "const s = {") + &format!("\nreturn ({cond}) ? s : null;");
    d.wait_for(what, &script, bound)
}

/// A RobotRumble bot that takes its time each turn, so a game stays live
/// long enough to be watched catching up and following.
fn slow_bot() -> PathBuf {
    let dir = finished_data().join("slow-bot");
    std::fs::create_dir_all(&dir).expect("bot dir");
    std::fs::write(
        dir.join("robot.py"),
        "# Slow: a tenth of a second each turn, then every unit stays.\n\
         import time\n\n\
         def init_turn(state):\n    time.sleep(0.1)\n\n\
         def robot(state, unit):\n    return None\n",
    )
    .expect("write robot.py");
    dir
}

/// A running RobotRumble tournament whose one live game (the slow bot
/// against the chaser) lasts ten seconds or more.
fn start_slow_rumble(server: &Server, name: &str) -> u64 {
    let toml = format!(
        "name = \"{name}\"\ngame = \"robotrumble\"\nrounds = 1\nsims = 1\nseed = 21\n\
         [[players]]\nname = \"slow\"\ncodebase = \"{}\"\nagent = \"remote\"\n\
         [[players]]\nname = \"chaser\"\ncodebase = \"{}\"\nagent = \"remote\"\n",
        slow_bot().display(),
        repo("examples/robotrumble/chaser").display()
    );
    start_tournament(server, &toml, &["slow", "chaser"]).1
}

#[test]
fn a_live_game_opened_mid_game_catches_up_follows_and_ends_in_chromium() {
    let data = fresh_data("catch-up");
    let server = Server::start_with(&data, &["--edit-timeout", "600"]);
    let d = Driver::chromium("chromium");
    let live = start_slow_rumble(&server, "viewer-catch-up");
    let base = format!("http://{}", server.addr);
    // Opened while the game runs: it plays from its first frame (at a
    // quarter speed, 2.5 frames a second), so an early turn shows while
    // later ones arrive.
    d.goto(&format!("{base}/games/live-{live}?speed=0.25"));
    let bound = Duration::from_secs(60);
    let s = state_when(
        &d,
        "an early turn drawn",
        "s.ready && s.units > 0 && s.live && /^turn [1-5] \\//.test(s.turn)",
        bound,
    );
    assert!(s["result"].is_null(), "{s}");
    d.screenshot("live-catch-up-early");
    // Jump to live: the newest frame, then each new one as it comes.
    d.eval("document.getElementById('jump-live').click(); return null;");
    let at_live = state_when(
        &d,
        "the newest frame",
        "s.length > 1 && s.pos === s.length - 1 && s.live",
        bound,
    );
    let n = at_live["length"].as_u64().expect("length");
    let later = state_when(
        &d,
        "a newer frame followed",
        &format!("s.length > {n} && s.pos === s.length - 1 && s.live"),
        bound,
    );
    assert!(
        later["turn"]
            .as_str()
            .is_some_and(|t| t.starts_with("turn "))
    );
    d.screenshot("live-catch-up-following");
    // The end: the result, the last frame, and the stored replay's address.
    let end = state_when(
        &d,
        "the result",
        "s.result !== null && s.pos === s.length - 1 && !s.live",
        Duration::from_secs(120),
    );
    assert!(
        end["result"].as_str().is_some_and(|r| r.contains("1. ")),
        "{end}"
    );
    assert!(
        end["path"].as_str().is_some_and(|p| !p.contains("live-")),
        "{end}"
    );
    assert!(
        end["turn"]
            .as_str()
            .is_some_and(|t| t.starts_with("turn 100 /")),
        "{end}"
    );
    d.screenshot("live-catch-up-end");
}

/// The stored Halite and RobotRumble games render, and seeking shows the turn.
fn halite_and_rumble_render(d: &Driver, base: &str, data: &Path) {
    let bound = Duration::from_secs(30);
    let (halite, frames) = longest(data, "halite");
    assert!(frames > 20, "{frames}");
    d.goto(&format!("{base}/games/{halite}?turn=15"));
    let s = state_when(
        d,
        "Halite at turn 15",
        "s.ready && s.turn && s.turn.startsWith('turn 15 /')",
        bound,
    );
    assert_eq!(s["pos"], 15, "{s}");
    assert!(s["owned"].as_u64().is_some_and(|n| n >= 2), "{s}");
    let players = d.eval(
        "return [...document.querySelectorAll('[data-player]')].map((e) => e.dataset.player + ': ' + e.textContent);",
    );
    let players: Vec<String> = serde_json::from_value(players).expect("strings");
    assert_eq!(players.len(), 2, "{players:?}");
    assert!(
        players
            .iter()
            .all(|p| p.contains("territory") && p.contains("production")),
        "{players:?}"
    );
    d.screenshot(&format!("{}-halite-turn15", d.name));
    // The keyboard steps: → shows turn 16.
    d.eval(
        "document.dispatchEvent(new KeyboardEvent('keydown', {key: 'ArrowRight'})); return null;",
    );
    state_when(
        d,
        "Halite at turn 16",
        "s.turn && s.turn.startsWith('turn 16 /')",
        bound,
    );
    d.goto(&format!("{base}/games/{halite}?turn={frames}"));
    let s = state_when(d, "Halite's result", "s.ready && s.result !== null", bound);
    assert!(
        s["turn"]
            .as_str()
            .is_some_and(|t| t.starts_with(&format!("turn {frames} /"))),
        "{s}"
    );
    d.screenshot(&format!("{}-halite-end", d.name));

    let (rumble, _) = longest(data, "robotrumble");
    d.goto(&format!("{base}/games/{rumble}?turn=30"));
    let s = state_when(
        d,
        "RobotRumble at turn 30",
        "s.ready && s.units > 0 && s.turn && s.turn.startsWith('turn 30 /')",
        bound,
    );
    let teams = d.eval(
        "return [...document.querySelectorAll('.side [data-team]')].map((e) => [e.dataset.team, Number(e.dataset.units)]);",
    );
    let teams: Vec<(String, u64)> = serde_json::from_value(teams).expect("teams");
    assert_eq!(teams.len(), 2, "{teams:?}");
    assert_eq!(
        teams.iter().map(|t| t.1).sum::<u64>(),
        s["units"].as_u64().expect("units"),
        "the teams' counts are the units drawn: {teams:?} {s}"
    );
    assert_eq!(
        d.eval("return document.querySelectorAll('#board rect.wall').length;"),
        // The circle of walls on the 19x19 grid.
        json!(
            (0..19)
                .flat_map(|x| (0..19).map(move |y| (x, y)))
                .filter(|(x, y): &(i32, i32)| (9 - x).pow(2) + (9 - y).pow(2) >= 81)
                .count()
        )
    );
    d.screenshot(&format!("{}-robotrumble-turn30", d.name));
    d.goto(&format!("{base}/games/{rumble}?turn=100"));
    let s = state_when(
        d,
        "RobotRumble's result",
        "s.ready && s.result !== null",
        bound,
    );
    assert!(
        s["turn"]
            .as_str()
            .is_some_and(|t| t.starts_with("turn 100 /")),
        "{s}"
    );
    d.screenshot(&format!("{}-robotrumble-end", d.name));

    // A phone-sized window in the dark theme.
    d.call(
        "POST",
        &format!("/session/{}/window/rect", d.session),
        Some(json!({"width": 390, "height": 844})),
    );
    for (game, id) in [("halite", halite), ("robotrumble", rumble)] {
        d.goto(&format!("{base}/games/{id}?turn=40"));
        state_when(
            d,
            "the game at turn 40",
            "s.ready && s.turn && s.turn.startsWith('turn 40 /')",
            bound,
        );
        d.eval(
            "document.documentElement.dataset.theme = 'dark'; window.scrollTo(0, 0); return null;",
        );
        // The board fits the window's width.
        let wide = d.eval("return document.getElementById('board').getBoundingClientRect().right <= window.innerWidth;");
        assert_eq!(wide, true, "{game}'s board wider than a phone");
        d.screenshot(&format!("{}-{game}-phone-dark", d.name));
    }
    d.call(
        "POST",
        &format!("/session/{}/window/rect", d.session),
        Some(json!({"width": 1280, "height": 1100})),
    );
}

#[test]
fn halite_and_robotrumble_games_render_and_seek_in_chromium() {
    let data = fresh_data("halite-rumble");
    let server = Server::start_with(&data, &[]);
    let d = Driver::chromium("chromium");
    halite_and_rumble_render(&d, &format!("http://{}", server.addr), &data);
}

#[test]
fn a_spectator_watches_a_robotrumble_game_live_over_the_websocket() {
    let data = fresh_data("rumble-live");
    let server = Server::start_with(&data, &["--edit-timeout", "600"]);
    let live = start_slow_rumble(&server, "viewer-rumble-live");
    // Subscribed mid-game: a snapshot, then every later frame once, in
    // order, each a grid of units, then the end with the stored match.
    let mut ws = server.websocket();
    ws.hello();
    ws.send(json!({"type": "subscribe", "game_id": live}));
    let snapshot = ws.recv_type("snapshot");
    assert_eq!(snapshot["header"]["game"], "robotrumble", "{snapshot}");
    let from = snapshot["version"].as_u64().expect("version");
    let mut versions = Vec::new();
    let mut last_turn = 0;
    let finished = loop {
        let m = ws.recv();
        match m["type"].as_str() {
            Some("live_frame") if m["game_id"] == live => {
                versions.push(m["version"].as_u64().expect("version"));
                let f = &m["frame"];
                let turn = f["turn"].as_u64().expect("turn");
                assert!(turn > last_turn, "turns go up: {turn} after {last_turn}");
                last_turn = turn;
                for u in f["units"].as_array().expect("units") {
                    let (x, y) = (u["x"].as_i64().expect("x"), u["y"].as_i64().expect("y"));
                    assert!(
                        (9 - x).pow(2) + (9 - y).pow(2) < 81,
                        "a unit in a wall: {u}"
                    );
                    assert!(u["team"] == "Blue" || u["team"] == "Red", "{u}");
                    assert!(
                        (1..=5).contains(&u["health"].as_u64().expect("health")),
                        "{u}"
                    );
                }
            }
            Some("game_finished") if m["game_id"] == live => break m,
            Some("error") => panic!("{m}"),
            _ => {}
        }
    };
    assert!(
        versions.len() > 10,
        "frames after the snapshot: {versions:?}"
    );
    let expected: Vec<u64> = (from + 1..=from + versions.len() as u64).collect();
    assert_eq!(
        versions, expected,
        "every frame after the snapshot once, in order"
    );
    assert_eq!(finished["version"], from + versions.len() as u64);
    assert_eq!(last_turn, 101, "100 turns played");
    // What was watched is stored: the replay has every frame.
    let match_id = finished["match_id"].as_i64().expect("match id");
    let (status, replay) = server.get(&format!("/api/replays/{match_id}"));
    assert_eq!(status, 200, "{replay}");
    assert_eq!(
        replay["frames"].as_array().map(Vec::len),
        Some(from as usize + versions.len())
    );
}

#[test]
fn the_pages_render_in_firefox() {
    let data = fresh_data("firefox");
    let server = Server::start_with(&data, &[]);
    let d = Driver::firefox("firefox");
    let base = format!("http://{}", server.addr);
    let bound = Duration::from_secs(30);
    let ready = "return document.body.dataset.ready === '1' ? document.body.innerText : null;";
    // The front page, a tournament, the leaderboard.
    d.goto(&format!("{base}/"));
    let text = d.wait_for("the tournaments", ready, bound);
    for name in [
        "viewer-snakes",
        "viewer-war",
        "viewer-halite",
        "viewer-rumble",
    ] {
        assert!(
            text.as_str().is_some_and(|t| t.contains(name)),
            "{name}: {text}"
        );
    }
    d.screenshot("firefox-index");
    d.goto(&format!("{base}/tournaments/viewer-snakes"));
    let text = d.wait_for("the standings", ready, bound);
    assert!(
        text.as_str().is_some_and(|t| t.contains("Bradley-Terry")),
        "{text}"
    );
    d.screenshot("firefox-tournament");
    // A BattleSnake game at turn 5, then at its end.
    let (snake_match, frames) = longest(&data, "battlesnake");
    d.goto(&format!("{base}/games/{snake_match}?turn=5"));
    let s = state_when(
        &d,
        "BattleSnake at turn 5",
        "s.ready && s.turn && s.turn.startsWith('turn 5 /')",
        bound,
    );
    assert_eq!(s["pos"], 4, "{s}");
    assert!(
        d.eval("return document.querySelectorAll('[data-snake]').length;")
            .as_u64()
            >= Some(2)
    );
    d.screenshot("firefox-battlesnake-turn5");
    d.goto(&format!("{base}/games/{snake_match}?turn={frames}"));
    state_when(
        &d,
        "BattleSnake's result",
        "s.ready && s.result !== null",
        bound,
    );
    assert!(
        d.eval("return document.querySelectorAll('[data-dead]').length;")
            .as_u64()
            >= Some(1)
    );
    // A Core War game at an execution.
    let (war_match, _) = longest(&data, "corewar");
    d.goto(&format!("{base}/games/{war_match}?turn=200"));
    state_when(
        &d,
        "Core War at execution 200",
        "s.ready && s.pos === 200",
        bound,
    );
    d.wait_for(
        "the core at execution 200",
        "const c = document.getElementById('cycle'); return c && c.textContent.includes('execution 200 of') ? true : null;",
        bound,
    );
    d.screenshot("firefox-corewar");
    halite_and_rumble_render(&d, &base, &data);
}
