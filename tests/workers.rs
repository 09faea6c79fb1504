//! Simulations on workers through NATS JetStream: a real `nats-server` on
//! loopback (Debian's package; `.ci/run` installs it) and real `arena
//! worker` processes. Every run is compared, table by table, with the same
//! tournament played in-process.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use crate::arena_run::{corewar_config, count, dump, run, succeed};
use crate::util::arena;

/// A child whose standard error lines arrive on a channel (and are
/// echoed, so a failing test shows them).
struct Logged {
    child: Child,
    lines: Receiver<String>,
    /// Every line seen so far.
    seen: Vec<String>,
}

impl Logged {
    fn spawn(mut cmd: Command, tag: &'static str) -> Logged {
        let mut child = cmd
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {tag}: {e}"));
        let stderr = child.stderr.take().expect("stderr");
        let (tx, lines) = channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                eprintln!("[{tag}] {line}");
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Logged {
            child,
            lines,
            seen: Vec::new(),
        }
    }

    /// Waits until `n` lines (counting those already seen) contain `text`.
    fn wait_for(&mut self, text: &str, n: usize) {
        let deadline = Instant::now() + Duration::from_secs(120);
        while self.seen.iter().filter(|l| l.contains(text)).count() < n {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) => self.seen.push(line),
                Err(e) => panic!("no line with {text:?} ({e})"),
            }
        }
    }

    /// Lines that arrived until now, kept.
    fn drain(&mut self) {
        while let Ok(line) = self.lines.try_recv() {
            self.seen.push(line);
        }
    }

    fn saw(&mut self, text: &str) -> bool {
        self.drain();
        self.seen.iter().any(|l| l.contains(text))
    }

    fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Waits for the process to end on its own.
    fn wait_exit(&mut self) {
        let _ = self.child.wait();
    }
}

impl Drop for Logged {
    fn drop(&mut self) {
        self.kill();
    }
}

/// A `nats-server` with JetStream on a loopback port, its store in `dir`.
struct Nats {
    port: u16,
    dir: PathBuf,
    server: Logged,
}

impl Nats {
    fn start(dir: &Path) -> Nats {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let mut nats = Nats {
            port,
            dir: dir.to_path_buf(),
            server: Nats::spawn(port, dir),
        };
        nats.server.wait_for("Server is ready", 1);
        nats
    }

    fn spawn(port: u16, dir: &Path) -> Logged {
        let mut cmd = Command::new("nats-server");
        cmd.args(["-js", "-a", "127.0.0.1", "-p", &port.to_string(), "-sd"])
            .arg(dir.join("jetstream"));
        Logged::spawn(cmd, "nats")
    }

    fn url(&self) -> String {
        format!("nats://127.0.0.1:{}", self.port)
    }

    /// SIGKILL, then a new server on the same port and store.
    fn restart(&mut self) {
        self.server.kill();
        self.server = Nats::spawn(self.port, &self.dir);
        self.server.wait_for("Server is ready", 1);
    }
}

/// An `arena worker` taking jobs from `nats`, ready once it says so.
fn worker(nats: &Nats, cache: &Path, jobs: u32, tag: &'static str) -> Logged {
    worker_with(nats, cache, jobs, tag, None)
}

/// A worker that aborts at a fault point (`crate::fault`), if given.
fn worker_with(
    nats: &Nats,
    cache: &Path,
    jobs: u32,
    tag: &'static str,
    fault: Option<&str>,
) -> Logged {
    let mut cmd = arena();
    if let Some(fault) = fault {
        cmd.env("ARENA_FAULT", fault);
    }
    cmd.args([
        "-v",
        "worker",
        "--nats",
        &nats.url(),
        "--jobs",
        &jobs.to_string(),
    ])
    .arg("--cache")
    .arg(cache);
    let mut w = Logged::spawn(cmd, tag);
    w.wait_for("taking jobs from", 1);
    w
}

/// `arena run` of `config` into `data` on workers at `nats`.
fn run_on_workers(config: &Path, data: &Path, nats: &Nats) -> Logged {
    let mut cmd = run(config, data);
    cmd.args(["--workers", &nats.url(), "--ack-wait", "2"])
        .env("RUST_LOG", "info");
    Logged::spawn(cmd, "arena run")
}

/// Waits for a run to end, and checks it succeeded.
fn finish(mut run: Logged) {
    let status = run.child.wait().expect("wait arena run");
    assert!(status.success(), "arena run failed: {status}");
}

/// Polls the store until `n` matches are stored.
fn wait_for_matches(data: &Path, n: i64) {
    let start = Instant::now();
    while count(data, "SELECT COUNT(*) FROM matches") < n {
        assert!(start.elapsed() < Duration::from_secs(120), "no progress");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// The tournament played in-process: what every run on workers must store.
fn in_process(config: &Path, dir: &Path) -> String {
    let data = dir.join("in-process");
    succeed(&mut run(config, &data));
    dump(&data)
}

/// Publishes raw payloads on a tournament's results subject, as a worker
/// would (or a broken one).
fn publish_results(nats: &Nats, tournament: &str, payloads: Vec<Vec<u8>>) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async {
        let client = async_nats::connect(nats.url()).await.expect("connect");
        let subject = arena::workers::results_subject(&arena::workers::tournament_key(tournament));
        for p in payloads {
            client
                .publish(subject.clone(), p.into())
                .await
                .expect("publish");
        }
        client.flush().await.expect("flush");
    });
}

#[test]
fn a_round_on_two_workers_stores_what_an_in_process_run_stores_and_bad_results_are_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let config = corewar_config(dir.path(), 1, 60);
    let expected = in_process(&config, dir.path());
    let nats = Nats::start(dir.path());

    let data = dir.path().join("workers");
    let mut server = run_on_workers(&config, &data, &nats);
    // Round 0's jobs are out and nobody plays them yet: results that are
    // garbage or answer no job given are refused, and nothing is stored.
    server.wait_for("jobs published", 1);
    let forged = |sim: u32, ticket: &str| {
        use arena::workers::wire::{JobResult, Outcome, encode};
        encode(&JobResult {
            key: arena::workers::tournament_key("test-cup"),
            round: 0,
            sim,
            ticket: ticket.to_string(),
            worker: "forger".to_string(),
            outcome: Outcome::Failed {
                error: "this would stop the round if it were taken".to_string(),
            },
        })
        .expect("encode")
    };
    publish_results(
        &nats,
        "test-cup",
        vec![
            b"garbage".to_vec(),
            forged(0, "a ticket never given"),
            forged(100_000, "no such simulation"),
        ],
    );
    server.wait_for("refused a result", 3);
    assert!(server.saw("garbage"));
    assert!(server.saw("its ticket is not the one given"));
    assert!(server.saw("no such job is pending"));
    assert_eq!(count(&data, "SELECT COUNT(*) FROM matches"), 0);

    let (w1, w2) = (
        worker(&nats, &dir.path().join("cache1"), 1, "worker 1"),
        worker(&nats, &dir.path().join("cache2"), 1, "worker 2"),
    );
    finish(server);
    assert_eq!(dump(&data), expected, "the run on workers differs");
    // Each worker fetched the codebases it played into its cache, by hash.
    for cache in ["cache1", "cache2"] {
        let cached = std::fs::read_dir(dir.path().join(cache))
            .expect("cache")
            .count();
        assert!(cached >= 3, "{cache}: {cached} codebases");
    }
    drop((w1, w2));
}

#[test]
fn a_worker_killed_mid_round_has_its_jobs_redelivered_and_stored_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let config = corewar_config(dir.path(), 1, 150);
    let expected = in_process(&config, dir.path());
    let nats = Nats::start(dir.path());
    // The doomed worker dies (abort, as a kill) mid-round 0 with its 20th
    // job played and unanswered: a job it holds and will never finish.
    let fault = Some("after:worker.played#20");
    let mut doomed = worker_with(&nats, &dir.path().join("cache1"), 2, "worker 1", fault);
    let mut survivor = worker(&nats, &dir.path().join("cache2"), 1, "worker 2");
    let data = dir.path().join("workers");
    let server = run_on_workers(&config, &data, &nats);
    doomed.wait_exit();
    assert!(
        count(&data, "SELECT COUNT(*) FROM matches") < 2 * 150,
        "the round ended before the worker died"
    );
    // The survivor is given the dead worker's jobs once their ack deadline
    // passes.
    survivor.wait_for("job redelivered", 1);
    finish(server);
    assert_eq!(dump(&data), expected, "the run on workers differs");
    assert_eq!(count(&data, "SELECT COUNT(*) FROM matches"), 2 * 150);
}

#[test]
fn a_restarted_nats_server_and_a_killed_arena_server_lose_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let config = corewar_config(dir.path(), 1, 200);
    let expected = in_process(&config, dir.path());
    let mut nats = Nats::start(dir.path());
    let _w1 = worker(&nats, &dir.path().join("cache1"), 1, "worker 1");
    let _w2 = worker(&nats, &dir.path().join("cache2"), 1, "worker 2");
    let data = dir.path().join("workers");

    // NATS dies mid-round 0 and comes back: the round goes on.
    let mut server = run_on_workers(&config, &data, &nats);
    wait_for_matches(&data, 50);
    nats.restart();
    assert!(count(&data, "SELECT COUNT(*) FROM matches") < 200);
    // Then the arena server is killed mid-round 1 and run again: it
    // resumes where it stopped.
    wait_for_matches(&data, 200 + 50);
    server.kill();
    assert!(
        count(&data, "SELECT COUNT(*) FROM matches") < 2 * 200,
        "the run ended before it was killed"
    );
    let resumed = run_on_workers(&config, &data, &nats);
    finish(resumed);
    assert_eq!(dump(&data), expected, "the run on workers differs");
}
