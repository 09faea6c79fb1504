//! `arena serve` SIGKILLed at random moments (a random count of stored
//! rows reached) while two remote `arena agent`s and a spectator are
//! connected, and restarted on the same address; the tournament must end
//! with every table as a run without kills stores (the same submissions:
//! each agent's edit is a pure function of the round).
//!
//! The full loop (50 kills) is long: `cargo test -- --ignored kill`.

use std::path::Path;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use serde_json::json;

use crate::arena_run::{count, dump};
use crate::crash::SplitMix;
use crate::server::{Server, Ws};
use crate::util::{arena, repo};

/// Rows a resume reuses: how far the tournament got.
const PROGRESS: &str = "SELECT (SELECT COUNT(*) FROM submissions) + (SELECT COUNT(*) FROM matches) \
     + (SELECT COUNT(*) FROM rounds) + (SELECT COUNT(*) FROM ratings)";

/// Both players remote: alice starts from pebble, bob from lantern.
fn config(rounds: u32, sims: u32) -> String {
    let ex = repo("examples/corewar");
    format!(
        "name = \"killed\"\ngame = \"corewar\"\nrounds = {rounds}\nsims = {sims}\nseed = 23\n\
         [[players]]\nname = \"alice\"\ncodebase = \"{}\"\nagent = \"remote\"\n\
         [[players]]\nname = \"bob\"\ncodebase = \"{}\"\nagent = \"remote\"\n",
        ex.join("pebble.red").display(),
        ex.join("lantern.red").display()
    )
}

/// The same edit however often a round's edit is restarted.
const EDIT: &str = r#"grep -q "^; round $ARENA_ROUND\$" warrior.red || printf '\n; round %s\n' "$ARENA_ROUND" >> warrior.red"#;

fn admin(server: &Server) -> Ws {
    let mut ws = server.websocket();
    ws.send(json!({"type": "hello", "role": "admin", "token": "t0ken", "protocol_version": 1}));
    ws.recv_type("welcome");
    ws
}

fn spectator(server: &Server) -> Ws {
    let mut ws = server.websocket();
    ws.hello();
    ws
}

fn agent(listen: &str, token: &str, workdir: &Path) -> Child {
    arena()
        .args(["agent", "--server"])
        .arg(format!("ws://{listen}/ws"))
        .args(["--token", token, "--edit", EDIT])
        .arg("--workdir")
        .arg(workdir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start arena agent")
}

/// A free port, so every restarted server keeps the agents' URL.
fn free_address() -> String {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    format!("127.0.0.1:{port}")
}

/// Plays the tournament in `dir` with a server SIGKILLed at each of
/// `targets` (stored-row counts, ascending) reached; the kills that landed
/// before the tournament ended.
fn play(dir: &Path, rounds: u32, sims: u32, targets: &[i64]) -> u32 {
    let data = dir.join("data");
    let listen = free_address();
    let mut server = Server::start_at(&data, &listen, &[]);
    let mut admin = admin(&server);
    admin.send(json!({"type": "create_tournament", "config_toml": config(rounds, sims)}));
    let tid = admin.recv_type("tournament_created")["tournament"]
        .as_i64()
        .expect("id");
    let mut agents = Vec::new();
    for name in ["alice", "bob"] {
        admin.send(json!({"type": "register_agent", "tournament": tid, "player": name}));
        let token = admin.recv_type("agent_registered")["token"]
            .as_str()
            .expect("token")
            .to_owned();
        agents.push(agent(&listen, &token, &dir.join(name)));
    }
    let mut watcher = spectator(&server);
    admin.send(json!({"type": "start_tournament", "tournament": tid}));
    admin.recv();
    drop(admin);
    let finished = |agents: &mut Vec<Child>| {
        agents
            .iter_mut()
            .all(|a| a.try_wait().expect("poll").is_some())
    };
    let mut landed = 0;
    for &target in targets {
        let start = Instant::now();
        while count(&data, PROGRESS) < target && !finished(&mut agents) {
            assert!(start.elapsed() < Duration::from_secs(300), "no progress");
            std::thread::sleep(Duration::from_millis(2));
        }
        if finished(&mut agents) {
            break;
        }
        server.child.kill().expect("SIGKILL");
        let _ = server.child.wait();
        landed += 1;
        drop(watcher);
        server = Server::start_at(&data, &listen, &[]);
        watcher = spectator(&server);
    }
    for mut a in agents {
        let status = a.wait().expect("agent");
        assert!(status.success(), "an agent failed: {status:?}");
    }
    drop((watcher, server));
    landed
}

/// `kills` SIGKILLs over fresh tournaments; every table compared with an
/// uninterrupted run's. Returns the kills that landed.
fn kill_loop(kills: u32, per_tournament: usize, rounds: u32, sims: u32, seed: u64) -> u32 {
    let dir = tempfile::tempdir().expect("tempdir");
    let whole_dir = dir.path().join("whole");
    assert_eq!(play(&whole_dir, rounds, sims, &[]), 0);
    let whole = dump(&whole_dir.join("data"));
    let end = count(&whole_dir.join("data"), PROGRESS) as u64;
    let mut rng = SplitMix(seed);
    let (mut landed, mut tournament) = (0, 0);
    while landed < kills {
        tournament += 1;
        let here = dir.path().join(format!("t{tournament}"));
        let mut targets: Vec<i64> = (0..per_tournament).map(|_| rng.below(end) as i64).collect();
        targets.sort_unstable();
        landed += play(&here, rounds, sims, &targets);
        assert_eq!(
            dump(&here.join("data")),
            whole,
            "tournament {tournament} (seed {seed}) differs after its kills"
        );
        std::fs::remove_dir_all(&here).expect("clean up");
    }
    eprintln!("arena serve: {landed} kills over {tournament} tournaments, every table identical");
    landed
}

#[test]
fn arena_serve_killed_5_times_with_agents_and_a_spectator_connected_stores_what_a_whole_run_does() {
    assert!(kill_loop(5, 5, 2, 8, 31) >= 5);
}

#[test]
#[ignore = "long (minutes): 50 kills; run with `cargo test -- --ignored kill`"]
fn kill_arena_serve_50_times() {
    assert!(kill_loop(50, 10, 3, 12, 2026) >= 50);
}
