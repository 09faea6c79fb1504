//! `arena serve` running tournaments of remote agents, end to end over the
//! real binary and real sockets: two `arena agent` processes play a
//! BattleSnake tournament while spectators follow live games; a scripted
//! agent drives practice, rejection, a server killed mid-round, pause,
//! resume and cancel; and bad input from every role changes nothing stored.

use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tungstenite::Message;

use crate::server::{Server, Ws};
use crate::util::{arena, repo, stdout_of_success};

/// A fresh folder for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("serve-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

fn admin(server: &Server) -> Ws {
    let mut ws = server.websocket();
    ws.send(json!({"type": "hello", "role": "admin", "token": "t0ken", "protocol_version": 1}));
    assert_eq!(ws.recv_type("welcome")["role"], "admin");
    ws
}

fn spectator(server: &Server) -> Ws {
    let mut ws = server.websocket();
    ws.hello();
    ws
}

/// Creates a tournament from TOML; its id.
fn create(admin: &mut Ws, toml: &str) -> i64 {
    admin.send(json!({"type": "create_tournament", "config_toml": toml}));
    let created = admin.recv_type("tournament_created");
    created["tournament"].as_i64().expect("id")
}

fn register(admin: &mut Ws, tournament: i64, player: &str) -> String {
    admin.send(json!({"type": "register_agent", "tournament": tournament, "player": player}));
    let reg = admin.recv_type("agent_registered");
    assert_eq!(reg["player"], player);
    let token = reg["token"].as_str().expect("token").to_owned();
    assert!(token.len() >= 32, "{token}");
    token
}

fn control(admin: &mut Ws, what: &str, tournament: i64) -> Value {
    admin.send(json!({"type": what, "tournament": tournament}));
    admin.recv()
}

fn agent_ws(server: &Server, token: &str) -> (Ws, Value) {
    let mut ws = server.websocket();
    ws.send(json!({"type": "hello", "role": "agent", "token": token, "protocol_version": 1}));
    let welcome = ws.recv_type("welcome");
    (ws, welcome)
}

fn db(data: &Path) -> rusqlite::Connection {
    rusqlite::Connection::open(data.join("arena.sqlite")).expect("open db")
}

/// Every table's rows, in key order: what "nothing stored changed" compares.
fn dump(data: &Path) -> String {
    let conn = db(data);
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .expect("tables")
        .query_map([], |r| r.get(0))
        .expect("tables")
        .collect::<Result<_, _>>()
        .expect("tables");
    let mut out = String::new();
    for t in tables {
        let mut stmt = conn
            .prepare(&format!("SELECT * FROM \"{t}\" ORDER BY 1, 2"))
            .expect("select");
        let n = stmt.column_count();
        let rows = stmt
            .query_map([], |r| {
                (0..n)
                    .map(|i| r.get_ref(i).map(|v| format!("{v:?}")))
                    .collect::<Result<Vec<_>, _>>()
            })
            .expect("rows");
        for row in rows {
            out.push_str(&format!("{t}: {}\n", row.expect("row").join(" | ")));
        }
    }
    out
}

/// The stored replay's frames.
fn replay_frames(data: &Path, match_id: i64) -> Vec<Value> {
    let conn = db(data);
    let replay = arena_replays::Replay::open(&conn, match_id).expect("replay");
    replay
        .frames(0..replay.frame_count())
        .collect::<Result<Vec<_>, _>>()
        .expect("frames")
}

fn snake_toml(name: &str, rounds: u32, sims: u32) -> String {
    let ex = repo("examples/battlesnake");
    format!(
        "name = \"{name}\"\ngame = \"battlesnake\"\nrounds = {rounds}\nsims = {sims}\nseed = 11\n\
         [battlesnake]\ntimeout_ms = 500\n\
         [[players]]\nname = \"alice\"\ncodebase = \"{}\"\nagent = \"remote\"\n\
         [[players]]\nname = \"bob\"\ncodebase = \"{}\"\nagent = \"remote\"\n",
        ex.join("food-seeker").display(),
        ex.join("safe-random").display()
    )
}

/// A Core War tournament: alice (remote, pebble) against bob (static,
/// lantern).
fn pebble_against_lantern(
    name: &str,
    rounds: u32,
    sims: u32,
    seed: u64,
    transparent: bool,
) -> String {
    let ex = repo("examples/corewar");
    format!(
        "name = \"{name}\"\ngame = \"corewar\"\nrounds = {rounds}\nsims = {sims}\nseed = {seed}\n\
         transparent = {transparent}\n\
         [[players]]\nname = \"alice\"\ncodebase = \"{}\"\nagent = \"remote\"\n\
         [[players]]\nname = \"bob\"\ncodebase = \"{}\"\n",
        ex.join("pebble.red").display(),
        ex.join("lantern.red").display()
    )
}

fn start_agent(server: &Server, token: &str, workdir: &Path, edit: &str) -> Child {
    arena()
        .args(["agent", "--server"])
        .arg(format!("ws://{}/ws", server.addr))
        .args(["--token", token, "--edit", edit])
        .arg("--workdir")
        .arg(workdir)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start arena agent")
}

fn wait_for(child: Child, limit: Duration) -> (bool, String) {
    let start = Instant::now();
    let mut child = child;
    loop {
        if let Some(status) = child.try_wait().expect("wait") {
            let out = child.wait_with_output().expect("output");
            let text = format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
            return (status.success(), text);
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let out = child.wait_with_output().expect("output");
            panic!(
                "arena agent still running after {limit:?}: {}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Polls `list_games` until a live game shows; its id.
fn first_live_game(spectator: &mut Ws, tournament: i64) -> u64 {
    let start = Instant::now();
    loop {
        // Each answer is the signal to ask again, at the rate the server
        // allows.
        let games = spectator.ask(
            json!({"type": "list_games", "tournament": tournament}),
            "games",
        );
        let live = games["games"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|g| g["live"] == true)
            .and_then(|g| g["game_id"].as_u64());
        if let Some(id) = live {
            return id;
        }
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "no live game in 60 s: {games}"
        );
    }
}

/// Sends `request` (a `resync`, if any) and reads the live game to its
/// end: the frames with their versions, and `game_finished`. A
/// `rate_limited` request (the spectator polled `list_games` to find the
/// game) was not handled: it is sent again after the wait it names.
fn follow(spectator: &mut Ws, game_id: u64, request: Option<Value>) -> (Vec<(u64, Value)>, Value) {
    let mut frames = Vec::new();
    if let Some(request) = &request {
        spectator.send(request.clone());
    }
    loop {
        let m = spectator.recv();
        match m["type"].as_str() {
            Some("live_frame") if m["game_id"] == game_id => {
                frames.push((m["version"].as_u64().expect("version"), m["frame"].clone()));
            }
            Some("game_finished") if m["game_id"] == game_id => return (frames, m),
            Some("error") if m["code"] == "rate_limited" && request.is_some() => {
                std::thread::sleep(crate::server::rate_limited_wait(&m));
                if let Some(request) = &request {
                    spectator.send(request.clone());
                }
            }
            Some("error") => panic!("{m}"),
            _ => {}
        }
    }
}

#[test]
fn two_arena_agents_play_a_battlesnake_tournament_that_spectators_watch_live() {
    let dir = scratch("e2e");
    let data = dir.join("data");
    let server = Server::start_with(&data, &["--edit-timeout", "60"]);
    let mut admin = admin(&server);
    let tid = create(&mut admin, &snake_toml("e2e", 3, 3));
    let alice = register(&mut admin, tid, "alice");
    let bob = register(&mut admin, tid, "bob");

    // Spectators connected before anything is played.
    let mut from_start = spectator(&server);
    let mut joiner = spectator(&server);

    // Each agent's edit appends a comment naming the round to its snake.
    let edit = r#"printf '\n# edited for round %s\n' "$ARENA_ROUND" >> main.py"#;
    let agents = [
        start_agent(&server, &alice, &dir.join("alice"), edit),
        start_agent(&server, &bob, &dir.join("bob"), edit),
    ];
    assert_eq!(
        control(&mut admin, "start_tournament", tid)["state"],
        "running"
    );

    // One spectator follows a live game from its first frame (resync from
    // version 0), the other subscribes to one in progress (a snapshot, then
    // the frames after it).
    let game = first_live_game(&mut from_start, tid);
    let (frames, finished) = follow(
        &mut from_start,
        game,
        Some(json!({"type": "resync", "game_id": game, "from_version": 0})),
    );
    let versions: Vec<u64> = frames.iter().map(|(v, _)| *v).collect();
    let expected: Vec<u64> = (1..=frames.len() as u64).collect();
    assert_eq!(versions, expected, "every frame once, in order");
    assert_eq!(finished["version"], frames.len() as u64);
    let match_id = finished["match_id"].as_i64().expect("match id");

    let other = first_live_game(&mut joiner, tid);
    let snapshot = joiner.ask(json!({"type": "subscribe", "game_id": other}), "snapshot");
    let from = snapshot["version"].as_u64().expect("version");
    assert!(snapshot["header"]["players"].is_array(), "{snapshot}");
    let (later, other_end) = follow(&mut joiner, other, None);
    let versions: Vec<u64> = later.iter().map(|(v, _)| *v).collect();
    let expected: Vec<u64> = (from + 1..=from + later.len() as u64).collect();
    assert_eq!(versions, expected, "after the snapshot, every frame once");
    assert_eq!(other_end["version"], from + later.len() as u64);

    for child in agents {
        let (ok, out) = wait_for(child, Duration::from_secs(240));
        assert!(ok, "arena agent failed:\n{out}");
        for round in 1..=3 {
            assert!(
                out.contains(&format!("round {round}")),
                "round {round} not reported:\n{out}"
            );
        }
        assert!(out.contains("accepted"), "{out}");
    }

    // What the spectator saw is the stored replay, frame for frame.
    let stored = replay_frames(&data, match_id);
    assert_eq!(stored.len(), frames.len());
    for (i, ((_, seen), kept)) in frames.iter().zip(&stored).enumerate() {
        assert_eq!(seen, kept, "frame {i}");
    }

    // Every round's edits were stored, valid, and played.
    let conn = db(&data);
    let state: String = conn
        .query_row("SELECT state FROM tournaments WHERE id = ?1", [tid], |r| {
            r.get(0)
        })
        .expect("state");
    assert_eq!(state, "finished");
    for player in ["alice", "bob"] {
        for round in 1..=3u32 {
            let (valid, reason): (bool, String) = conn
                .query_row(
                    "SELECT s.valid, s.reason FROM submissions s JOIN players p ON p.id = s.player_id \
                     WHERE p.tournament_id = ?1 AND p.name = ?2 AND s.round = ?3",
                    rusqlite::params![tid, player, round],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .expect("submission");
            assert!(valid, "{player} round {round}: {reason}");
            assert_eq!(reason, "submitted by the remote agent");
        }
        let games: i64 = conn
            .query_row(
                "SELECT COUNT(*) FROM matches m WHERE m.tournament_id = ?1",
                [tid],
                |r| r.get(0),
            )
            .expect("count");
        assert_eq!(games, 4 * 3, "3 sims in each of rounds 0-3");
    }
    // The last submission holds all three edits.
    let store = arena::store::Store::open(&data).expect("store");
    let alice_id = store.player_id(tid, "alice").expect("q").expect("alice");
    let last = store.submission(tid, alice_id, 3).expect("q").expect("sub");
    let code = store.codebase(&last.hash).expect("codebase");
    let main = String::from_utf8_lossy(&code.files()["main.py"].bytes).into_owned();
    for round in 1..=3 {
        assert!(
            main.contains(&format!("# edited for round {round}")),
            "{main}"
        );
    }
}

/// A practice is played off the connection's loop: while it is held (by
/// `ARENA_HOLD`, released by the test), the agent's other messages and a
/// ping get their answers, and a second practice is refused as busy.
#[test]
fn a_connection_answers_its_messages_while_its_practice_plays() {
    let dir = scratch("practice-task");
    let data = dir.join("data");
    let release = dir.join("release-practice");
    let mut hold = std::ffi::OsString::from("practice:");
    hold.push(&release);
    let server = Server::start_env(
        &data,
        "127.0.0.1:0",
        &["--edit-timeout", "120"],
        &[("ARENA_HOLD", &hold)],
    );
    let mut admin = admin(&server);
    let tid = create(&mut admin, &pebble_against_lantern("busy", 1, 2, 5, false));
    let token = register(&mut admin, tid, "alice");
    let (mut alice, _) = agent_ws(&server, &token);
    control(&mut admin, "start_tournament", tid);
    alice.recv_type("round_started");

    alice.send(json!({"type": "practice", "opponent": "bob", "sims": 100}));
    alice.send(json!({"type": "get_codebase", "player": "alice"}));
    let own = alice.recv();
    assert_eq!(own["type"], "codebase", "{own}");
    alice.send(json!({"type": "practice", "opponent": "bob", "sims": 1}));
    let busy = alice.recv();
    assert_eq!(busy["code"], "rate_limited", "{busy}");
    alice
        .0
        .send(Message::Ping(b"still there".to_vec().into()))
        .expect("ping");
    loop {
        match alice.0.read().expect("read") {
            Message::Pong(p) => {
                assert_eq!(&p[..], b"still there");
                break;
            }
            Message::Text(t) => assert!(!t.contains("practice_result"), "early: {t}"),
            other => panic!("unexpected {other:?}"),
        }
    }

    std::fs::write(&release, b"").expect("release the practice");
    let p = alice.recv_type("practice_result");
    assert_eq!(p["sims"], 100);
    let total = ["wins", "losses", "draws"]
        .iter()
        .map(|k| p[k].as_u64().expect("count"))
        .sum::<u64>();
    assert_eq!(total, 100, "{p}");
}

/// A scripted agent: practice, a rejected then an accepted submission, the
/// server killed during an edit phase and restarted (the agent picks the
/// round up again), pause and resume.
#[test]
fn an_agent_practices_fixes_a_rejected_submission_and_survives_a_server_restart() {
    let dir = scratch("agent-flow");
    let data = dir.join("data");
    let toml = pebble_against_lantern("flow", 2, 20, 3, false);
    let mut server = Server::start_with(&data, &["--edit-timeout", "120"]);
    let mut admin = admin(&server);
    let tid = create(&mut admin, &toml);
    let token = register(&mut admin, tid, "alice");
    // Only remote players take tokens; unknown players are not found.
    admin.send(json!({"type": "register_agent", "tournament": tid, "player": "bob"}));
    assert_eq!(admin.recv()["code"], "bad_field");
    admin.send(json!({"type": "register_agent", "tournament": tid, "player": "zed"}));
    assert_eq!(admin.recv()["code"], "not_found");

    let (mut alice, welcome) = agent_ws(&server, &token);
    assert_eq!(welcome["player"], "alice");
    assert_eq!(welcome["tournament"], tid);
    // Nothing is open before the tournament starts.
    alice.send(json!({"type": "practice", "opponent": "bob", "sims": 3}));
    assert_eq!(alice.recv()["code"], "out_of_order");

    control(&mut admin, "start_tournament", tid);
    let r0 = alice.recv_type("round_finished");
    assert_eq!(r0["round"], 0);
    let started = alice.recv_type("round_started");
    assert_eq!(started["round"], 1);
    let warrior = started["codebase"]["files"]["warrior.red"]
        .as_str()
        .expect("warrior text")
        .to_owned();

    alice.send(json!({"type": "practice", "opponent": "bob", "sims": 5}));
    let p = alice.recv_type("practice_result");
    assert_eq!(p["sims"], 5);
    let total = ["wins", "losses", "draws"]
        .iter()
        .map(|k| p[k].as_u64().expect("count"))
        .sum::<u64>();
    assert_eq!(total, 5, "{p}");
    alice.send(json!({"type": "practice", "opponent": "nobody", "sims": 5}));
    assert_eq!(alice.recv()["code"], "not_found");
    // Its own code, yes; another player's, not in a closed tournament.
    alice.send(json!({"type": "get_codebase", "player": "alice"}));
    let own = alice.recv_type("codebase");
    assert_eq!(own["codebase"], started["codebase"]);
    alice.send(json!({"type": "get_codebase", "player": "bob"}));
    assert_eq!(alice.recv()["code"], "not_your_player");

    // An invalid warrior is rejected with the assembler's reason; nothing
    // is stored and the agent tries again.
    alice.send(json!({"type": "submit", "round": 1,
        "codebase": {"files": {"warrior.red": ";redcode-94\nMOOV 0, 1\n"}}}));
    let rejected = alice.recv_type("submission_rejected");
    assert!(
        rejected["reason"]
            .as_str()
            .is_some_and(|r| r.contains("line")),
        "{rejected}"
    );
    // A round that is not open is out of order.
    alice.send(json!({"type": "submit", "round": 2,
        "codebase": {"files": {"warrior.red": warrior}}}));
    assert_eq!(alice.recv()["code"], "out_of_order");
    let edited = format!("{warrior}\n; edited\n");
    alice.send(json!({"type": "submit", "round": 1,
        "codebase": {"files": {"warrior.red": edited}}}));
    let accepted = alice.recv_type("submission_accepted");
    assert_eq!(accepted["round"], 1);
    // Final: a second submission for the round is refused.
    alice.send(json!({"type": "submit", "round": 1,
        "codebase": {"files": {"warrior.red": warrior}}}));
    assert_eq!(alice.recv()["code"], "out_of_order");
    assert_eq!(alice.recv_type("round_finished")["round"], 1);
    let second = alice.recv_type("round_started");
    assert_eq!(second["round"], 2);
    assert!(
        second["codebase"]["files"]["warrior.red"]
            .as_str()
            .is_some_and(|w| w.contains("; edited")),
        "round 2 starts from the accepted codebase: {second}"
    );

    // The server dies in round 2's edit phase; restarted, it resumes the
    // tournament and the agent, reconnecting, gets round 2 again.
    let _ = server.child.kill();
    let _ = server.child.wait();
    drop(alice);
    let server = Server::start_with(&data, &["--edit-timeout", "120"]);
    let (mut alice, _) = agent_ws(&server, &token);
    let again = alice.recv_type("round_started");
    assert_eq!(again["round"], 2);
    assert_eq!(again["codebase"], second["codebase"]);

    // Paused, the round's games wait; resumed, they are played.
    let mut admin = self::admin(&server);
    assert_eq!(
        control(&mut admin, "pause_tournament", tid)["state"],
        "paused"
    );
    alice.send(json!({"type": "submit", "round": 2,
        "codebase": {"files": {"warrior.red": edited}}}));
    alice.recv_type("submission_accepted");
    alice
        .0
        .get_ref()
        .set_read_timeout(Some(Duration::from_millis(800)))
        .expect("timeout");
    assert!(
        alice.0.read().is_err(),
        "a paused tournament went on playing"
    );
    alice
        .0
        .get_ref()
        .set_read_timeout(Some(Duration::from_secs(30)))
        .expect("timeout");
    assert_eq!(
        control(&mut admin, "resume_tournament", tid)["state"],
        "running"
    );
    assert_eq!(alice.recv_type("round_finished")["round"], 2);
    let end = alice.recv_type("tournament_finished");
    assert!(
        end["standings"].is_object() || end["standings"].is_array(),
        "{end}"
    );
    // A finished tournament cannot be started again.
    assert_eq!(
        control(&mut admin, "start_tournament", tid)["code"],
        "out_of_order"
    );
    // Every round was stored once.
    let rounds: i64 = db(&data)
        .query_row(
            "SELECT COUNT(*) FROM rounds WHERE tournament_id = ?1",
            [tid],
            |r| r.get(0),
        )
        .expect("rounds");
    assert_eq!(rounds, 3);
}

#[test]
fn a_cancelled_tournament_stops_and_keeps_what_it_stored() {
    let dir = scratch("cancel");
    let data = dir.join("data");
    let server = Server::start_with(&data, &["--edit-timeout", "120"]);
    let mut admin = admin(&server);
    let tid = create(&mut admin, &snake_toml("to-cancel", 3, 2));
    let token = register(&mut admin, tid, "alice");
    let (mut alice, _) = agent_ws(&server, &token);
    control(&mut admin, "start_tournament", tid);
    // Round 1's edit phase waits for alice (and bob, who never comes).
    assert_eq!(alice.recv_type("round_started")["round"], 1);
    assert_eq!(
        control(&mut admin, "cancel_tournament", tid)["state"],
        "cancelled"
    );
    assert_eq!(
        control(&mut admin, "resume_tournament", tid)["code"],
        "out_of_order"
    );
    // The agent waiting in the edit phase is told at once.
    assert_eq!(alice.recv_type("tournament_cancelled")["tournament"], tid);
    let conn = db(&data);
    let (state, rounds): (String, i64) = conn
        .query_row(
            "SELECT state, (SELECT COUNT(*) FROM rounds WHERE tournament_id = t.id) FROM tournaments t WHERE id = ?1",
            [tid],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("state");
    assert_eq!((state.as_str(), rounds), ("cancelled", 1));
    alice.send(json!({"type": "submit", "round": 1,
        "codebase": {"files": {"main.py": "print('x')\n"}}}));
    let answer = alice.recv();
    assert!(
        answer["type"] == "error" || answer["type"] == "submission_rejected",
        "{answer}"
    );
}

/// Bad input from every role: a wrong token, an agent naming another
/// player, a spectator sending admin commands, a 100 MB message, bad
/// configs. Each gets its code, the others are still served, and the
/// database is byte for byte what it was.
#[test]
fn bad_input_from_any_role_is_refused_and_changes_nothing_stored() {
    let dir = scratch("negative");
    let data = dir.join("data");
    let server = Server::start_with(&data, &["--edit-timeout", "120"]);
    let mut admin = admin(&server);
    let tid = create(&mut admin, &snake_toml("neg", 1, 1));
    let token = register(&mut admin, tid, "alice");
    let before = dump(&data);

    let mut watcher = spectator(&server);

    // A wrong token: bad_token, and the connection stays usable.
    let mut agent = server.websocket();
    agent.send(
        json!({"type": "hello", "role": "agent", "token": "agt_nope", "protocol_version": 1}),
    );
    assert_eq!(agent.recv()["code"], "bad_token");
    agent.send(json!({"type": "hello", "role": "agent", "token": token, "protocol_version": 1}));
    assert_eq!(agent.recv_type("welcome")["player"], "alice");
    // Acting for another player: messages carry no player, and a field
    // naming one is refused.
    agent.send(json!({"type": "submit", "round": 1, "player": "bob",
        "codebase": {"files": {"main.py": "print(1)\n"}}}));
    let e = agent.recv();
    assert_eq!(e["code"], "bad_field", "{e}");
    // Before its round opens, a submission is out of order.
    agent.send(json!({"type": "submit", "round": 1,
        "codebase": {"files": {"main.py": "print(1)\n"}}}));
    assert_eq!(agent.recv()["code"], "out_of_order");
    // An agent may not read games or drive tournaments.
    agent.send(json!({"type": "list_games", "tournament": tid}));
    assert_eq!(agent.recv()["code"], "not_allowed_for_role");
    agent.send(json!({"type": "register_agent", "tournament": tid, "player": "bob"}));
    assert_eq!(agent.recv()["code"], "not_allowed_for_role");

    // A spectator sending admin commands.
    for ty in [
        "create_tournament",
        "register_agent",
        "start_tournament",
        "cancel_tournament",
    ] {
        let mut msg = json!({"type": ty, "tournament": tid});
        if ty == "create_tournament" {
            msg = json!({"type": ty, "config_toml": snake_toml("sneaky", 1, 1)});
        }
        if ty == "register_agent" {
            msg["player"] = json!("bob");
        }
        watcher.send(msg);
        assert_eq!(watcher.recv()["code"], "not_allowed_for_role", "{ty}");
    }

    // Bad configs name what is wrong.
    admin.send(
        json!({"type": "create_tournament", "config_toml": "name = \"x\"\ngame = \"chess\"\n"}),
    );
    let e = admin.recv();
    assert_eq!(e["code"], "bad_field");
    let mut renamed = snake_toml("neg", 2, 1);
    renamed.push('\n');
    admin.send(json!({"type": "create_tournament", "config_toml": renamed}));
    let e = admin.recv();
    assert_eq!(e["code"], "bad_field", "same name, another config: {e}");
    let missing = snake_toml("ghost", 1, 1).replace("food-seeker", "no-such-snake");
    admin.send(json!({"type": "create_tournament", "config_toml": missing}));
    let e = admin.recv();
    assert!(
        e["message"]
            .as_str()
            .is_some_and(|m| m.contains("does not exist")),
        "{e}"
    );
    admin.send(json!({"type": "start_tournament", "tournament": 999}));
    assert_eq!(admin.recv()["code"], "not_found");

    // A 100 MB message ends only its own connection.
    let mut big = server.websocket();
    big.send(json!({"type": "hello", "role": "agent", "token": token, "protocol_version": 1}));
    big.recv_type("welcome");
    let huge = format!(
        "{{\"type\":\"submit\",\"round\":1,\"codebase\":{{\"files\":{{\"a\":\"{}\"}}}}}}",
        "x".repeat(100 << 20)
    );
    let _ = big.0.send(Message::text(huge));
    loop {
        match big.0.read() {
            Ok(Message::Close(frame)) => {
                assert_eq!(frame.map(|f| u16::from(f.code)), Some(1009));
                break;
            }
            Ok(Message::Text(t)) => panic!("a 100 MB message was answered: {t}"),
            Ok(_) => {}
            Err(_) => break,
        }
    }

    // Everyone else is still served, and nothing stored changed.
    watcher.send(json!({"type": "list_tournaments"}));
    watcher.recv_type("tournaments");
    agent.send(json!({"type": "practice", "opponent": "bob", "sims": 1}));
    assert_eq!(agent.recv()["code"], "out_of_order");
    admin.send(json!({"type": "list_tournaments"}));
    admin.recv_type("tournaments");
    assert_eq!(
        dump(&data),
        before,
        "a refused request changed the database"
    );
}

/// A malformed message and the code it must get (as a spectator's).
fn malformed() -> impl proptest::strategy::Strategy<Value = (String, &'static str)> {
    use proptest::prelude::*;
    let word = "[a-z_]{1,12}";
    prop_oneof![
        // Not JSON (an object never closed), or JSON but not an object.
        word.prop_map(|w| (format!("{{\"type\":\"{w}"), "bad_json")),
        any::<i64>().prop_map(|n| (n.to_string(), "bad_json")),
        word.prop_map(|w| (format!("[\"{w}\"]"), "bad_json")),
        // No type, or one the protocol does not have.
        word.prop_map(|w| (json!({ w: 1 }).to_string(), "unknown_type")),
        word.prop_map(|w| (
            json!({"type": format!("x_{w}")}).to_string(),
            "unknown_type"
        )),
        any::<i64>().prop_map(|n| (json!({"type": n}).to_string(), "unknown_type")),
        // Fields of the wrong type, out of range, or unknown.
        word.prop_map(|w| (
            json!({"type": "list_games", "tournament": w}).to_string(),
            "bad_field"
        )),
        (101.0f64..1e9).prop_map(|f| (
            json!({"type": "speed", "factor": f}).to_string(),
            "bad_field"
        )),
        word.prop_map(|w| (
            json!({"type": "list_tournaments", format!("x_{w}"): true}).to_string(),
            "bad_field"
        )),
        (1i64..1000).prop_map(|n| (json!({"type": "seek", "turn": -n}).to_string(), "bad_field")),
        // Another role's messages, and messages out of their order.
        word.prop_map(|w| (
            json!({"type": "register_agent", "tournament": 1, "player": w}).to_string(),
            "not_allowed_for_role"
        )),
        (1u32..100).prop_map(|r| (
            json!({"type": "submit", "round": r, "codebase": {"files": {"a": "b"}}}).to_string(),
            "not_allowed_for_role"
        )),
        Just((
            json!({"type": "hello", "role": "spectator", "protocol_version": 1}).to_string(),
            "out_of_order"
        )),
        Just((json!({"type": "play"}).to_string(), "out_of_order")),
    ]
}

/// A thousand generated malformed messages over real connections: each
/// gets the code its kind calls for, the server serves everyone else
/// throughout, and nothing stored changes.
#[test]
fn a_thousand_malformed_messages_get_their_codes_and_change_nothing() {
    use proptest::strategy::{Strategy, ValueTree};
    use proptest::test_runner::TestRunner;
    let dir = scratch("malformed");
    let data = dir.join("data");
    let server = Server::start(&data);
    let mut admin = admin(&server);
    let tid = create(&mut admin, &snake_toml("garbage-proof", 1, 1));
    register(&mut admin, tid, "alice");
    let before = dump(&data);

    let mut runner = TestRunner::deterministic();
    let strategy = malformed();
    let mut watcher = spectator(&server);
    let mut sent = 0;
    // Ten to a connection: the strike limit closes a connection at its
    // eleventh within a minute.
    for _ in 0..100 {
        let mut ws = spectator(&server);
        for _ in 0..10 {
            let (text, code) = strategy.new_tree(&mut runner).expect("value").current();
            ws.0.send(Message::text(text.clone())).expect("send");
            let answer = ws.recv();
            assert_eq!(answer["code"], code, "{text} -> {answer}");
            sent += 1;
        }
        // Still usable after ten refusals.
        ws.send(json!({"type": "list_tournaments"}));
        ws.recv_type("tournaments");
        if sent % 200 == 0 {
            watcher.send(json!({"type": "list_games", "tournament": tid}));
            watcher.recv_type("games");
        }
    }
    assert_eq!(sent, 1000);
    assert_eq!(
        dump(&data),
        before,
        "a malformed message changed the database"
    );
}

/// The spectator benchmark runs and checks what it measures (a smoke run:
/// its figures are the README's, from a release build).
#[test]
fn the_spectator_benchmark_prints_its_table() {
    let out = arena()
        .args([
            "bench",
            "spectators",
            "--spectators",
            "5,20",
            "--frames",
            "5",
            "--fps",
            "100",
        ])
        .output()
        .expect("run the benchmark");
    let text = stdout_of_success(&out);
    let rows: Vec<&str> = text
        .lines()
        .filter(|l| l.trim_start().starts_with("5 ") || l.trim_start().starts_with("20 "))
        .collect();
    assert_eq!(rows.len(), 2, "{text}");
    assert!(!text.contains("failed"), "{text}");
}

/// The deadline: with no submission the previous codebase plays; with a
/// rejected one left unfixed the round is forfeited. An agent that comes
/// back after the end, even to a restarted server, hears how it ended.
#[test]
fn at_the_deadline_the_previous_codebase_plays_or_an_invalid_one_forfeits() {
    let dir = scratch("deadline");
    let data = dir.join("data");
    let toml = pebble_against_lantern("late", 2, 10, 4, false);
    let mut server = Server::start_with(&data, &["--edit-timeout", "2"]);
    let mut admin = admin(&server);
    let tid = create(&mut admin, &toml);
    let token = register(&mut admin, tid, "alice");
    let (mut alice, _) = agent_ws(&server, &token);
    control(&mut admin, "start_tournament", tid);
    // Round 1: silence.
    assert_eq!(alice.recv_type("round_started")["round"], 1);
    let r1 = alice.recv_type("round_finished");
    assert_eq!(r1["round"], 1);
    // Round 2: an invalid warrior, never fixed.
    assert_eq!(alice.recv_type("round_started")["round"], 2);
    alice.send(json!({"type": "submit", "round": 2,
        "codebase": {"files": {"warrior.red": "JMP nowhere\n"}}}));
    alice.recv_type("submission_rejected");
    // At the deadline it is rejected for good: the round is forfeited.
    let last = alice.recv_type("submission_rejected");
    assert!(
        last["reason"]
            .as_str()
            .is_some_and(|r| r.contains("forfeited")),
        "{last}"
    );
    assert_eq!(alice.recv_type("round_finished")["round"], 2);
    alice.recv_type("tournament_finished");

    let reason = |round: u32| -> (bool, String) {
        db(&data)
            .query_row(
                "SELECT s.valid, s.reason FROM submissions s JOIN players p ON p.id = s.player_id \
                 WHERE p.tournament_id = ?1 AND p.name = 'alice' AND s.round = ?2",
                rusqlite::params![tid, round],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .expect("submission")
    };
    let (valid, why) = reason(1);
    assert!(
        valid && why.contains("the previous codebase plays"),
        "{why}"
    );
    let (valid, why) = reason(2);
    assert!(!valid && why.contains("forfeited"), "{why}");

    // Back after the end, to a restarted server.
    let _ = server.child.kill();
    let _ = server.child.wait();
    let server = Server::start(&data);
    let (mut alice, _) = agent_ws(&server, &token);
    let end = alice.recv_type("tournament_finished");
    assert_eq!(end["tournament"], tid);
}

/// In a transparent tournament an agent may read the others' code as it
/// played: `arena agent` puts it in `.arena/opponents/NAME/`.
#[test]
fn in_a_transparent_tournament_arena_agent_shows_the_opponents_code() {
    let dir = scratch("transparent");
    let data = dir.join("data");
    let toml = pebble_against_lantern("open", 1, 10, 8, true);
    let server = Server::start_with(&data, &["--edit-timeout", "60"]);
    let mut admin = admin(&server);
    let tid = create(&mut admin, &toml);
    let token = register(&mut admin, tid, "alice");
    let agent = start_agent(
        &server,
        &token,
        &dir.join("alice"),
        "cp .arena/opponents/bob/warrior.red seen.red",
    );
    control(&mut admin, "start_tournament", tid);
    let (ok, out) = wait_for(agent, Duration::from_secs(120));
    assert!(ok, "{out}");
    let store = arena::store::Store::open(&data).expect("store");
    let alice = store.player_id(tid, "alice").expect("q").expect("alice");
    let sub = store
        .submission(tid, alice, 1)
        .expect("q")
        .expect("round 1");
    assert!(sub.valid, "{}", sub.reason);
    let code = store.codebase(&sub.hash).expect("codebase");
    let seen = &code.files()["seen.red"].bytes;
    assert_eq!(
        seen,
        &std::fs::read(repo("examples/corewar/lantern.red")).expect("lantern")
    );
}

/// `arena admin` drives a server from the shell: the example config (its
/// paths relative to the file), a token, the state changes, the list.
#[test]
fn arena_admin_creates_registers_starts_and_cancels_from_the_shell() {
    let dir = scratch("admin-cli");
    let data = dir.join("data");
    let server = Server::start_with(&data, &["--edit-timeout", "60"]);
    let url = format!("ws://{}/ws", server.addr);
    let admin = |args: &[&str], token: &str| {
        let out = arena()
            .args(["admin", "--server", &url, "--token", token])
            .args(args)
            .output()
            .expect("run arena admin");
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).trim().to_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let example = repo("examples/tournaments/remote-battlesnake.toml");
    let example = example.to_string_lossy();
    let (code, id, err) = admin(&["create", &example], "t0ken");
    assert_eq!(code, Some(0), "{err}");
    let id: i64 = id.parse().expect("an id");
    let (code, token, err) = admin(&["register", &id.to_string(), "alice"], "t0ken");
    assert_eq!(code, Some(0), "{err}");
    assert!(token.starts_with("agt_"), "{token}");
    let (_, _, err) = admin(&["register", &id.to_string(), "house"], "t0ken");
    assert!(err.contains("remote"), "{err}");
    let (code, list, _) = admin(&["list"], "t0ken");
    assert_eq!(code, Some(0));
    assert!(list.contains("remote-snakes"), "{list}");
    assert_eq!(admin(&["start", &id.to_string()], "t0ken").1, "running");
    assert_eq!(admin(&["pause", &id.to_string()], "t0ken").1, "paused");
    assert_eq!(admin(&["cancel", &id.to_string()], "t0ken").1, "cancelled");
    let (code, _, err) = admin(&["list"], "wrong");
    assert_eq!(code, Some(2));
    assert!(err.contains("bad_token"), "{err}");
    // The agent with the issued token is told the tournament is over.
    let mut ws = server.websocket();
    ws.send(json!({"type": "hello", "role": "agent", "token": token, "protocol_version": 1}));
    assert_eq!(ws.recv()["type"], "welcome");
    assert_eq!(ws.recv()["type"], "tournament_cancelled");
}

/// `arena agent` rides out a server killed in the middle of its edit: it
/// reconnects to the restarted server, which resumed the tournament, and
/// the round goes on with its submission.
#[test]
fn arena_agent_reconnects_to_a_restarted_server_and_finishes_the_tournament() {
    let dir = scratch("agent-restart");
    let data = dir.join("data");
    let toml = pebble_against_lantern("restart", 2, 10, 6, false);
    // A port both servers use, so the agent's URL stays right.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let listen = format!("127.0.0.1:{port}");
    let mut server = Server::start_at(&data, &listen, &["--edit-timeout", "60"]);
    let mut admin = admin(&server);
    let tid = create(&mut admin, &toml);
    let token = register(&mut admin, tid, "alice");
    let (mut watch, _) = agent_ws(&server, &token);
    // Each edit says it started, then waits for `go`: the server is killed
    // while the first one is surely under way, and it ends only after the
    // restart.
    let (started, go) = (dir.join("edit-started"), dir.join("go"));
    let agent = start_agent(
        &server,
        &token,
        &dir.join("alice"),
        &format!(
            r#"touch {started}; while [ ! -e {go} ]; do sleep 0.01; done; printf '\n; round %s\n' "$ARENA_ROUND" >> warrior.red"#,
            started = started.display(),
            go = go.display()
        ),
    );
    control(&mut admin, "start_tournament", tid);
    assert_eq!(watch.recv_type("round_started")["round"], 1);
    let waiting = Instant::now();
    while !started.exists() {
        assert!(
            waiting.elapsed() < Duration::from_secs(60),
            "the edit never started"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    let _ = server.child.kill();
    let _ = server.child.wait();
    drop((watch, admin));
    let _server = Server::start_at(&data, &listen, &["--edit-timeout", "60"]);
    std::fs::write(&go, "").expect("let the edit finish");
    let (ok, out) = wait_for(agent, Duration::from_secs(120));
    assert!(ok, "{out}");
    assert!(out.contains("tournament"), "{out}");
    let store = arena::store::Store::open(&data).expect("store");
    let alice = store.player_id(tid, "alice").expect("q").expect("alice");
    for round in 1..=2 {
        let sub = store
            .submission(tid, alice, round)
            .expect("q")
            .expect("stored");
        assert!(sub.valid, "round {round}: {}", sub.reason);
        let code = store.codebase(&sub.hash).expect("codebase");
        let warrior = String::from_utf8_lossy(&code.files()["warrior.red"].bytes).into_owned();
        assert!(warrior.contains(&format!("; round {round}")), "{warrior}");
    }
}
