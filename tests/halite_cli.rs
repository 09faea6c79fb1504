//! `arena halite` against the official environment's command line: the
//! cases of `tests/data/halite/cli.txt`, recorded from the environment by
//! `tools/record-halite-cli.sh` (its stdout, exit status, the `.hlt`'s
//! sha256, the log files), and, when `HALITE` names the environment's binary
//! (`tools/build-halite.sh`; `.ci/run` builds it), the same cases run live
//! through both, stdout and `.hlt` bytes compared.
//!
//! Normalised before comparing: the unix-time id in the replay's and logs'
//! names (`ID`), the bots' folder (`BOTS/`), and in verbose mode the order of
//! the init lines (the environment prints them from one thread per bot, in
//! whatever order they finish; the lines themselves must match).

use std::path::{Path, PathBuf};
use std::process::Command;

use sha2::{Digest, Sha256};

use crate::util;

struct Case {
    name: String,
    replays: bool,
    args: String,
}

fn cases() -> Vec<Case> {
    let text = std::fs::read_to_string(util::data("halite/cli.txt")).expect("cli.txt");
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let f: Vec<&str> = l.splitn(3, '|').map(str::trim).collect();
            Case {
                name: f[0].to_string(),
                replays: f[1] == "yes",
                args: f[2].to_string(),
            }
        })
        .collect()
}

/// The bots, compiled once.
struct Bots {
    dir: tempfile::TempDir,
}

impl Bots {
    fn build() -> Bots {
        let dir = tempfile::tempdir().expect("a folder");
        let cc = |src: &Path, out: &str| {
            let st = Command::new("cc")
                .arg("-O2")
                .arg("-o")
                .arg(dir.path().join(out))
                .arg(src)
                .arg("-lm")
                .status()
                .expect("cc runs");
            assert!(st.success(), "cc {}", src.display());
        };
        cc(&util::data("halite/bots/fuzzbot.c"), "fuzzbot");
        cc(&util::repo("examples/halite/c/main.c"), "cbot");
        std::fs::copy(
            util::repo("examples/halite/python/main.py"),
            dir.path().join("pybot.py"),
        )
        .expect("copy");
        Bots { dir }
    }

    fn path(&self) -> String {
        format!("{}/", self.dir.path().display())
    }
}

/// What one run left: stdout (normalised), exit status, the `.hlt`'s bytes,
/// the log files' names (normalised).
struct Ran {
    stdout: String,
    code: i32,
    hlt: Option<Vec<u8>>,
    logs: Vec<String>,
}

/// Runs `program` (the environment, or `arena halite`) on a case in a fresh
/// folder, through `sh` so the arguments split as the recording script's.
fn run(program: &str, case: &Case, bots: &Bots) -> Ran {
    let work = tempfile::tempdir().expect("a folder");
    std::fs::create_dir(work.path().join("sub")).expect("sub");
    if case.replays {
        std::fs::create_dir(work.path().join("Replays")).expect("Replays");
    }
    let b = bots.path();
    let out = Command::new("sh")
        .arg("-c")
        .arg(format!("{program} {}", case.args))
        .current_dir(work.path())
        .env("CBOT", format!("{b}cbot"))
        .env("FUZZ", format!("{b}fuzzbot"))
        .env("PYBOT", format!("python3 {b}pybot.py"))
        .output()
        .expect("sh runs");
    let stdout = normalise(&String::from_utf8_lossy(&out.stdout), &b);
    let mut hlt = None;
    let mut logs = Vec::new();
    for dir in [
        work.path().to_path_buf(),
        work.path().join("Replays"),
        work.path().join("sub"),
    ] {
        for e in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            if name.ends_with(".hlt") {
                assert!(hlt.is_none(), "{}: two .hlt files", case.name);
                hlt = Some(std::fs::read(e.path()).expect("read .hlt"));
            } else if name.ends_with(".log") {
                logs.push(normalise(&name, &b));
            }
        }
    }
    logs.sort();
    Ran {
        stdout,
        code: out.status.code().unwrap_or(-1),
        hlt,
        logs,
    }
}

/// The bots' folder as `BOTS/`; the unix-time id in `ID-SEED.hlt` and
/// `TAG-ID.log` as `ID`; in verbose mode, the init lines sorted.
fn normalise(text: &str, bots: &str) -> String {
    let text = text.replace(bots, "BOTS/");
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_ascii_digit() && (i == 0 || !chars[i - 1].is_ascii_digit()) {
            let mut j = i;
            while j < chars.len() && chars[j].is_ascii_digit() {
                j += 1;
            }
            let rest: String = chars[j..chars.len().min(j + 16)].iter().collect();
            let before: String = chars[i.saturating_sub(2)..i].iter().collect();
            let is_id = (9..=10).contains(&(j - i))
                && ((rest.starts_with('-') && {
                    let k = rest[1..].find(|c: char| !c.is_ascii_digit());
                    k.is_some_and(|k| rest[1 + k..].starts_with(".hlt"))
                }) || (rest.starts_with(".log")
                    && before.ends_with('-')
                    && before.starts_with(|c: char| c.is_ascii_digit())));
            if is_id {
                out.push_str("ID");
            } else {
                out.extend(&chars[i..j]);
            }
            i = j;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    // Sort each run of init lines.
    let mut lines: Vec<String> = out.split('\n').map(str::to_string).collect();
    let init = |l: &str| l.starts_with("Init Message ") || l.starts_with("Bot #");
    let mut k = 0;
    while k < lines.len() {
        if lines[k].starts_with("Init Message ") {
            let mut e = k;
            while e < lines.len() && init(&lines[e]) {
                e += 1;
            }
            lines[k..e].sort();
            k = e;
        } else {
            k += 1;
        }
    }
    lines.join("\n")
}

fn sha(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn arena_halite() -> String {
    format!("'{}' halite", env!("CARGO_BIN_EXE_arena"))
}

#[test]
fn the_environments_command_line_recorded() {
    let bots = Bots::build();
    let cases = cases();
    assert!(cases.len() >= 30, "only {} cases", cases.len());
    let dir = util::data("halite/cli");
    let mut bad = Vec::new();
    for case in &cases {
        let want = std::fs::read_to_string(dir.join(format!("{}.out", case.name)))
            .unwrap_or_else(|_| panic!("{}: no recording (tools/record-halite-cli.sh)", case.name));
        let meta = std::fs::read_to_string(dir.join(format!("{}.meta", case.name))).expect("meta");
        let meta: Vec<&str> = meta.lines().collect();
        let got = run(&arena_halite(), case, &bots);
        let want = normalise(&want, "BOTS/");
        if got.stdout != want {
            bad.push(format!(
                "{}: stdout differs\n--- environment\n{want}\n--- arena\n{}",
                case.name, got.stdout
            ));
        }
        if meta[0] != format!("exit {}", got.code) {
            bad.push(format!("{}: {} vs exit {}", case.name, meta[0], got.code));
        }
        let hlt = got.hlt.as_deref().map_or("none".to_string(), sha);
        if meta[1] != format!("hlt {hlt}") {
            bad.push(format!("{}: .hlt {} vs ours {hlt}", case.name, meta[1]));
        }
        let logs = format!(
            "logs {}",
            got.logs.iter().map(|l| format!("{l} ")).collect::<String>()
        );
        if meta[2] != logs {
            bad.push(format!("{}: {} vs ours {logs}", case.name, meta[2]));
        }
    }
    assert!(
        bad.is_empty(),
        "{} of {} cases differ:\n{}",
        bad.len(),
        cases.len(),
        bad.join("\n")
    );
}

/// The live oracle: every case but the slow ones through the environment
/// (`HALITE`) and `arena halite`, compared. Without `HALITE` it checks
/// nothing (CI sets it: `.ci/run` builds the environment).
#[test]
fn the_environment_live() {
    let Some(env) = std::env::var_os("HALITE").map(PathBuf::from) else {
        eprintln!("HALITE is not set: the live comparison with the environment is skipped");
        return;
    };
    let bots = Bots::build();
    let env = format!("'{}'", env.display());
    let mut bad = Vec::new();
    let mut n = 0;
    for case in cases().iter().filter(|c| !c.name.contains("slow")) {
        let theirs = run(&env, case, &bots);
        let ours = run(&arena_halite(), case, &bots);
        n += 1;
        if theirs.stdout != ours.stdout {
            bad.push(format!(
                "{}: stdout differs\n--- environment\n{}\n--- arena\n{}",
                case.name, theirs.stdout, ours.stdout
            ));
        }
        if theirs.code != ours.code || theirs.logs != ours.logs {
            bad.push(format!(
                "{}: exit {} logs {:?} vs exit {} logs {:?}",
                case.name, theirs.code, theirs.logs, ours.code, ours.logs
            ));
        }
        if theirs.hlt != ours.hlt {
            bad.push(format!("{}: the .hlt files differ", case.name));
        }
    }
    assert!(
        bad.is_empty(),
        "{} of {n} cases differ:\n{}",
        bad.len(),
        bad.join("\n")
    );
    eprintln!("{n} cases identical to the environment (stdout, exit, .hlt bytes, log names)");
}
