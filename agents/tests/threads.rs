//! A bot outlives the thread that started it: the arena starts bots from
//! worker threads and talks to them from others.

use std::time::Duration;

use arena_agents::runner::{BotProcess, Limits, Protocol, StopReason};
use serde_json::json;

/// Waits until the kernel has released thread `tid` of this process (its
/// `/proc/self/task` entry is gone): by then any parent-death signal for
/// the processes it forked has been sent.
fn thread_released(tid: nix::unistd::Pid) {
    let task = std::path::PathBuf::from(format!("/proc/self/task/{tid}"));
    let start = std::time::Instant::now();
    while task.exists() {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "thread {tid} was never released"
        );
        std::thread::yield_now();
    }
}

#[test]
fn a_bot_started_in_a_thread_that_ended_still_answers() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("bot.py"),
        "import json, sys\nfor line in sys.stdin:\n    sys.stdout.write(json.dumps({'echo': json.loads(line)['n']}) + '\\n'); sys.stdout.flush()\n",
    )
    .expect("write bot");
    let path = dir.path().to_path_buf();
    let started = std::thread::spawn(move || {
        (
            nix::unistd::gettid(),
            BotProcess::start(
                &path,
                &["python3".into(), "bot.py".into()],
                Protocol::JsonLines,
                &Limits::default(),
            ),
        )
    })
    .join()
    .expect("start thread");
    let (tid, started) = started;
    let mut bot = match started {
        Ok(b) => b,
        Err(r) => panic!("bot did not start: {r}"),
    };
    // The starting thread is gone; a parent-death signal would have been
    // sent once the kernel has released it.
    thread_released(tid);
    for n in 0..5 {
        let answer = bot
            .request(&json!({ "n": n }), Duration::from_secs(5))
            .unwrap_or_else(|r| panic!("request {n} failed: {r}"));
        assert_eq!(answer, json!({ "echo": n }));
    }
    assert!(matches!(
        bot.stop().reason,
        StopReason::Exited | StopReason::Ended
    ));
}

#[test]
fn an_http_bot_started_in_a_thread_that_ended_still_answers() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("bot.py"),
        r#"
import json, os
from http.server import BaseHTTPRequestHandler, HTTPServer
class H(BaseHTTPRequestHandler):
    def _send(self, body):
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def do_GET(self): self._send(b'{}')
    def do_POST(self):
        n = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))))["n"]
        self._send(json.dumps({"echo": n}).encode())
    def log_message(self, *a): pass
HTTPServer(("127.0.0.1", int(os.environ["PORT"])), H).serve_forever()
"#,
    )
    .expect("write bot");
    let path = dir.path().to_path_buf();
    let started = std::thread::spawn(move || {
        (
            nix::unistd::gettid(),
            BotProcess::start(
                &path,
                &["python3".into(), "bot.py".into()],
                Protocol::http(),
                &Limits::default(),
            ),
        )
    })
    .join()
    .expect("start thread");
    let (tid, started) = started;
    let mut bot = match started {
        Ok(b) => b,
        Err(r) => panic!("bot did not start: {r}"),
    };
    thread_released(tid);
    for n in 0..5 {
        let answer = bot
            .request(&json!({ "type": "move", "n": n }), Duration::from_secs(5))
            .unwrap_or_else(|r| panic!("request {n} failed: {r}"));
        assert_eq!(answer, json!({ "echo": n }));
    }
    assert!(bot.stop().reason.is_clean());
}
