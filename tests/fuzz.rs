//! Fuzzing every parser that reads outside input, on stable Rust with
//! proptest: the websocket protocol, the tournament TOML, the Redcode
//! assembler, BattleSnake's HTTP answers and the bot answers of Gomoku,
//! Halite and RobotRumble. Each target gets `ARENA_FUZZ_CASES` inputs
//! (2,000 in the normal suite; the recorded run is a million, see
//! docs/fuzzing.md): random bytes, valid inputs with bytes replaced, inserted and
//! deleted, and sequences of the format's own tokens. A panic fails the
//! target; so does a refusal that is not the parser's documented error
//! (a typed error with a message saying what is wrong).
//!
//! The recorded run:
//! `ARENA_FUZZ_CASES=1000000 cargo test --release -p arena --test tests fuzz:: -- --nocapture --test-threads 1`

use std::time::Instant;

use proptest::prelude::*;
use proptest::sample::{Index, select};
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use serde_json::Value;

use crate::util::repo;

/// Inputs per target: `ARENA_FUZZ_CASES`, else a size for the normal suite.
fn cases() -> u32 {
    std::env::var("ARENA_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2_000)
}

/// One edit of a valid input.
fn mutate(seed: &[u8], edits: &[(Index, u8, u8)]) -> Vec<u8> {
    let mut out = seed.to_vec();
    for (at, byte, how) in edits {
        let i = at.index(out.len() + 1);
        match how % 4 {
            0 if i < out.len() => out[i] = *byte,
            1 => out.insert(i, *byte),
            2 if i < out.len() => {
                out.remove(i);
            }
            // Cut the input short: a truncated answer.
            _ => out.truncate(i),
        }
    }
    out
}

/// Random bytes, mutated seeds and token sequences.
fn inputs(seeds: Vec<Vec<u8>>, tokens: &'static [&'static str]) -> impl Strategy<Value = Vec<u8>> {
    let seeds = if seeds.is_empty() {
        vec![Vec::new()]
    } else {
        seeds
    };
    prop_oneof![
        1 => proptest::collection::vec(any::<u8>(), 0..256),
        2 => (
            select(seeds),
            proptest::collection::vec((any::<Index>(), any::<u8>(), any::<u8>()), 1..8)
        )
            .prop_map(|(seed, edits)| mutate(&seed, &edits)),
        2 => proptest::collection::vec(select(tokens), 0..48)
            .prop_map(|t| t.concat().into_bytes()),
    ]
}

/// Runs `check` on `cases()` inputs; prints the figures for README.
fn fuzz(
    target: &str,
    seeds: Vec<Vec<u8>>,
    tokens: &'static [&'static str],
    check: impl Fn(&[u8]) -> Result<(), String>,
) {
    let cases = cases();
    let config = Config {
        cases,
        failure_persistence: None,
        max_shrink_iters: 2_000,
        ..Config::default()
    };
    // A fixed seed: the recorded run can be repeated input for input.
    let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &[7; 32]);
    let mut runner = TestRunner::new_with_rng(config, rng);
    let started = Instant::now();
    let outcome = runner.run(&inputs(seeds, tokens), |input| {
        check(&input).map_err(|e| {
            TestCaseError::fail(format!("{e}; input {:?}", String::from_utf8_lossy(&input)))
        })
    });
    let secs = started.elapsed().as_secs_f64();
    println!(
        "fuzz {target}: {cases} inputs in {secs:.1} s ({:.0} a second), no panic",
        f64::from(cases) / secs.max(1e-9)
    );
    if let Err(e) = outcome {
        panic!("fuzz {target}: {e}");
    }
}

fn text(input: &[u8]) -> std::borrow::Cow<'_, str> {
    String::from_utf8_lossy(input)
}

fn files(dir: &str, ext: &str) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    if let Ok(entries) = std::fs::read_dir(repo(dir)) {
        for e in entries.flatten() {
            let p = e.path();
            if p.extension().is_some_and(|x| x == ext)
                && let Ok(b) = std::fs::read(&p)
            {
                out.push(b);
            }
        }
    }
    assert!(!out.is_empty(), "no {ext} seeds in {dir}");
    out
}

fn seeds(list: &[&str]) -> Vec<Vec<u8>> {
    list.iter().map(|s| s.as_bytes().to_vec()).collect()
}

const JSON_TOKENS: &[&str] = &[
    "{",
    "}",
    "[",
    "]",
    ",",
    ":",
    "\"",
    " ",
    "null",
    "true",
    "false",
    "0",
    "-1",
    "1e400",
    "18446744073709551616",
    "3.5",
    "\"type\"",
    "\"hello\"",
    "\"\\u0000\"",
    "\"\\ud800\"",
];

#[test]
fn protocol_messages() {
    use arena_agents::protocol::{Role, max_message_bytes, parse_client_message};
    const TOKENS: &[&str] = &[
        "{",
        "}",
        "[",
        "]",
        ",",
        ":",
        "\"type\":",
        "\"hello\"",
        "\"role\":",
        "\"agent\"",
        "\"spectator\"",
        "\"admin\"",
        "\"token\":",
        "\"protocol_version\":",
        "1",
        "0",
        "-1",
        "1e999",
        "\"submit\"",
        "\"round\":",
        "\"codebase\":",
        "\"files\":",
        "\"practice\"",
        "\"opponent\":",
        "\"sims\":",
        "\"subscribe\"",
        "\"game_id\":",
        "\"seek\"",
        "\"turn\":",
        "\"speed\"",
        "\"factor\":",
        "\"create_tournament\"",
        "\"config_toml\":",
        "\"x\"",
        "null",
        "\"replay\"",
        "\"match_id\":",
        "\"resync\"",
        "\"from_version\":",
        "\"../a\"",
        "\"\\u0000\"",
    ];
    let seeds = seeds(&[
        r#"{"type":"hello","role":"agent","token":"abc","protocol_version":1}"#,
        r#"{"type":"submit","round":1,"codebase":{"files":{"warrior.red":"MOV 0, 1"}}}"#,
        r#"{"type":"practice","opponent":"bob","sims":5}"#,
        r#"{"type":"subscribe","game_id":3}"#,
        r#"{"type":"speed","factor":2.0}"#,
        r#"{"type":"seek","turn":4}"#,
        r#"{"type":"resync","game_id":1,"from_version":2}"#,
        r#"{"type":"create_tournament","config_toml":"name = \"x\""}"#,
        r#"{"type":"register_agent","tournament":1,"player":"alice"}"#,
        r#"{"type":"get_codebase","player":"alice","round":2}"#,
    ]);
    fuzz("protocol", seeds, TOKENS, |input| {
        let text = text(input);
        for role in [
            None,
            Some(Role::Agent),
            Some(Role::Spectator),
            Some(Role::Admin),
        ] {
            if let Err(e) = parse_client_message(&text, role, max_message_bytes(role))
                && e.message.is_empty()
            {
                return Err(format!("{} without a message", e.code.as_str()));
            }
        }
        Ok(())
    });
}

#[test]
fn tournament_config() {
    const TOKENS: &[&str] = &[
        "name = ",
        "game = ",
        "\"corewar\"",
        "\"battlesnake\"",
        "\"gomoku\"",
        "\"halite\"",
        "\"robotrumble\"",
        "rounds = ",
        "sims = ",
        "seed = ",
        "0",
        "1",
        "-1",
        "4294967296",
        "99999999999999999999",
        "\n",
        "[[players]]\n",
        "codebase = ",
        "\"examples/x\"",
        "agent = ",
        "\"remote\"",
        "[battlesnake]\n",
        "[corewar]\n",
        "timeout_ms = ",
        "true",
        "transparent = ",
        "[",
        "]",
        "\"",
        "'",
        "=",
        "#",
        "{",
        "}",
        "1.5",
        "nan",
        "inf",
    ];
    fuzz(
        "config",
        files("examples/tournaments", "toml"),
        TOKENS,
        |input| match arena::config::TournamentConfig::parse(&text(input)) {
            Err(e) if e.to_string().is_empty() => Err("a refusal without a message".into()),
            _ => Ok(()),
        },
    );
}

#[test]
fn redcode_assembler() {
    use arena_games::corewar::Settings;
    use arena_games::corewar::assembler::assemble_bytes;
    const TOKENS: &[&str] = &[
        "MOV",
        "DAT",
        "ADD",
        "SUB",
        "MUL",
        "DIV",
        "MOD",
        "JMP",
        "JMZ",
        "JMN",
        "DJN",
        "SPL",
        "SLT",
        "CMP",
        "SEQ",
        "SNE",
        "NOP",
        "LDP",
        "STP",
        ".A",
        ".B",
        ".AB",
        ".BA",
        ".F",
        ".X",
        ".I",
        " ",
        "#",
        "$",
        "@",
        "<",
        ">",
        "*",
        "{",
        "}",
        ",",
        "0",
        "1",
        "-1",
        "8000",
        "2147483648",
        "(",
        ")",
        "+",
        "-",
        "/",
        "%",
        "\n",
        ";redcode-94\n",
        ";name x\n",
        "ORG ",
        "END",
        "EQU ",
        "FOR ",
        "ROF",
        "CURLINE",
        "CORESIZE",
        "start",
        "x",
        "&",
        "=",
        "!",
        "|",
        ":",
        ";assert ",
        "PIN ",
        "x EQU x\n",
    ];
    let settings = Settings::default();
    fuzz(
        "redcode",
        files("examples/corewar", "red"),
        TOKENS,
        |input| match assemble_bytes(input, &settings) {
            Err(e) if e.diagnostics.is_empty() => Err("refused without a diagnostic".into()),
            _ => Ok(()),
        },
    );
}

#[test]
fn battlesnake_move_answers() {
    use arena_games::battlesnake::api::RawMoveResponse;
    let seeds = seeds(&[
        r#"{"move":"up","shout":"hi"}"#,
        r#"{"move":"left"}"#,
        r#"{"shout":""}"#,
    ]);
    fuzz("battlesnake", seeds, JSON_TOKENS, |input| {
        // An unreadable body and a move that is none of the four are the
        // documented refusals (the snake moves on as it was going).
        if let Ok(answer) = serde_json::from_slice::<RawMoveResponse>(input) {
            let _ = answer.parsed();
        }
        Ok(())
    });
}

#[test]
fn gomoku_answers() {
    use arena_games::gomoku::api::{ForfeitReason, GomokuAction, parse_answer};
    let seeds = seeds(&[
        r#"{"move":[7,7]}"#,
        r#"{"move":[0,14],"note":"x"}"#,
        r#"{"error":{"kind":"timeout","message":"slow"}}"#,
    ]);
    fuzz("gomoku", seeds, JSON_TOKENS, |input| {
        let Ok(answer) = serde_json::from_slice::<Value>(input) else {
            return Ok(());
        };
        match parse_answer(&answer) {
            GomokuAction::Forfeit(ForfeitReason::Malformed { message }) if message.is_empty() => {
                Err("a malformed answer without a message".into())
            }
            _ => Ok(()),
        }
    });
}

#[test]
fn halite_moves() {
    use arena_games::halite::Map;
    use arena_games::halite::protocol::parse_moves;
    const TOKENS: &[&str] = &[
        "0",
        "1",
        "2",
        "3",
        "4",
        "5",
        "19",
        "20",
        "65535",
        "65536",
        "2147483647",
        "2147483648",
        "99999999999999999999",
        " ",
        "  ",
        "\r",
        "-",
        "x",
        "\n",
    ];
    let map = Map::generate(20, 20, 2, 42).expect("a map");
    let seeds = seeds(&["0 0 1 1 0 2", "19 19 4", "", "3 4 0 3 4 1"]);
    fuzz("halite", seeds, TOKENS, |input| {
        match parse_moves(&text(input), &map) {
            Ok(moves) => {
                if let Some((at, _)) = moves
                    .iter()
                    .find(|(l, _)| l.x >= map.width || l.y >= map.height)
                {
                    return Err(format!("a move off the map at {at:?}"));
                }
                Ok(())
            }
            Err(_) => Ok(()),
        }
    });
}

#[test]
fn robotrumble_answers() {
    use arena_games::robotrumble::{RumbleAnswer, team_action};
    const TOKENS: &[&str] = &[
        "{",
        "}",
        "[",
        "]",
        ",",
        ":",
        "\"Ok\"",
        "\"Err\"",
        "\"robot_actions\"",
        "\"logs\"",
        "\"type\"",
        "\"Move\"",
        "\"Attack\"",
        "\"Heal\"",
        "\"direction\"",
        "\"North\"",
        "\"South\"",
        "\"East\"",
        "\"West\"",
        "\"1\"",
        "\"x\"",
        "\"-1\"",
        "null",
        "\"InitError\"",
        "\"summary\"",
        "\"details\"",
        "\"debug_table\"",
        "\"debug_locate\"",
        "1",
        "\"\"",
    ];
    let seeds = seeds(&[
        r#"{"Ok":{"robot_actions":{"1":{"Ok":{"type":"Move","direction":"North"}},"2":{"Ok":null}},"logs":[]}}"#,
        r#"{"Ok":{"robot_actions":{"3":{"Err":{"summary":"boom"}}}}}"#,
        r#"{"Err":{"InitError":{"summary":"no robot"}}}"#,
    ]);
    fuzz("robotrumble", seeds, TOKENS, |input| {
        let Ok(answer) = serde_json::from_slice::<RumbleAnswer>(input) else {
            return Ok(());
        };
        match team_action(answer) {
            Err(e) if e.is_empty() => Err("refused without a message".into()),
            _ => Ok(()),
        }
    });
}
