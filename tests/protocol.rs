//! The websocket protocol (`arena::server::protocol`) against its written
//! form, docs/protocol.md: every message round-trips, every role may send
//! exactly what the doc says, the doc shows every message as the types
//! serialize it, and no input makes the parser panic or accept garbage.

use std::time::Instant;

use arena::server::protocol::{
    CLIENT_TYPES, CLOSE_POLICY_VIOLATION, ClientMessage, ErrorCode, MAX_AGENT_MESSAGE_BYTES,
    PROTOCOL_VERSION, Role, SERVER_TYPES, STRIKE_LIMIT, STRIKE_WINDOW, ServerMessage, Strikes,
    client_examples, max_message_bytes, parse_client_message, server_examples,
};
use proptest::prelude::*;

const DOC: &str = include_str!("../docs/protocol.md");

/// The role a connection must have said for an example to be accepted.
fn sender(msg: &ClientMessage) -> Option<Role> {
    match msg.type_name() {
        "hello" => None,
        "submit" | "practice" | "get_codebase" => Some(Role::Agent),
        t if t.ends_with("_tournament") || t == "register_agent" => Some(Role::Admin),
        _ => Some(Role::Spectator),
    }
}

/// Who may send each type, as docs/protocol.md's table says (written out
/// here, not taken from the code under test).
fn documented(type_name: &str, role: Option<Role>) -> Result<(), ErrorCode> {
    use Role::{Admin, Agent, Spectator};
    let allowed: &[Role] = match type_name {
        "hello" => {
            return if role.is_none() {
                Ok(())
            } else {
                Err(ErrorCode::OutOfOrder)
            };
        }
        "submit" | "practice" | "get_codebase" => &[Agent],
        "list_tournaments" | "list_games" | "subscribe" | "unsubscribe" | "resync" | "replay"
        | "play" | "pause" | "speed" | "seek" => &[Spectator, Admin],
        "create_tournament" | "register_agent" | "start_tournament" | "pause_tournament"
        | "resume_tournament" | "cancel_tournament" => &[Admin],
        other => panic!("the test has no row for {other}"),
    };
    match role {
        None => Err(ErrorCode::OutOfOrder),
        Some(r) if allowed.contains(&r) => Ok(()),
        Some(_) => Err(ErrorCode::NotAllowedForRole),
    }
}

#[test]
fn every_message_round_trips() {
    for msg in client_examples() {
        let json = msg.to_json();
        let back: ClientMessage = serde_json::from_str(&json).expect("client message reads back");
        assert_eq!(back, msg, "{json}");
        let parsed = parse_client_message(&json, sender(&msg), MAX_AGENT_MESSAGE_BYTES)
            .unwrap_or_else(|e| panic!("{json}: {e}"));
        assert_eq!(parsed, msg);
    }
    for msg in server_examples() {
        let json = msg.to_json();
        let back: ServerMessage = serde_json::from_str(&json).expect("server message reads back");
        assert_eq!(back, msg, "{json}");
    }
    assert_eq!(client_examples().len(), CLIENT_TYPES.len());
    assert_eq!(server_examples().len(), SERVER_TYPES.len());
}

#[test]
fn every_role_sends_only_what_the_doc_allows() {
    let roles = [
        None,
        Some(Role::Agent),
        Some(Role::Spectator),
        Some(Role::Admin),
    ];
    let mut checked = 0;
    for msg in client_examples() {
        let json = msg.to_json();
        for role in roles {
            let got = parse_client_message(&json, role, MAX_AGENT_MESSAGE_BYTES)
                .map(|_| ())
                .map_err(|e| e.code);
            let want = documented(msg.type_name(), role);
            assert_eq!(got, want, "{role:?} sending {json}");
            if let Err(code) = want {
                let e = parse_client_message(&json, role, MAX_AGENT_MESSAGE_BYTES)
                    .expect_err("refused");
                assert_eq!(e.in_reply_to.as_deref(), Some(msg.type_name()), "{code}");
                assert!(
                    matches!(e.to_message(), ServerMessage::Error { code: c, .. } if c == code)
                );
            }
            checked += 1;
        }
    }
    assert_eq!(checked, CLIENT_TYPES.len() * 4);
}

/// The doc's "Who may send what" table: for each type, the answer before
/// `hello` and for an agent, a spectator and an admin (`None` for "yes").
fn doc_table() -> Vec<(String, [Option<String>; 4])> {
    let start = DOC
        .find("## Who may send what")
        .expect("the doc has the role table");
    let mut rows = Vec::new();
    for line in DOC[start..]
        .lines()
        .skip_while(|l| !l.starts_with('|'))
        .skip(2)
    {
        if !line.starts_with('|') {
            break;
        }
        let cells: Vec<&str> = line.trim_matches('|').split('|').map(str::trim).collect();
        assert_eq!(cells.len(), 5, "{line}");
        let answer = |c: &str| (c != "yes").then(|| c.trim_matches('`').to_owned());
        let answers = [
            answer(cells[1]),
            answer(cells[2]),
            answer(cells[3]),
            answer(cells[4]),
        ];
        for t in cells[0].split(',') {
            rows.push((t.trim().trim_matches('`').to_owned(), answers.clone()));
        }
    }
    rows
}

#[test]
fn the_docs_role_table_is_what_the_parser_does() {
    let table = doc_table();
    let types: Vec<&str> = table.iter().map(|(t, _)| t.as_str()).collect();
    let mut want: Vec<&str> = CLIENT_TYPES.to_vec();
    let mut got = types.clone();
    want.sort_unstable();
    got.sort_unstable();
    assert_eq!(got, want, "the table lists every type once");
    let roles = [
        None,
        Some(Role::Agent),
        Some(Role::Spectator),
        Some(Role::Admin),
    ];
    for msg in client_examples() {
        let (_, answers) = table
            .iter()
            .find(|(t, _)| t == msg.type_name())
            .expect("listed");
        for (role, answer) in roles.iter().zip(answers) {
            let got = parse_client_message(&msg.to_json(), *role, MAX_AGENT_MESSAGE_BYTES)
                .err()
                .map(|e| e.code.to_string());
            assert_eq!(&got, answer, "{role:?} sending {}", msg.type_name());
        }
    }
}

#[test]
fn the_doc_shows_every_message_as_the_types_serialize_it() {
    for json in client_examples()
        .iter()
        .map(ClientMessage::to_json)
        .chain(server_examples().iter().map(ServerMessage::to_json))
    {
        assert!(
            DOC.lines().any(|l| l == json),
            "docs/protocol.md lacks this line (run `cargo test -p arena --test tests \
             protocol::print_examples -- --ignored --nocapture`):\n{json}"
        );
    }
    for code in ErrorCode::ALL {
        assert!(
            DOC.contains(&format!("`{code}`")),
            "docs lack error code {code}"
        );
    }
    assert!(DOC.contains(&format!("Protocol version: **{PROTOCOL_VERSION}**")));
    assert!(DOC.contains(&format!("**{STRIKE_LIMIT}** malformed")));
    assert!(DOC.contains(&format!("{}", STRIKE_WINDOW.as_secs())));
    assert!(DOC.contains(&format!("`{CLOSE_POLICY_VIOLATION}`")));
}

/// Prints every example, for docs/protocol.md.
#[test]
#[ignore = "prints the examples for docs/protocol.md"]
fn print_examples() {
    for m in client_examples() {
        println!("{}\n{}\n", m.type_name(), m.to_json());
    }
    for m in server_examples() {
        println!("{}\n{}\n", m.type_name(), m.to_json());
    }
}

#[test]
fn a_100_mb_message_is_refused_before_parsing() {
    // Not JSON past its first bytes: parsed, it would be refused as bad
    // JSON; refused by its length first, it is `too_large`. (How fast the
    // refusal is belongs to a benchmark.)
    let huge = format!(
        r#"{{"type":"hello","role":"agent","x":{}"#,
        "a".repeat(100 << 20)
    );
    for role in [
        None,
        Some(Role::Agent),
        Some(Role::Spectator),
        Some(Role::Admin),
    ] {
        let e = parse_client_message(&huge, role, max_message_bytes(role)).expect_err("refused");
        assert_eq!(e.code, ErrorCode::TooLarge, "{e}");
        assert!(e.message.len() < 300, "the error does not echo the message");
    }
}

#[test]
fn garbage_closes_the_connection_after_the_strike_limit() {
    let mut strikes = Strikes::default();
    let now = Instant::now();
    let mut closed_at = None;
    for i in 1..=STRIKE_LIMIT + 1 {
        let e = parse_client_message("{nope", Some(Role::Spectator), 1 << 16).expect_err("bad");
        if strikes.record(e.code, now) {
            closed_at = Some(i);
            break;
        }
    }
    assert_eq!(closed_at, Some(STRIKE_LIMIT + 1));
    assert_eq!(CLOSE_POLICY_VIOLATION, 1008);
}

fn valid_jsons() -> Vec<(String, Option<Role>)> {
    client_examples()
        .iter()
        .map(|m| (m.to_json(), sender(m)))
        .collect()
}

/// One edit of a valid message's text.
#[derive(Debug, Clone)]
enum Mutation {
    Delete(usize),
    Insert(usize, char),
    Replace(usize, usize, String),
    Truncate(usize),
    /// Sets a top-level field (or `type`) to some JSON.
    SetField(usize, String),
}

fn json_value() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("null".to_owned()),
        Just("true".to_owned()),
        Just("[]".to_owned()),
        Just("{}".to_owned()),
        Just("-1".to_owned()),
        Just("1e400".to_owned()),
        Just("18446744073709551616".to_owned()),
        Just("\"../../etc/passwd\"".to_owned()),
        Just("{\"files\":{\"/abs\":\"x\"}}".to_owned()),
        Just("{\"files\":{\"a\":{\"base64\":\"!!\"}}}".to_owned()),
        any::<i64>().prop_map(|n| n.to_string()),
        any::<f64>().prop_map(|f| serde_json::to_string(&f).unwrap_or_default()),
        "\\PC{0,20}".prop_map(|s| serde_json::to_string(&s).unwrap_or_default()),
    ]
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        any::<usize>().prop_map(Mutation::Delete),
        (any::<usize>(), any::<char>()).prop_map(|(i, c)| Mutation::Insert(i, c)),
        (any::<usize>(), 0usize..8, "\\PC{0,6}").prop_map(|(i, n, s)| Mutation::Replace(i, n, s)),
        any::<usize>().prop_map(Mutation::Truncate),
        (any::<usize>(), json_value()).prop_map(|(i, v)| Mutation::SetField(i, v)),
    ]
}

fn apply(text: &str, m: &Mutation) -> String {
    let chars: Vec<char> = text.chars().collect();
    let at = |i: usize| if chars.is_empty() { 0 } else { i % chars.len() };
    match m {
        Mutation::Delete(i) => {
            let mut c = chars.clone();
            if !c.is_empty() {
                c.remove(at(*i));
            }
            c.into_iter().collect()
        }
        Mutation::Insert(i, ch) => {
            let mut c = chars.clone();
            c.insert(at(*i), *ch);
            c.into_iter().collect()
        }
        Mutation::Replace(i, n, s) => {
            let start = at(*i);
            let end = (start + n).min(chars.len());
            let mut out: String = chars[..start].iter().collect();
            out.push_str(s);
            out.extend(&chars[end..]);
            out
        }
        Mutation::Truncate(i) => chars[..at(*i)].iter().collect(),
        Mutation::SetField(i, v) => {
            let Ok(serde_json::Value::Object(mut obj)) = serde_json::from_str(text) else {
                return text.to_owned();
            };
            let keys: Vec<String> = obj.keys().cloned().collect();
            let key = keys.get(i % keys.len().max(1)).cloned().unwrap_or_default();
            let value = serde_json::from_str(v).unwrap_or(serde_json::Value::Null);
            obj.insert(key, value);
            serde_json::Value::Object(obj).to_string()
        }
    }
}

fn roles() -> impl Strategy<Value = Option<Role>> {
    prop_oneof![
        Just(None),
        Just(Some(Role::Agent)),
        Just(Some(Role::Spectator)),
        Just(Some(Role::Admin)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, failure_persistence: None, ..ProptestConfig::default() })]

    /// Arbitrary text: never a panic, always an error with a code.
    #[test]
    fn arbitrary_strings_are_refused(text in "\\PC{0,200}", role in roles()) {
        match parse_client_message(&text, role, 1 << 16) {
            Err(e) => {
                prop_assert!(ErrorCode::ALL.contains(&e.code));
                prop_assert!(!e.message.is_empty());
            }
            // Only a real message may pass, and it reads back the same.
            Ok(msg) => prop_assert_eq!(
                parse_client_message(&msg.to_json(), role, 1 << 16).ok(),
                Some(msg)
            ),
        }
    }

    /// Valid messages with one to three edits: never a panic; whatever is
    /// accepted is a real message; the valid ones are still accepted after.
    #[test]
    fn mutated_messages_never_panic(
        which in any::<usize>(),
        edits in proptest::collection::vec(mutation(), 1..4),
        role in roles(),
    ) {
        let valid = valid_jsons();
        let (json, _) = &valid[which % valid.len()];
        let mut text = json.clone();
        for m in &edits {
            text = apply(&text, m);
        }
        match parse_client_message(&text, role, MAX_AGENT_MESSAGE_BYTES) {
            Err(e) => {
                prop_assert!(ErrorCode::ALL.contains(&e.code));
                prop_assert!(e.message.len() < 2000, "{}", e.message);
            }
            Ok(msg) => prop_assert_eq!(
                parse_client_message(&msg.to_json(), role, MAX_AGENT_MESSAGE_BYTES).ok(),
                Some(msg)
            ),
        }
        for (json, role) in &valid {
            prop_assert!(parse_client_message(json, *role, MAX_AGENT_MESSAGE_BYTES).is_ok());
        }
    }
}

fn submit_with(files: &str) -> String {
    format!(r#"{{"type":"submit","round":1,"codebase":{{"files":{files}}}}}"#)
}

#[test]
fn a_submitted_codebase_is_checked_and_the_path_named() {
    let agent = Some(Role::Agent);
    for path in [
        "../x",
        "/etc/passwd",
        "a/../../b",
        "a\\u0000b",
        "a//b",
        "./a",
        "",
    ] {
        let text = submit_with(&format!(r#"{{"{path}":"x"}}"#));
        let e = parse_client_message(&text, agent, MAX_AGENT_MESSAGE_BYTES).expect_err(path);
        assert_eq!(e.code, ErrorCode::BadField, "{path}: {e}");
        assert!(
            e.field
                .as_deref()
                .is_some_and(|f| f.starts_with("codebase.files[")),
            "{path}: {e:?}"
        );
        assert_eq!(e.in_reply_to.as_deref(), Some("submit"));
    }
    for (files, what) in [
        (r#"{"a":{"base64":"!!!!"}}"#, "bad base64"),
        (
            r#"{"a":{"base64":"eA==","text":"x"}}"#,
            "both base64 and text",
        ),
        (r#"{"a":{}}"#, "neither"),
        (r#"{"a":7}"#, "a number"),
    ] {
        let e = parse_client_message(&submit_with(files), agent, MAX_AGENT_MESSAGE_BYTES)
            .expect_err(what);
        assert_eq!(e.code, ErrorCode::BadField, "{what}: {e}");
    }
    let wrong_hash = r#"{"type":"submit","round":1,"codebase":{"files":{"a":"x"},"hash":"00"}}"#;
    let e = parse_client_message(wrong_hash, agent, MAX_AGENT_MESSAGE_BYTES).expect_err("hash");
    assert_eq!(e.field.as_deref(), Some("codebase.hash"), "{e}");
    // Over the default codebase limit (2 MiB a file) but within the message limit.
    let big = submit_with(&format!(r#"{{"a":"{}"}}"#, "x".repeat(3 << 20)));
    let e = parse_client_message(&big, agent, MAX_AGENT_MESSAGE_BYTES).expect_err("big");
    assert_eq!(e.code, ErrorCode::TooLarge, "{e}");
    // Accepted: text, base64 and an executable file, in subdirectories.
    let ok =
        submit_with(r#"{"src/a.red":"MOV 0, 1","bin/run":{"base64":"eA==","executable":true}}"#);
    assert!(parse_client_message(&ok, agent, MAX_AGENT_MESSAGE_BYTES).is_ok());
}

#[test]
fn clients_read_every_server_message_and_tolerate_new_fields() {
    use arena::server::protocol::parse_server_message;
    for msg in server_examples() {
        let mut v: serde_json::Value = serde_json::from_str(&msg.to_json()).expect("json");
        v["added_in_a_later_version"] = serde_json::json!(1);
        assert_eq!(parse_server_message(&v.to_string()).ok(), Some(msg));
    }
}
