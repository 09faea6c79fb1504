//! Each game's codebase contract: which files a codebase must have and how
//! its bot is started, checked before a codebase may play, with a reason a
//! person can act on when it may not.

use serde::Deserialize;

use arena_games::corewar::assembler;
use arena_games::corewar::{Settings, Warrior};

use crate::codebase::Snapshot;

/// A codebase that passed its game's contract, ready to play.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Entry {
    /// Core War: the assembled warrior (pure data, nothing to run).
    Warrior(Warrior),
    /// A program: how to start it and how to talk to it.
    Program(Launch),
}

/// How to start a bot program.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Launch {
    /// The command and its arguments, run in the codebase's private copy.
    pub command: Vec<String>,
    pub protocol: Protocol,
}

/// How the arena talks to a bot program.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Protocol {
    /// One JSON object per line on stdin, one answer per line on stdout.
    Stdio,
    /// The game's HTTP API on `$PORT` (Battlesnake's webhooks).
    Http,
    /// Raw text lines in the game's own protocol (Halite I's).
    Lines,
}

/// Why a codebase may not play.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("codebase rejected: {0}")]
pub struct Rejection(pub String);

/// `arena.toml`: how a program codebase says what to run.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Manifest {
    command: Vec<String>,
    protocol: Protocol,
}

/// The manifest file a program codebase may carry.
pub const MANIFEST: &str = "arena.toml";
/// The warrior file of a Core War codebase.
pub const WARRIOR: &str = "warrior.red";

/// Core War: `warrior.red`, which must assemble under these settings.
pub fn corewar(snapshot: &Snapshot, settings: &Settings) -> Result<Entry, Rejection> {
    let source = snapshot.get(WARRIOR).ok_or_else(|| {
        Rejection(format!(
            "no {WARRIOR}: a Core War codebase holds its warrior in {WARRIOR} (ICWS'94 Redcode, as pMARS 0.9 reads it)"
        ))
    })?;
    match assembler::assemble_bytes(source, settings) {
        Ok(assembly) => Ok(Entry::Warrior(assembly.warrior)),
        Err(e) => {
            let first = e
                .errors()
                .next()
                .map(|d| {
                    let line = d.line.map(|l| format!(" line {l}")).unwrap_or_default();
                    format!("{WARRIOR}{line}: {}", d.message)
                })
                .unwrap_or_else(|| format!("{WARRIOR}: {}", e.to_string().trim()));
            Err(Rejection(first))
        }
    }
}

/// A program bot (BattleSnake and the other program games): `arena.toml`
/// with `command` and `protocol`, or else a `main.py` that serves the
/// game's HTTP API on `$PORT`, as CodeClash's and the official Python
/// starters do.
pub fn program(snapshot: &Snapshot) -> Result<Entry, Rejection> {
    if let Some(text) = snapshot.get(MANIFEST) {
        let text = std::str::from_utf8(text)
            .map_err(|_| Rejection(format!("{MANIFEST} is not UTF-8 text")))?;
        let manifest: Manifest = toml::from_str(text).map_err(|e| {
            Rejection(format!(
                "{MANIFEST}: {}; it takes command = [\"program\", \"arg\", ...] and protocol = \"http\" or \"stdio\"",
                e.message()
            ))
        })?;
        if manifest.command.is_empty() || manifest.command[0].trim().is_empty() {
            return Err(Rejection(format!(
                "{MANIFEST}: command is empty; name the program to run, e.g. command = [\"python3\", \"bot.py\"]"
            )));
        }
        return Ok(Entry::Program(Launch {
            command: manifest.command,
            protocol: manifest.protocol,
        }));
    }
    if snapshot.get("main.py").is_some() {
        return Ok(Entry::Program(Launch {
            command: vec!["python3".into(), "main.py".into()],
            protocol: Protocol::Http,
        }));
    }
    Err(Rejection(format!(
        "no main.py and no {MANIFEST}: add main.py (an HTTP server for the game's API on $PORT) or {MANIFEST} with command = [...] and protocol = \"http\" or \"stdio\""
    )))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codebase::File;
    use std::collections::BTreeMap;

    fn snap(files: &[(&str, &str)]) -> Snapshot {
        Snapshot::from_files(
            files
                .iter()
                .map(|(p, c)| {
                    (
                        p.to_string(),
                        File {
                            bytes: c.as_bytes().to_vec(),
                            executable: false,
                        },
                    )
                })
                .collect::<BTreeMap<_, _>>(),
        )
    }

    #[test]
    fn warrior_must_exist_and_assemble() {
        let s = Settings::default();
        let ok = snap(&[(WARRIOR, ";redcode-94\n;assert 1\nimp mov.i 0, 1\nend imp\n")]);
        assert!(matches!(corewar(&ok, &s), Ok(Entry::Warrior(w)) if w.code.len() == 1));
        let missing = corewar(&snap(&[]), &s).expect_err("no warrior");
        assert!(missing.0.contains("warrior.red"), "{missing}");
        let bad = snap(&[(WARRIOR, ";redcode-94\n;assert 1\nstart MOVE 0, 1\n")]);
        let err = corewar(&bad, &s).expect_err("bad opcode");
        assert!(err.to_string().contains("warrior.red line 3"), "{err}");
    }

    #[test]
    fn programs_start_from_a_manifest_or_main_py() {
        let m = snap(&[(MANIFEST, "command = [\"./bot\"]\nprotocol = \"stdio\"\n")]);
        assert_eq!(
            program(&m),
            Ok(Entry::Program(Launch {
                command: vec!["./bot".into()],
                protocol: Protocol::Stdio
            }))
        );
        let py = snap(&[("main.py", "")]);
        assert!(matches!(program(&py), Ok(Entry::Program(l)) if l.protocol == Protocol::Http));
        let bad = snap(&[(MANIFEST, "command = \"./bot\"\n")]);
        let err = program(&bad).expect_err("bad manifest");
        assert!(err.0.contains("arena.toml"), "{err}");
        assert!(program(&snap(&[("README", "")])).is_err());
    }
}
