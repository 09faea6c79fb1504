//! `arena agent`'s client against a scripted fake server: a thread that
//! accepts websockets on 127.0.0.1 and plays one exchange of
//! docs/protocol.md per test.

use std::collections::BTreeMap;
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::thread::JoinHandle;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use arena_agents::client::{AgentOptions, ClientError, Finished, run};
use arena_agents::codebase::{File, Limits, Snapshot};
use arena_agents::protocol::{
    ClientMessage, ErrorCode, MAX_AGENT_MESSAGE_BYTES, PROTOCOL_VERSION, Role, ServerMessage,
    WireCodebase, parse_client_message,
};
use arena_agents::wire::{RoundResults, RoundStanding, Standings};
use tungstenite::{Message, WebSocket};

const TOKEN: &str = "agt_test";
const TOURNAMENT: i64 = 7;

type Conn = WebSocket<TcpStream>;

/// The fake server's side: accepts connections within a time limit, so a
/// broken client fails the test instead of hanging it.
struct Server {
    listener: TcpListener,
}

impl Server {
    fn accept(&self) -> Conn {
        let until = Instant::now() + Duration::from_secs(10);
        loop {
            match self.listener.accept() {
                Ok((stream, _)) => {
                    stream.set_nonblocking(false).expect("blocking stream");
                    stream
                        .set_read_timeout(Some(Duration::from_secs(10)))
                        .expect("read timeout");
                    return tungstenite::accept(stream).expect("websocket handshake");
                }
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                    assert!(Instant::now() < until, "the client did not connect");
                    std::thread::sleep(Duration::from_millis(10));
                }
                Err(e) => panic!("accept: {e}"),
            }
        }
    }

    /// Accepts a connection, checks its `hello` and welcomes it.
    fn join(&self) -> Conn {
        let mut conn = self.accept();
        match recv(&mut conn, None) {
            ClientMessage::Hello {
                role: Role::Agent,
                token,
                protocol_version,
            } => {
                assert_eq!(token.as_deref(), Some(TOKEN));
                assert_eq!(protocol_version, PROTOCOL_VERSION);
            }
            other => panic!("expected hello, got {other:?}"),
        }
        send(
            &mut conn,
            ServerMessage::Welcome {
                protocol_version: PROTOCOL_VERSION,
                role: Role::Agent,
                player: Some("alice".into()),
                tournament: Some(TOURNAMENT),
            },
        );
        conn
    }
}

/// Starts the fake server; `script` runs in its thread and returns what it
/// saw.
fn serve<T: Send + 'static>(
    script: impl FnOnce(&Server) -> T + Send + 'static,
) -> (String, JoinHandle<T>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.set_nonblocking(true).expect("nonblocking");
    let url = format!("ws://{}/ws", listener.local_addr().expect("addr"));
    let handle = std::thread::spawn(move || script(&Server { listener }));
    (url, handle)
}

/// The next client message, checked as the real server checks it (`role`
/// is `None` before `hello`).
fn recv(conn: &mut Conn, role: Option<Role>) -> ClientMessage {
    loop {
        match conn.read().expect("read a client message") {
            Message::Text(text) => {
                return parse_client_message(text.as_str(), role, MAX_AGENT_MESSAGE_BYTES)
                    .unwrap_or_else(|e| panic!("the client sent an invalid message: {e}"));
            }
            Message::Close(_) => panic!("the client closed the connection"),
            _ => {}
        }
    }
}

/// Whether the client sends a message within `wait` (it should not).
fn quiet_for(conn: &mut Conn, wait: Duration) -> bool {
    conn.get_ref()
        .set_read_timeout(Some(wait))
        .expect("read timeout");
    let quiet = loop {
        match conn.read() {
            Ok(Message::Text(text)) => {
                eprintln!("unexpected: {text}");
                break false;
            }
            Ok(_) => {}
            Err(_) => break true,
        }
    };
    conn.get_ref()
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("read timeout");
    quiet
}

fn send(conn: &mut Conn, msg: ServerMessage) {
    conn.send(Message::text(msg.to_json()))
        .expect("send a server message");
}

/// The next message, which must be a submission for `round`: its files.
fn recv_submission(conn: &mut Conn, round: u32) -> BTreeMap<String, String> {
    match recv(conn, Some(Role::Agent)) {
        ClientMessage::Submit { round: r, codebase } => {
            assert_eq!(r, round);
            let snapshot = codebase.to_snapshot(&Limits::default()).expect("valid");
            snapshot
                .files()
                .iter()
                .map(|(p, f)| (p.clone(), String::from_utf8_lossy(&f.bytes).into_owned()))
                .collect()
        }
        other => panic!("expected submit, got {other:?}"),
    }
}

fn unix_ms_in(d: Duration) -> u64 {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock after 1970");
    u64::try_from((now + d).as_millis()).expect("ms fit")
}

fn codebase(files: &[(&str, &str)]) -> WireCodebase {
    let files = files
        .iter()
        .map(|(p, c)| {
            (
                (*p).to_owned(),
                File {
                    bytes: c.as_bytes().to_vec(),
                    executable: false,
                },
            )
        })
        .collect();
    WireCodebase::from_snapshot(&Snapshot::from_files(files))
}

const START: &[(&str, &str)] = &[
    ("warrior.red", ";redcode-94\nMOV 0, 1\n"),
    ("notes/plan.txt", "attack\n"),
];

fn round_started(round: u32, deadline_in: Duration) -> ServerMessage {
    round_started_at(round, unix_ms_in(deadline_in))
}

fn round_started_at(round: u32, deadline_unix_ms: u64) -> ServerMessage {
    ServerMessage::RoundStarted {
        tournament: TOURNAMENT,
        round,
        deadline_unix_ms,
        results: results(round - 1, "bob", &[]),
        logs: format!("round {}: bob won\n", round - 1),
        codebase: codebase(START),
    }
}

fn results(round: u32, winner: &str, won: &[(&str, u64)]) -> RoundResults {
    RoundResults {
        round,
        winner: Some(winner.to_owned()),
        standings: won
            .iter()
            .map(|(player, sims_won)| RoundStanding {
                player: (*player).to_owned(),
                sims_won: *sims_won,
                sims_shared_first: 0,
                valid: true,
                note: None,
                codebase: None,
            })
            .collect(),
    }
}

fn accepted(round: u32) -> ServerMessage {
    ServerMessage::SubmissionAccepted {
        round,
        hash: "ab".repeat(32),
    }
}

fn finish(conn: &mut Conn) {
    send(
        conn,
        ServerMessage::TournamentFinished {
            tournament: TOURNAMENT,
            standings: Standings {
                tournament: "t".to_owned(),
                rounds: 1,
                sims: 10,
                players: vec![arena_agents::wire::PlayerStanding {
                    name: "alice".to_owned(),
                    round_wins: 1,
                    sims_won: 6,
                    elo: 1016.0,
                    codeforces: 1523,
                    codeelo: None,
                    bradley_terry: None,
                    bradley_terry_interval: None,
                    codeforces_history: vec![1500, 1523],
                    hill_age: None,
                }],
                round_confidence: Vec::new(),
            },
        },
    );
}

/// Runs the client to its end; its printed lines come back too.
fn run_client(url: &str, workdir: &Path, command: &str) -> (Result<Finished, ClientError>, String) {
    let mut opts = AgentOptions::new(url, TOKEN, workdir, command);
    // A broken script ends the test in seconds, not after a minute.
    opts.give_up_after = Duration::from_secs(3);
    let mut out = Vec::new();
    let result = run(&opts, &mut out);
    (result, String::from_utf8_lossy(&out).into_owned())
}

/// Lines the command appended to `file` (one a run).
fn runs(file: &Path) -> usize {
    std::fs::read_to_string(file).map_or(0, |t| t.lines().count())
}

#[test]
fn a_round_is_edited_submitted_and_the_tournament_ends() {
    let dir = tempfile::tempdir().expect("tempdir");
    let work = dir.path().join("work");
    // Left by an earlier round: stale files go, the agent's history stays.
    std::fs::create_dir_all(work.join(".arena")).expect("mkdir");
    std::fs::create_dir_all(work.join(".git")).expect("mkdir");
    std::fs::write(work.join(".git/HEAD"), "ref: refs/heads/main\n").expect("write");
    std::fs::write(work.join("stale.txt"), "old").expect("write");

    let (url, server) = serve(|s| {
        let mut conn = s.join();
        send(&mut conn, round_started(1, Duration::from_secs(30)));
        let files = recv_submission(&mut conn, 1);
        send(&mut conn, accepted(1));
        send(
            &mut conn,
            ServerMessage::RoundFinished {
                tournament: TOURNAMENT,
                round: 1,
                results: results(1, "alice", &[("alice", 6), ("bob", 4)]),
            },
        );
        finish(&mut conn);
        files
    });
    let command = "echo \"$ARENA_ROUND\" > round.txt && cat .arena/logs.txt > seen.txt && \
                   echo \"$ARENA_PLAYER $ARENA_TOURNAMENT $ARENA_RESULTS\" > env.txt";
    let (result, out) = run_client(&url, &work, command);
    let files = server.join().expect("server script");
    let finished = result.unwrap_or_else(|e| panic!("{e}\n{out}"));
    assert_eq!(finished.tournament, TOURNAMENT);

    let names: Vec<&str> = files.keys().map(String::as_str).collect();
    assert_eq!(
        names,
        [
            "env.txt",
            "notes/plan.txt",
            "round.txt",
            "seen.txt",
            "warrior.red"
        ],
        "stale.txt, .arena/ and .git/ are not submitted"
    );
    assert_eq!(files["round.txt"], "1\n");
    assert_eq!(files["seen.txt"], "round 0: bob won\n");
    assert_eq!(files["env.txt"], "alice 7 .arena/results.json\n");
    assert_eq!(files["warrior.red"], START[0].1);
    assert!(
        work.join(".git/HEAD").is_file(),
        "the agent's .git/ was removed"
    );
    assert!(!work.join("stale.txt").exists());
    let results = std::fs::read_to_string(work.join(".arena/results.json")).expect("results");
    assert!(results.contains("\"winner\": \"bob\""), "{results}");

    for line in [
        "joined tournament 7 as alice",
        "round 1: submitted abababababab (accepted)",
        "round 1 finished: alice won; alice won 6 simulations",
        "1. alice: 1 rounds won, 6 simulations won",
    ] {
        assert!(out.contains(line), "no {line:?} in:\n{out}");
    }
}

#[test]
fn a_lost_connection_is_reopened_and_the_unanswered_submission_sent_again() {
    let dir = tempfile::tempdir().expect("tempdir");
    let work = dir.path().join("work");
    let count = dir.path().join("runs");
    let (url, server) = serve(|s| {
        let mut conn = s.join();
        send(&mut conn, round_started(1, Duration::from_secs(30)));
        drop(conn);
        // `join` checks the second hello carries the same token.
        let mut conn = s.join();
        send(&mut conn, round_started(1, Duration::from_secs(30)));
        let files = recv_submission(&mut conn, 1);
        send(&mut conn, accepted(1));
        finish(&mut conn);
        files
    });
    let command = format!("echo run >> {} && echo edited > mine.txt", count.display());
    let (result, out) = run_client(&url, &work, &command);
    let files = server.join().expect("server script");
    result.unwrap_or_else(|e| panic!("{e}\n{out}"));
    assert_eq!(files["mine.txt"], "edited\n", "the edit was lost");
    // The edit finished before the drop was noticed: its result is sent
    // again rather than paid for twice.
    assert_eq!(runs(&count), 1, "{out}");
    assert!(out.contains("reconnecting"), "{out}");
    assert!(
        out.contains("sending the unanswered submission again"),
        "{out}"
    );
}

#[test]
fn an_accepted_round_is_not_edited_again_after_a_reconnect() {
    let dir = tempfile::tempdir().expect("tempdir");
    let work = dir.path().join("work");
    let count = dir.path().join("runs");
    let (url, server) = serve(|s| {
        let mut conn = s.join();
        send(&mut conn, round_started(1, Duration::from_secs(30)));
        recv_submission(&mut conn, 1);
        send(&mut conn, accepted(1));
        drop(conn);
        let mut conn = s.join();
        send(&mut conn, round_started(1, Duration::from_secs(30)));
        let quiet = quiet_for(&mut conn, Duration::from_millis(500));
        finish(&mut conn);
        quiet
    });
    let command = format!("echo run >> {}", count.display());
    let (result, out) = run_client(&url, &work, &command);
    let quiet = server.join().expect("server script");
    result.unwrap_or_else(|e| panic!("{e}\n{out}"));
    assert!(quiet, "the client submitted again:\n{out}");
    assert_eq!(runs(&count), 1, "{out}");
    assert!(out.contains("round 1: already submitted"), "{out}");
}

#[test]
fn a_rejected_submission_is_edited_again_with_the_reason_at_most_three_times() {
    let dir = tempfile::tempdir().expect("tempdir");
    let work = dir.path().join("work");
    let count = dir.path().join("runs");
    let reason = "warrior.red line 2: unknown opcode MOOV";
    let (url, server) = serve(move |s| {
        let mut conn = s.join();
        send(&mut conn, round_started(1, Duration::from_secs(30)));
        let mut seen = Vec::new();
        for _ in 0..3 {
            seen.push(recv_submission(&mut conn, 1));
            send(
                &mut conn,
                ServerMessage::SubmissionRejected {
                    round: 1,
                    reason: reason.into(),
                },
            );
        }
        let quiet = quiet_for(&mut conn, Duration::from_millis(500));
        finish(&mut conn);
        (seen, quiet)
    });
    let command = format!(
        "echo run >> {} && if [ -n \"$ARENA_REJECTED\" ]; then cp \"$ARENA_REJECTED\" fixed.txt; fi",
        count.display()
    );
    let (result, out) = run_client(&url, &work, &command);
    let (seen, quiet) = server.join().expect("server script");
    result.unwrap_or_else(|e| panic!("{e}\n{out}"));
    assert!(!seen[0].contains_key("fixed.txt"));
    assert_eq!(seen[1]["fixed.txt"], reason);
    assert_eq!(runs(&count), 3, "{out}");
    assert!(quiet, "a fourth submission:\n{out}");
    assert!(
        out.contains(&format!("submission rejected: {reason}")),
        "{out}"
    );
    assert!(out.contains("all 3 edits were used"), "{out}");
}

#[test]
fn a_token_the_server_refuses_ends_the_client_without_retrying() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (client_ended, ended) = std::sync::mpsc::channel::<()>();
    let (url, server) = serve(move |s| {
        let mut conn = s.accept();
        recv(&mut conn, None);
        send(
            &mut conn,
            ServerMessage::error(ErrorCode::BadToken, "unknown token", Some("hello")),
        );
        // No second connection came by the time the client ended.
        ended.recv().expect("the client ends");
        s.listener.accept().is_err()
    });
    let (result, out) = run_client(&url, &dir.path().join("work"), "true");
    client_ended.send(()).expect("server script waiting");
    let no_retry = server.join().expect("server script");
    match result {
        Err(e @ ClientError::BadToken { .. }) => {
            let text = e.to_string();
            assert!(text.contains("did not accept the token"), "{text}");
            assert!(text.contains("ARENA_AGENT_TOKEN"), "{text}");
        }
        other => panic!("expected BadToken, got {other:?}\n{out}"),
    }
    assert!(no_retry, "the client connected again");
}

#[test]
fn a_command_past_the_deadline_is_killed_in_time_and_the_folder_submitted() {
    let dir = tempfile::tempdir().expect("tempdir");
    let work = dir.path().join("work");
    let deadline_in = Duration::from_secs(3);
    let (url, server) = serve(move |s| {
        let mut conn = s.join();
        let deadline_unix_ms = unix_ms_in(deadline_in);
        send(&mut conn, round_started_at(1, deadline_unix_ms));
        let files = recv_submission(&mut conn, 1);
        let arrived = unix_ms_in(Duration::ZERO);
        send(&mut conn, accepted(1));
        finish(&mut conn);
        (files, arrived, deadline_unix_ms)
    });
    let command = "echo started > early.txt; sleep 30; echo done > late.txt";
    let (result, out) = run_client(&url, &work, command);
    let (files, arrived, deadline) = server.join().expect("server script");
    result.unwrap_or_else(|e| panic!("{e}\n{out}"));
    assert!(
        arrived < deadline,
        "submitted {} ms after the deadline",
        arrived - deadline
    );
    assert_eq!(files["early.txt"], "started\n");
    assert!(!files.contains_key("late.txt"));
    assert!(out.contains("was killed"), "{out}");
}

#[test]
fn a_folder_with_someone_elses_files_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("precious.txt"), "keep me").expect("write");
    let (result, _) = run_client("ws://127.0.0.1:1/ws", dir.path(), "true");
    match result {
        Err(e @ ClientError::Workdir { .. }) => {
            assert!(e.to_string().contains("precious.txt"), "{e}");
        }
        other => panic!("expected Workdir, got {other:?}"),
    }
    assert!(dir.path().join("precious.txt").is_file());
}
