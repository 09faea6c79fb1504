//! docs/protocol.md's examples against a real session: a real `arena serve`
//! on 127.0.0.1, an admin, a remote agent and a spectator over real
//! websockets play a BattleSnake tournament (live games, replays, practice,
//! a rejected and an accepted submission) and a Core War one that is paused,
//! resumed and cancelled. Every message is recorded, and each documented
//! example must have the shape (the same keys, the same JSON types) of a
//! message of its type that was really sent; hashes, times and counts may
//! differ. The session waits on messages only, never on a clock.

use std::collections::BTreeMap;
use std::time::Duration;

use serde_json::{Value, json};

use crate::server::{Server, Ws};
use crate::util::repo;

const DOC: &str = include_str!("../docs/protocol.md");

/// Objects whose keys the game defines (a frame, its settings, a
/// codebase's files): only their JSON type is compared.
const GAME_DEFINED: &[&str] = &["frame", "settings", "files"];

/// Every JSON line of the doc's ```json blocks.
fn doc_examples() -> Vec<Value> {
    let mut out = Vec::new();
    let mut inside = false;
    for line in DOC.lines() {
        match line.trim() {
            "```json" => inside = true,
            "```" => inside = false,
            text if inside && !text.is_empty() => out.push(
                serde_json::from_str(text)
                    .unwrap_or_else(|e| panic!("docs/protocol.md: {e}: {text}")),
            ),
            _ => {}
        }
    }
    out
}

/// A connection that records what it sends and receives.
struct Recorded<'a> {
    ws: Ws,
    log: &'a std::cell::RefCell<Log>,
}

#[derive(Default)]
struct Log {
    sent: Vec<Value>,
    received: Vec<Value>,
}

impl<'a> Recorded<'a> {
    fn open(server: &Server, log: &'a std::cell::RefCell<Log>) -> Recorded<'a> {
        let ws = server.websocket();
        // Rounds of real games go by between some messages.
        ws.0.get_ref()
            .set_read_timeout(Some(Duration::from_secs(120)))
            .expect("timeout");
        Recorded { ws, log }
    }

    fn send(&mut self, msg: Value) {
        self.log.borrow_mut().sent.push(msg.clone());
        self.ws.send(msg);
    }

    fn recv(&mut self) -> Value {
        let m = self.ws.recv();
        self.log.borrow_mut().received.push(m.clone());
        m
    }

    /// Skips (and records) messages until one of `ty`; an error fails.
    fn recv_type(&mut self, ty: &str) -> Value {
        loop {
            let m = self.recv();
            if m["type"] == ty {
                return m;
            }
            assert_ne!(m["type"], "error", "waiting for {ty}: {m}");
        }
    }

    /// Sends `msg` and waits for its answer of type `ty`, obeying
    /// `rate_limited` (recording everything).
    fn ask(&mut self, msg: Value, ty: &str) -> Value {
        crate::server::ask(self, msg, ty, Recorded::send, Recorded::recv)
    }
}

/// Why `doc` does not have `real`'s shape, or `None` when it does.
fn shape_mismatch(doc: &Value, real: &Value, at: &str) -> Option<String> {
    let kind = |v: &Value| match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_f64() => "float",
        Value::Number(_) => "integer",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    };
    match (doc, real) {
        // An optional field: `null` in one message, set in another.
        (Value::Null, _) | (_, Value::Null) => None,
        (Value::Object(d), Value::Object(r)) => {
            let mut dk: Vec<&String> = d.keys().collect();
            let mut rk: Vec<&String> = r.keys().collect();
            dk.sort_unstable();
            rk.sort_unstable();
            if dk != rk {
                return Some(format!("{at}: keys {dk:?} in the doc, {rk:?} sent"));
            }
            d.iter().find_map(|(k, dv)| {
                let path = format!("{at}.{k}");
                if GAME_DEFINED.contains(&k.as_str()) {
                    (kind(dv) != kind(&r[k]) && !r[k].is_null() && !dv.is_null())
                        .then(|| format!("{path}: {} in the doc, {} sent", kind(dv), kind(&r[k])))
                } else {
                    shape_mismatch(dv, &r[k], &path)
                }
            })
        }
        (Value::Array(d), Value::Array(r)) => {
            if r.is_empty() {
                return None;
            }
            // Each documented element has the shape of some sent one.
            d.iter().enumerate().find_map(|(i, dv)| {
                let path = format!("{at}[{i}]");
                let misses: Vec<String> = r
                    .iter()
                    .filter_map(|rv| shape_mismatch(dv, rv, &path))
                    .collect();
                (misses.len() == r.len()).then(|| misses[0].clone())
            })
        }
        (d, r) if kind(d) == kind(r) => None,
        (d, r) => Some(format!("{at}: {} in the doc, {} sent", kind(d), kind(r))),
    }
}

fn tournament_toml(name: &str, game: &str, rounds: u32, sims: u32) -> String {
    let (alice, bob, extra) = match game {
        "battlesnake" => (
            repo("examples/battlesnake/food-seeker"),
            repo("examples/battlesnake/safe-random"),
            "[battlesnake]\ntimeout_ms = 500\n",
        ),
        _ => (
            repo("examples/corewar/pebble.red"),
            repo("examples/corewar/lantern.red"),
            "",
        ),
    };
    format!(
        "name = \"{name}\"\ngame = \"{game}\"\nrounds = {rounds}\nsims = {sims}\nseed = 7\n{extra}\
         [[players]]\nname = \"alice\"\ncodebase = \"{}\"\nagent = \"remote\"\n\
         [[players]]\nname = \"bob\"\ncodebase = \"{}\"\n",
        alice.display(),
        bob.display()
    )
}

/// Plays the session; what every connection sent and received.
fn play_session(server: &Server) -> Log {
    let log = std::cell::RefCell::new(Log::default());
    let mut admin = Recorded::open(server, &log);
    admin.ask(
        json!({"type": "hello", "role": "admin", "token": "t0ken", "protocol_version": 1}),
        "welcome",
    );
    let created = admin.ask(
        json!({"type": "create_tournament", "config_toml": tournament_toml("session", "battlesnake", 1, 2)}),
        "tournament_created",
    );
    let tid = created["tournament"].as_i64().expect("tournament id");
    let registered = admin.ask(
        json!({"type": "register_agent", "tournament": tid, "player": "alice"}),
        "agent_registered",
    );
    let token = registered["token"].as_str().expect("token").to_owned();

    let mut agent = Recorded::open(server, &log);
    agent.ask(
        json!({"type": "hello", "role": "agent", "token": token, "protocol_version": 1}),
        "welcome",
    );
    let mut spectator = Recorded::open(server, &log);
    spectator.ask(
        json!({"type": "hello", "role": "spectator", "protocol_version": 1}),
        "welcome",
    );
    spectator.ask(json!({"type": "list_tournaments"}), "tournaments");
    // A refused request: the error's shape.
    spectator.send(json!({"type": "create_tournament", "config_toml": ""}));
    assert_eq!(spectator.recv()["type"], "error");

    admin.ask(
        json!({"type": "start_tournament", "tournament": tid}),
        "tournament_updated",
    );

    // A game of round 0, followed live: each `games` answer is the signal
    // to ask again until one is listed.
    let game_id = loop {
        let games = spectator.ask(
            json!({"type": "list_games", "tournament": tid, "round": 0}),
            "games",
        );
        let live = games["games"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|g| g["kind"] == "live" && g["live"] == true)
            .and_then(|g| g["game_id"].as_u64());
        if let Some(id) = live {
            break id;
        }
    };
    spectator.ask(json!({"type": "subscribe", "game_id": game_id}), "snapshot");
    spectator.ask(
        json!({"type": "unsubscribe", "game_id": game_id}),
        "unsubscribed",
    );
    spectator.ask(
        json!({"type": "resync", "game_id": game_id, "from_version": 0}),
        "live_frame",
    );
    spectator.recv_type("game_finished");

    // The agent's round: practice, a rejected and an accepted submission,
    // its own code back.
    agent.recv_type("round_finished");
    let started = agent.recv_type("round_started");
    let round = started["round"].as_u64().expect("round");
    agent.ask(
        json!({"type": "practice", "opponent": "bob", "sims": 1}),
        "practice_result",
    );
    agent.ask(
        json!({"type": "submit", "round": round, "codebase": {"files": {"README": "no bot here\n"}}}),
        "submission_rejected",
    );
    let mut codebase = started["codebase"].clone();
    if let Some(c) = codebase.as_object_mut() {
        c.remove("hash");
    }
    agent.ask(
        json!({"type": "submit", "round": round, "codebase": codebase}),
        "submission_accepted",
    );
    agent.ask(
        json!({"type": "get_codebase", "player": "alice", "round": round}),
        "codebase",
    );
    agent.recv_type("round_finished");
    agent.recv_type("tournament_finished");

    // A stored game replayed, with every control.
    let games = spectator.ask(
        json!({"type": "list_games", "tournament": tid, "round": round}),
        "games",
    );
    let match_id = games["games"]
        .as_array()
        .into_iter()
        .flatten()
        .find_map(|g| g["match_id"].as_i64())
        .expect("a stored game");
    let header = spectator.ask(
        json!({"type": "replay", "match_id": match_id}),
        "replay_header",
    );
    let frames = header["frames"].as_u64().expect("frames");
    spectator.ask(json!({"type": "pause"}), "replay_state");
    spectator.ask(json!({"type": "speed", "factor": 2.0}), "replay_state");
    spectator.ask(
        json!({"type": "seek", "turn": frames.saturating_sub(2)}),
        "replay_state",
    );
    spectator.ask(json!({"type": "play"}), "replay_state");
    spectator.recv_type("frame");
    spectator.recv_type("replay_end");

    // A private Core War tournament paused, resumed and cancelled during
    // an edit.
    let private = tournament_toml("cancelled", "corewar", 3, 2).replace(
        "seed = 7\n",
        "seed = 7\nspectator_token = \"view-5d1c8e2a\"\n",
    );
    let created = admin.ask(
        json!({"type": "create_tournament", "config_toml": private}),
        "tournament_created",
    );
    let tid = created["tournament"].as_i64().expect("tournament id");
    let registered = admin.ask(
        json!({"type": "register_agent", "tournament": tid, "player": "alice"}),
        "agent_registered",
    );
    let token = registered["token"].as_str().expect("token").to_owned();
    let mut agent = Recorded::open(server, &log);
    agent.ask(
        json!({"type": "hello", "role": "agent", "token": token, "protocol_version": 1}),
        "welcome",
    );
    admin.ask(
        json!({"type": "start_tournament", "tournament": tid}),
        "tournament_updated",
    );
    agent.recv_type("round_started");
    // Its games only for a spectator that says hello with its token.
    spectator.send(json!({"type": "list_games", "tournament": tid}));
    let refused = spectator.recv();
    assert_eq!(refused["code"], "bad_token", "{refused}");
    let mut insider = Recorded::open(server, &log);
    insider.ask(
        json!({"type": "hello", "role": "spectator", "token": "view-5d1c8e2a", "protocol_version": 1}),
        "welcome",
    );
    insider.ask(json!({"type": "list_games", "tournament": tid}), "games");
    for what in ["pause_tournament", "resume_tournament", "cancel_tournament"] {
        admin.ask(
            json!({"type": what, "tournament": tid}),
            "tournament_updated",
        );
    }
    agent.recv_type("tournament_cancelled");
    drop((admin, agent, spectator, insider));
    log.into_inner()
}

#[test]
fn protocol_examples_have_the_shape_of_a_real_session() {
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("protocol-session-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let server = Server::start_with(&dir.join("data"), &["--edit-timeout", "120"]);
    let log = play_session(&server);

    let mut by_type: BTreeMap<String, Vec<&Value>> = BTreeMap::new();
    for m in log.received.iter().chain(&log.sent) {
        let ty = m["type"].as_str().unwrap_or_default().to_owned();
        by_type.entry(ty).or_default().push(m);
        if m["codebase"].is_object() {
            by_type
                .entry("codebase field".into())
                .or_default()
                .push(&m["codebase"]);
        }
    }
    let mut failures = Vec::new();
    let mut checked = 0;
    for example in doc_examples() {
        // The one example without a type is a codebase (## Codebases).
        let ty = example["type"].as_str().unwrap_or("codebase field");
        let Some(real) = by_type.get(ty) else {
            failures.push(format!("{ty}: never sent in the session"));
            continue;
        };
        let misses: Vec<String> = real
            .iter()
            .filter_map(|r| shape_mismatch(&example, r, ty))
            .collect();
        if misses.len() == real.len() {
            failures.push(format!(
                "{ty}: the doc's example has the shape of none of the {} sent; e.g. {}\n  doc:  {example}\n  sent: {}",
                real.len(),
                misses[0],
                real[0]
            ));
        }
        checked += 1;
    }
    assert!(
        failures.is_empty(),
        "docs/protocol.md differs from a real session:\n{}",
        failures.join("\n")
    );
    assert!(checked >= 40, "only {checked} examples checked");
}

#[test]
fn shapes_compare_keys_and_types_not_values() {
    let doc = json!({"type": "x", "n": 1, "f": 1.0, "s": "a", "o": null, "l": [{"a": 1}], "frame": {"turn": 1}});
    let same = json!({"type": "x", "n": 7, "f": 2.5, "s": "b", "o": {"k": 1}, "l": [{"a": 2}, {"a": 3}], "frame": {"board": {}}});
    assert_eq!(shape_mismatch(&doc, &same, "x"), None);
    let extra = json!({"type": "x", "n": 7, "f": 2.5, "s": "b", "o": null, "l": [], "frame": {}, "more": 1});
    assert!(shape_mismatch(&doc, &extra, "x").is_some());
    let retyped =
        json!({"type": "x", "n": "7", "f": 2.5, "s": "b", "o": null, "l": [], "frame": {}});
    assert!(
        shape_mismatch(&doc, &retyped, "x")
            .is_some_and(|m| m.contains("x.n: integer in the doc, string sent"))
    );
    let element =
        json!({"type": "x", "n": 7, "f": 2.5, "s": "b", "o": null, "l": [{"b": 2}], "frame": {}});
    assert!(shape_mismatch(&doc, &element, "x").is_some());
}
