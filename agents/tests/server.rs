//! `BotServer`: one sandboxed HTTP bot process for a whole round, serving
//! several games at once, restarted when it dies. Real child processes:
//! Python 3 `ThreadingHTTPServer` bots written by the tests. Every answer
//! carries the process's token (its pid in its namespace and random bytes
//! drawn at start-up), which tells which process answered.

use std::net::TcpListener;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use arena_agents::runner::{Backend, BotServer, Limits, ServerLimits, StopReason};
use serde_json::{Value, json};

const LONG: Duration = Duration::from_secs(30);

/// A threaded HTTP bot; `hook` is Python run in `do_POST` with `game` (its
/// id), `path`, `req` (the body) and `self.reply(obj)`, before the default
/// answer `{'token', 'game', 'turn', 'move'}`.
fn http_bot(hook: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let hook: String = hook.lines().map(|l| format!("        {l}\n")).collect();
    let src = format!(
        r#"import json, os, socket, sys, threading, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
TOKEN = '%d-%s' % (os.getpid(), os.urandom(8).hex())
def log(s):
    sys.stderr.write(s + '\n'); sys.stderr.flush()
class H(BaseHTTPRequestHandler):
    def reply(self, obj):
        body = json.dumps(obj).encode()
        self.send_response(200)
        self.send_header('Content-Type', 'application/json')
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def do_GET(self):
        self.reply({{'apiversion': '1', 'token': TOKEN}})
    def do_POST(self):
        n = int(self.headers.get('Content-Length', 0))
        req = json.loads(self.rfile.read(n))
        game = req.get('game', {{}}).get('id')
        path = self.path
{hook}
        self.reply({{'token': TOKEN, 'game': game, 'turn': req.get('turn'), 'move': 'up'}})
    def log_message(self, *a):
        pass
class S(ThreadingHTTPServer):
    request_queue_size = 64
    daemon_threads = True
S(('127.0.0.1', int(os.environ['PORT'])), H).serve_forever()
"#
    );
    std::fs::write(dir.path().join("server.py"), src).expect("write bot");
    dir
}

fn cmd() -> Vec<String> {
    vec!["python3".into(), "server.py".into()]
}

fn limits() -> Limits {
    Limits {
        memory_bytes: 512 << 20,
        address_space_bytes: Some(1 << 30),
        cpu_time: Duration::from_secs(60),
        backend: Backend::default(),
        ..Limits::default()
    }
}

fn serve(dir: &Path, server_limits: ServerLimits) -> BotServer {
    // A port nothing on the host listens on.
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("port")
        .port();
    BotServer::start_with(dir, &cmd(), port, &limits(), server_limits)
        .unwrap_or_else(|r| panic!("server did not start: {r}\n{}", r.stderr_tail))
}

fn msg(kind: &str, game: &str, turn: u64) -> Value {
    json!({"type": kind, "game": {"id": game}, "turn": turn})
}

/// A request that must be answered in time.
fn ask(s: &BotServer, m: &Value) -> Value {
    match s.request(m, LONG) {
        Ok(Some(v)) => v,
        other => panic!("{m}: {other:?}\n{}", s.log_text()),
    }
}

fn token(v: &Value) -> String {
    v["token"].as_str().unwrap_or_default().to_string()
}

/// Waits (bounded) until the current process has logged `what`.
fn wait_for_log(s: &BotServer, what: &str) {
    let end = Instant::now() + LONG;
    while !s.log_text().contains(what) {
        assert!(Instant::now() < end, "never logged {what:?}");
        std::thread::sleep(Duration::from_millis(5));
    }
}

fn crashed(code: i32) -> StopReason {
    StopReason::Crashed {
        code: Some(code),
        signal: None,
    }
}

#[test]
fn eight_games_at_once_are_served_by_one_process() {
    // Every game's /start waits in the bot until all eight are inside it at
    // once: the server sends them concurrently, or the barrier breaks.
    let dir = http_bot(
        "if path == '/start':\n    try:\n        BARRIER.wait(timeout=20)\n        together = True\n    except threading.BrokenBarrierError:\n        together = False\n    self.reply({'token': TOKEN, 'together': together})\n    return",
    );
    let src = std::fs::read_to_string(dir.path().join("server.py")).expect("read");
    let src = src.replacen(
        "def log(s):",
        "BARRIER = threading.Barrier(8)\ndef log(s):",
        1,
    );
    std::fs::write(dir.path().join("server.py"), src).expect("write");
    let server = Arc::new(serve(dir.path(), ServerLimits::default()));
    let first = server.info().map(|i| token(&i)).unwrap_or_default();
    assert!(!first.is_empty());
    let threads: Vec<_> = (0..8)
        .map(|g| {
            let s = server.clone();
            std::thread::spawn(move || {
                let id = format!("game-{g}");
                let mut tokens = vec![];
                let v = ask(&s, &msg("start", &id, 0));
                assert_eq!(v["together"], true, "{v}");
                tokens.push(token(&v));
                for t in 1..19 {
                    let v = ask(&s, &msg("move", &id, t));
                    assert_eq!(
                        (v["game"].as_str(), v["turn"].as_u64()),
                        (Some(&*id), Some(t))
                    );
                    tokens.push(token(&v));
                }
                tokens.push(token(&ask(&s, &msg("end", &id, 19))));
                tokens
            })
        })
        .collect();
    for t in threads {
        let tokens = t.join().expect("game thread");
        assert_eq!(tokens.len(), 20);
        assert!(tokens.iter().all(|t| *t == first), "{tokens:?} vs {first}");
    }
    assert_eq!(server.generation(), Some(0));
    assert_eq!(server.restarts(), 0);
    let server = Arc::into_inner(server).expect("one owner");
    let report = server.stop();
    assert_eq!(report.reason, StopReason::Ended, "{report}");
    assert_eq!(report.latency.count(), 160);
}

#[test]
fn a_crash_fails_the_games_in_flight_and_a_new_game_gets_a_new_process() {
    let dir = http_bot(
        "if game == 'boom':\n    os._exit(3)\nif game == 'wait' and path == '/move':\n    log('waiting')\n    time.sleep(3600)",
    );
    let server = Arc::new(serve(dir.path(), ServerLimits::default()));
    let pid0 = server.pid();
    let t0 = token(&ask(&server, &msg("start", "a", 0)));
    assert_eq!(token(&ask(&server, &msg("start", "wait", 0))), t0);
    // "wait" has a request in flight when the process dies.
    let s = server.clone();
    let waiting = std::thread::spawn(move || s.request(&msg("move", "wait", 1), LONG));
    wait_for_log(&server, "waiting");
    assert_eq!(
        server.request(&msg("start", "boom", 0), LONG),
        Err(crashed(3))
    );
    assert_eq!(waiting.join().expect("thread"), Err(crashed(3)));
    // "a" started on the dead process: its next request gets the reason.
    assert_eq!(server.request(&msg("move", "a", 1), LONG), Err(crashed(3)));
    // A new game: a new process.
    let t1 = token(&ask(&server, &msg("start", "c", 0)));
    assert_ne!(t1, t0);
    assert_eq!(server.generation(), Some(1));
    assert_ne!(server.pid(), pid0);
    assert_eq!(server.restarts(), 1);
    for t in 1..5 {
        assert_eq!(token(&ask(&server, &msg("move", "c", t))), t1);
    }
    // Old games stay failed.
    assert_eq!(
        server.request(&msg("move", "wait", 2), LONG),
        Err(crashed(3))
    );
    assert_eq!(server.deaths(), vec![(0, crashed(3))]);
    let server = Arc::into_inner(server).expect("one owner");
    let report = server.stop();
    assert_eq!(report.reason, StopReason::Ended, "{report}");
    assert!(
        report
            .stderr_tail
            .contains("[generation 0: crashed with exit code 3]"),
        "{}",
        report.stderr_tail
    );
}

#[test]
fn a_hung_request_is_late_while_other_games_are_answered() {
    let dir = http_bot(
        "if game == 'hang' and req.get('turn') == 1:\n    log('hanging')\n    time.sleep(3600)",
    );
    let server = Arc::new(serve(dir.path(), ServerLimits::default()));
    let t0 = token(&ask(&server, &msg("start", "hang", 0)));
    let s = server.clone();
    let hung =
        std::thread::spawn(move || s.request(&msg("move", "hang", 1), Duration::from_secs(2)));
    wait_for_log(&server, "hanging");
    // The hang handler never returns: everything answered from here on was
    // answered while it hung.
    let others: Vec<_> = (0..3)
        .map(|g| {
            let s = server.clone();
            std::thread::spawn(move || {
                let id = format!("other-{g}");
                (0..10)
                    .map(|t| token(&ask(&s, &msg("move", &id, t))))
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    for o in others {
        assert!(o.join().expect("thread").iter().all(|t| *t == t0));
    }
    assert_eq!(hung.join().expect("thread"), Ok(None));
    // The late game plays on, on the same process.
    assert_eq!(token(&ask(&server, &msg("move", "hang", 2))), t0);
    assert_eq!(server.restarts(), 0);
    let server = Arc::into_inner(server).expect("one owner");
    let report = server.stop();
    assert_eq!(report.reason, StopReason::Ended);
    // 1 start + 30 others + 1 late + 1 after.
    assert_eq!(report.latency.count(), 33);
}

#[test]
fn restarts_are_limited() {
    // A bot that exits at once never becomes a server.
    let dir = http_bot("");
    std::fs::write(dir.path().join("server.py"), "import os\nos._exit(4)\n").expect("write");
    let port = 8000;
    match BotServer::start(dir.path(), &cmd(), port, &limits()) {
        Err(r) => assert_eq!(r.reason, crashed(4)),
        Ok(_) => panic!("a bot exiting at once started"),
    }
    // A bot that starts once, then crashes; its next starts exit at once
    // (its codebase was replaced): two restarts are tried, no more.
    let dir = http_bot("if game == 'boom':\n    os._exit(3)");
    let server = serve(dir.path(), ServerLimits { restarts: 2 });
    std::fs::write(dir.path().join("server.py"), "import os\nos._exit(5)\n").expect("write");
    assert_eq!(
        server.request(&msg("start", "boom", 0), LONG),
        Err(crashed(3))
    );
    for g in 0..5 {
        let r = server.request(&msg("start", &format!("new-{g}"), 0), LONG);
        assert_eq!(r, Err(crashed(5)), "game {g}");
    }
    assert_eq!(server.restarts(), 2);
    assert_eq!(
        server.deaths(),
        vec![(0, crashed(3)), (1, crashed(5)), (2, crashed(5))]
    );
    assert_eq!(server.stop().reason, crashed(5));
}

#[test]
fn memory_limit_in_server_mode_and_the_next_game_goes_on() {
    let dir = http_bot(
        "if game == 'oom':\n    chunks = []\n    for _ in range(200):\n        chunks.append(b'x' * (50 << 20))",
    );
    let server = serve(dir.path(), ServerLimits::default());
    let t0 = token(&ask(&server, &msg("start", "fine", 0)));
    assert_eq!(
        server.request(&msg("start", "oom", 0), LONG),
        Err(StopReason::MemoryLimit),
        "{}",
        server.log_text()
    );
    assert_eq!(
        server.request(&msg("move", "fine", 1), LONG),
        Err(StopReason::MemoryLimit)
    );
    let t1 = token(&ask(&server, &msg("start", "next", 0)));
    assert_ne!(t0, t1);
    let report = server.stop();
    if let Some(peak) = report.peak_memory {
        assert!(peak <= 1 << 30, "peak {peak}");
    }
}

#[test]
fn server_mode_has_no_network_beyond_its_loopback() {
    let dir = http_bot(
        "if game == 'net':\n    res = {}\n    for name, addr in [('host', ('127.0.0.1', req['port'])), ('outside', ('1.1.1.1', 53))]:\n        try:\n            s = socket.create_connection(addr, timeout=2)\n            s.sendall(b'escaped')\n            res[name] = 'connected'\n        except OSError as e:\n            res[name] = str(e)\n    self.reply(res)\n    return",
    );
    let listener = TcpListener::bind("127.0.0.1:0").expect("listen");
    listener.set_nonblocking(true).expect("nonblocking");
    let port = listener.local_addr().expect("addr").port();
    let bot_port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("port")
        .port();
    let server = BotServer::start(dir.path(), &cmd(), bot_port, &limits())
        .unwrap_or_else(|r| panic!("{r}\n{}", r.stderr_tail));
    assert!(
        std::net::TcpStream::connect(("127.0.0.1", bot_port)).is_err(),
        "the bot's port is reachable from the host"
    );
    let v = ask(
        &server,
        &json!({"type": "move", "game": {"id": "net"}, "port": port}),
    );
    assert!(v["host"].is_string() && v["outside"].is_string(), "{v}");
    assert_ne!(v["host"], "connected", "{v}");
    assert_ne!(v["outside"], "connected", "{v}");
    assert!(listener.accept().is_err(), "the listener got a connection");
    assert_eq!(server.stop().reason, StopReason::Ended);
}

#[test]
fn a_bad_answer_fails_only_its_game() {
    let dir = http_bot(
        "if game == 'bad':\n    body = b'not json'\n    self.send_response(200)\n    self.send_header('Content-Length', str(len(body)))\n    self.end_headers()\n    self.wfile.write(body)\n    return",
    );
    let server = serve(dir.path(), ServerLimits::default());
    let t0 = token(&ask(&server, &msg("start", "good", 0)));
    let r = server.request(&msg("move", "bad", 1), LONG);
    assert!(
        matches!(&r, Err(StopReason::ProtocolError { what }) if what.contains("not JSON")),
        "{r:?}"
    );
    // The same game stays failed without asking the bot again; the process
    // and the other games go on.
    assert_eq!(server.request(&msg("move", "bad", 2), LONG), r);
    assert_eq!(token(&ask(&server, &msg("move", "good", 1))), t0);
    assert_eq!(server.restarts(), 0);
    assert_eq!(server.deaths(), vec![]);
    assert_eq!(server.stop().reason, StopReason::Ended);
}

#[test]
fn new_games_arriving_together_after_a_crash_share_one_restart() {
    let dir = http_bot("if game == 'boom':\n    os._exit(3)");
    let server = Arc::new(serve(dir.path(), ServerLimits::default()));
    assert_eq!(
        server.request(&msg("start", "boom", 0), LONG),
        Err(crashed(3))
    );
    let barrier = Arc::new(std::sync::Barrier::new(6));
    let threads: Vec<_> = (0..6)
        .map(|g| {
            let (s, b) = (server.clone(), barrier.clone());
            std::thread::spawn(move || {
                b.wait();
                let id = format!("after-{g}");
                let t = token(&ask(&s, &msg("start", &id, 0)));
                assert_eq!(token(&ask(&s, &msg("move", &id, 1))), t);
                t
            })
        })
        .collect();
    let tokens: Vec<String> = threads
        .into_iter()
        .map(|t| t.join().expect("thread"))
        .collect();
    assert!(tokens.iter().all(|t| *t == tokens[0]), "{tokens:?}");
    assert_eq!(server.restarts(), 1);
    assert_eq!(server.generation(), Some(1));
}

#[test]
fn cpu_limit_in_server_mode_and_the_next_process_has_its_own() {
    let dir = http_bot("if game == 'spin':\n    x = 0\n    while True:\n        x += 1");
    let port = 8000;
    let l = Limits {
        cpu_time: Duration::from_secs(1),
        ..limits()
    };
    let server = BotServer::start(dir.path(), &cmd(), port, &l)
        .unwrap_or_else(|r| panic!("{r}\n{}", r.stderr_tail));
    let t0 = token(&ask(&server, &msg("start", "fine", 0)));
    assert_eq!(
        server.request(&msg("start", "spin", 0), LONG),
        Err(StopReason::CpuLimit)
    );
    assert_eq!(
        server.request(&msg("move", "fine", 1), LONG),
        Err(StopReason::CpuLimit)
    );
    let t1 = token(&ask(&server, &msg("start", "next", 0)));
    assert_ne!(t0, t1);
    let report = server.stop();
    assert_eq!(report.reason, StopReason::Ended);
    assert!(
        report
            .cpu_time
            .is_some_and(|c| c >= Duration::from_millis(900)),
        "{report}"
    );
}
