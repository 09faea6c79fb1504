//! `cargo bench -p arena-agents`: the runner's overhead. Builds a trivial C
//! echo bot (stdin/stdout) and a trivial C HTTP bot with `cc`, then measures
//! start-up (spawn to first answer) per backend and per-request latency per
//! protocol, against baselines without the runner. Prints a table. Then a
//! round of HTTP games (a C bot and a Python `http.server` bot): a fresh
//! `BotProcess` per game against one `BotServer` for the round.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use std::sync::Arc;

use arena_agents::runner::{
    Backend, BotProcess, BotServer, ExternalBot, Latency, Limits, Protocol, ServerLimits,
};
use serde_json::json;

const ECHO_C: &str = r#"#include <stdio.h>
int main(void) {
    char line[1 << 16];
    while (fgets(line, sizeof line, stdin)) { fputs("{\"move\":\"up\"}\n", stdout); fflush(stdout); }
    return 0;
}
"#;

const HTTP_C: &str = r#"#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>
#include <arpa/inet.h>
int main(void) {
    int s = socket(AF_INET, SOCK_STREAM, 0), one = 1;
    setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in a = {0};
    a.sin_family = AF_INET; a.sin_port = htons(atoi(getenv("PORT")));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(s, (struct sockaddr *)&a, sizeof a) || listen(s, 64)) return 1;
    for (;;) {
        int c = accept(s, 0, 0);
        if (c < 0) continue;
        char buf[1 << 16]; size_t n = 0; long need = -1;
        for (;;) {
            ssize_t r = read(c, buf + n, sizeof buf - 1 - n);
            if (r <= 0) break;
            n += r; buf[n] = 0;
            char *h = strstr(buf, "\r\n\r\n");
            if (h && need < 0) { char *cl = strstr(buf, "Content-Length: "); need = (h - buf) + 4 + (cl ? atol(cl + 16) : 0); }
            if (need >= 0 && (long)n >= need) break;
        }
        const char *resp = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 13\r\nConnection: close\r\n\r\n{\"move\":\"up\"}";
        write(c, resp, strlen(resp));
        close(c);
    }
}
"#;

const HTTP_PY: &str = r#"import json, os
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
class H(BaseHTTPRequestHandler):
    def reply(self, obj):
        body = json.dumps(obj).encode()
        self.send_response(200)
        self.send_header('Content-Type', 'application/json')
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def do_GET(self):
        self.reply({'apiversion': '1'})
    def do_POST(self):
        n = int(self.headers.get('Content-Length', 0))
        json.loads(self.rfile.read(n))
        self.reply({'move': 'up'})
    def log_message(self, *a):
        pass
class S(ThreadingHTTPServer):
    request_queue_size = 64
    daemon_threads = True
S(('127.0.0.1', int(os.environ['PORT'])), H).serve_forever()
"#;

fn build(dir: &Path, name: &str, src: &str) -> Result<(), String> {
    let c = dir.join(format!("{name}.c"));
    std::fs::write(&c, src).map_err(|e| e.to_string())?;
    let ok = Command::new("cc")
        .args(["-O2", "-o"])
        .arg(dir.join(name))
        .arg(&c)
        .status()
        .map_err(|e| format!("cc: {e}"))?
        .success();
    if ok {
        Ok(())
    } else {
        Err(format!("cc failed for {name}"))
    }
}

fn us(d: Option<Duration>) -> String {
    d.map(|d| format!("{:.0}", d.as_secs_f64() * 1e6))
        .unwrap_or_else(|| "-".into())
}

fn row(what: &str, l: &Latency) {
    println!(
        "| {what} | {} | {} | {} | {} | {} |",
        l.count(),
        us(l.mean()),
        us(l.quantile(0.5)),
        us(l.quantile(0.99)),
        us(l.max())
    );
}

fn limits(backend: Backend, cgroup: bool) -> Limits {
    Limits {
        backend,
        cgroup,
        ..Limits::default()
    }
}

/// Spawn to first answer, `runs` times.
fn startup(dir: &Path, backend: Backend, cgroup: bool, runs: usize) -> Result<Latency, String> {
    let mut lat = Latency::default();
    let cmd = vec!["./echo".to_string()];
    for _ in 0..runs {
        let t = Instant::now();
        let mut bot = BotProcess::start(dir, &cmd, Protocol::JsonLines, &limits(backend, cgroup))
            .map_err(|r| r.to_string())?;
        bot.request(&json!({"type": "move"}), Duration::from_secs(5))
            .map_err(|e| e.to_string())?;
        lat.record(t.elapsed());
        drop(bot);
    }
    Ok(lat)
}

/// The same echo bot under `prlimit` only, through raw pipes: the floor.
fn raw_pipes(dir: &Path, n: usize) -> Result<(Latency, Latency), String> {
    let mut start = Latency::default();
    let mut lat = Latency::default();
    for i in 0..20 {
        let t = Instant::now();
        let mut child = Command::new("prlimit")
            .args(["--as=1073741824", "--nproc=4096", "--cpu=60", "--"])
            .arg(dir.join("echo"))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .map_err(|e| e.to_string())?;
        let mut stdin = child.stdin.take().ok_or("stdin")?;
        let mut stdout = BufReader::new(child.stdout.take().ok_or("stdout")?);
        let mut line = String::new();
        let msg = format!("{}\n", json!({"type": "move"}));
        let rounds = if i == 0 { n } else { 1 };
        for _ in 0..rounds {
            let t1 = Instant::now();
            stdin.write_all(msg.as_bytes()).map_err(|e| e.to_string())?;
            line.clear();
            stdout.read_line(&mut line).map_err(|e| e.to_string())?;
            let _: serde_json::Value = serde_json::from_str(&line).map_err(|e| e.to_string())?;
            if rounds > 1 {
                lat.record(t1.elapsed());
            }
        }
        start.record(t.elapsed());
        drop(stdin);
        let _ = child.wait();
    }
    Ok((start, lat))
}

fn requests(bot: &mut BotProcess, n: usize) -> Result<Latency, String> {
    for i in 0..n {
        bot.request(&json!({"type": "move", "turn": i}), Duration::from_secs(2))
            .map_err(|e| e.to_string())?;
    }
    Ok(bot.latency().clone())
}

/// An HTTP server in this process, for the external-bot baseline.
fn local_server() -> Result<String, String> {
    let l = std::net::TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
    let addr = l.local_addr().map_err(|e| e.to_string())?;
    std::thread::spawn(move || {
        for s in l.incoming() {
            let Ok(mut s) = s else { continue };
            let mut buf = vec![0u8; 65536];
            let mut n = 0;
            while let Ok(r) = s.read(&mut buf[n..]) {
                if r == 0 {
                    break;
                }
                n += r;
                let text = String::from_utf8_lossy(&buf[..n]).into_owned();
                if let Some(h) = text.find("\r\n\r\n") {
                    let cl = text
                        .lines()
                        .find_map(|l| l.strip_prefix("Content-Length: "))
                        .and_then(|v| v.trim().parse::<usize>().ok())
                        .unwrap_or(0);
                    if n >= h + 4 + cl {
                        break;
                    }
                }
            }
            let _ = s.write_all(
                b"HTTP/1.1 200 OK\r\nContent-Length: 13\r\nConnection: close\r\n\r\n{\"move\":\"up\"}",
            );
        }
    });
    Ok(format!("http://{addr}"))
}

fn game_msg(kind: &str, game: usize, turn: usize) -> serde_json::Value {
    json!({"type": kind, "game": {"id": format!("g{game}")}, "turn": turn})
}

/// The messages of one game: `/start`, `turns` × `/move`, `/end`.
fn game_msgs(game: usize, turns: usize) -> Vec<serde_json::Value> {
    let mut v = vec![game_msg("start", game, 0)];
    v.extend((0..turns).map(|t| game_msg("move", game, t)));
    v.push(game_msg("end", game, turns));
    v
}

fn secs(d: Duration) -> String {
    format!("{:.2}", d.as_secs_f64())
}

fn cpu(d: Option<Duration>) -> String {
    d.map(|d| format!("{:.2}", d.as_secs_f64()))
        .unwrap_or_else(|| "-".into())
}

fn round_row(bot: &str, mode: &str, wall: Duration, cpu_time: Option<Duration>, lat: &Latency) {
    println!(
        "| {bot} | {mode} | {} | {} | {} | {} | {} |",
        lat.count(),
        secs(wall),
        cpu(cpu_time),
        us(lat.quantile(0.5)),
        us(lat.quantile(0.99)),
    );
}

/// `games` games of `turns` moves, each with its own `BotProcess`; then the
/// same games through one `BotServer`, one game after another and
/// `parallel` at a time. Wall time includes starting and stopping.
fn round(
    dir: &Path,
    bot: &str,
    cmd: &[String],
    games: usize,
    turns: usize,
    parallel: usize,
) -> Result<(), String> {
    let l = limits(Backend::Bubblewrap, true);
    let deadline = Duration::from_secs(5);
    let t = Instant::now();
    let mut lat = Latency::default();
    let mut cpu_sum: Option<Duration> = None;
    for g in 0..games {
        let mut p = BotProcess::start(dir, cmd, Protocol::http(), &l).map_err(|r| r.to_string())?;
        for m in game_msgs(g, turns) {
            p.request(&m, deadline).map_err(|e| e.to_string())?;
        }
        let r = p.stop();
        lat.samples.extend(r.latency.samples);
        if let Some(c) = r.cpu_time {
            cpu_sum = Some(cpu_sum.unwrap_or_default() + c);
        }
    }
    round_row(
        bot,
        &format!("a process per game, {games} games"),
        t.elapsed(),
        cpu_sum,
        &lat,
    );

    for par in [1, parallel] {
        let t = Instant::now();
        let server = Arc::new(
            BotServer::start_with(dir, cmd, 8000, &l, ServerLimits::default())
                .map_err(|r| r.to_string())?,
        );
        let threads: Vec<_> = (0..par)
            .map(|w| {
                let s = server.clone();
                std::thread::spawn(move || -> Result<(), String> {
                    for g in (w..games).step_by(par) {
                        for m in game_msgs(g, turns) {
                            match s.request(&m, deadline) {
                                Ok(Some(_)) => {}
                                Ok(None) => return Err(format!("late: {m}")),
                                Err(e) => return Err(e.to_string()),
                            }
                        }
                    }
                    Ok(())
                })
            })
            .collect();
        for th in threads {
            th.join().map_err(|_| "game thread panicked")??;
        }
        let server = Arc::into_inner(server).ok_or("server still shared")?;
        let r = server.stop();
        round_row(
            bot,
            &format!("one server, {games} games, {par} at a time"),
            t.elapsed(),
            r.cpu_time,
            &r.latency,
        );
    }
    Ok(())
}

fn main() -> Result<(), String> {
    for b in [Backend::Bubblewrap, Backend::UtilLinux] {
        if let Err(e) = arena_agents::runner::check_backend(b) {
            eprintln!("skipping the runner benchmark: {e}");
            return Ok(());
        }
    }
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    build(dir.path(), "echo", ECHO_C)?;
    build(dir.path(), "http", HTTP_C)?;
    let n = 2000;

    println!("\nStart-up, spawn to first answer of a C echo bot (µs)\n");
    println!("| launch | runs | mean | p50 | p99 | max |\n|---|---|---|---|---|---|");
    let (raw_start, raw_lat) = raw_pipes(dir.path(), n)?;
    row("prlimit only, no sandbox (floor)", &raw_start);
    for (b, cg) in [
        (Backend::Bubblewrap, true),
        (Backend::Bubblewrap, false),
        (Backend::UtilLinux, true),
        (Backend::UtilLinux, false),
    ] {
        let l = startup(dir.path(), b, cg, 30)?;
        row(
            &format!(
                "{} {}",
                b.name(),
                if cg { "+ cgroup" } else { "(rlimits only)" }
            ),
            &l,
        );
    }

    println!("\nPer request, {n} requests, request to parsed answer (µs)\n");
    println!("| path | requests | mean | p50 | p99 | max |\n|---|---|---|---|---|---|");
    row("raw pipes, no runner (floor)", &raw_lat);
    for b in [Backend::Bubblewrap, Backend::UtilLinux] {
        let cmd = vec!["./echo".to_string()];
        let mut bot = BotProcess::start(dir.path(), &cmd, Protocol::JsonLines, &limits(b, true))
            .map_err(|r| r.to_string())?;
        row(
            &format!("stdin/stdout, {}", b.name()),
            &requests(&mut bot, n)?,
        );
        let cmd = vec!["./http".to_string()];
        let mut bot = BotProcess::start(dir.path(), &cmd, Protocol::http(), &limits(b, true))
            .map_err(|r| r.to_string())?;
        row(
            &format!("HTTP via netns, {}", b.name()),
            &requests(&mut bot, n)?,
        );
    }
    let url = local_server()?;
    let mut ext = ExternalBot::connect(&url, Duration::from_secs(2)).map_err(|r| r.to_string())?;
    for i in 0..n {
        ext.request(&json!({"type": "move", "turn": i}), Duration::from_secs(2))
            .map_err(|e| e.to_string())?;
    }
    row("HTTP, external bot (in-process server)", ext.latency());

    let (games, turns) = (20, 50);
    println!(
        "\nA round of {games} HTTP games of {turns} moves (+ /start, /end), bubblewrap + cgroup: \
         wall and bot CPU time in s, latency in µs\n"
    );
    println!(
        "| bot | mode | requests | wall | bot CPU | p50 | p99 |\n|---|---|---|---|---|---|---|"
    );
    round(dir.path(), "C", &["./http".to_string()], games, turns, 4)?;
    if Command::new("python3").arg("-V").output().is_ok() {
        std::fs::write(dir.path().join("server.py"), HTTP_PY).map_err(|e| e.to_string())?;
        let cmd = ["python3", "server.py"].map(String::from);
        round(dir.path(), "Python", &cmd, games, turns, 4)?;
    }
    Ok(())
}
