//! Battle conformance: `arena pmars` must be a byte-for-byte drop-in for
//! pMARS 0.9.2 (built with -DEXT94 -DPERMUTATE -DRWLIMIT).
//!
//! `battles` replays every case of `tests/data/corewar/battles.txt` (recorded
//! with the real pMARS by `tests/data/corewar/regen-battles.sh`) and compares
//! stdout byte for byte and the exit code. All failing cases are reported at
//! the end, not just the first.
//!
//! `live_oracle` is ignored unless asked for (`--ignored live_oracle`), and
//! then needs `PMARS` to name a pMARS binary: it makes fresh
//! random warriors with `tests/data/corewar/gen_random.py` and compares
//! `arena pmars` with that pMARS directly, under three fixed option sets
//! and one drawn at random per case (see `random_options`).
//!
//! Environment:
//! - `ARENA_PMARS_UNDER_TEST=/path/to/binary`: run that binary (with the
//!   same arguments) instead of `arena pmars`. Pointing it at pMARS itself
//!   must make every case pass; that is how the harness is checked.
//! - `ARENA_PMARS_CASES=substring`: only run cases whose name contains it.
//! - `PMARS=/path/to/pmars`, `LIVE_ORACLE_N` (default 20),
//!   `LIVE_ORACLE_SEED` (default 20240601): for `live_oracle`.

use std::ffi::OsString;
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use crate::util;

/// Longest a single case may run before it is killed and counted as failed.
const CASE_TIMEOUT: Duration = Duration::from_secs(120);

/// One recorded pMARS run.
#[derive(Debug, Clone)]
struct Case {
    name: String,
    args: Vec<String>,
    /// File (relative to the fixture directory) fed on stdin; /dev/null if none.
    stdin: Option<String>,
    exit: i32,
    stdout: Vec<u8>,
}

/// What the program under test did.
struct Outcome {
    stdout: Vec<u8>,
    /// `None` when killed by a signal or by the timeout.
    exit: Option<i32>,
    timed_out: bool,
}

fn corewar_dir() -> PathBuf {
    util::data("corewar")
}

// ---------------------------------------------------------------------------
// Fixture parsing

/// Reads one `\n`-terminated line starting at `*pos` and advances past it.
fn line<'a>(data: &'a [u8], pos: &mut usize, what: &str) -> Result<&'a str, String> {
    let rest = &data[*pos..];
    let end = rest
        .iter()
        .position(|&b| b == b'\n')
        .ok_or_else(|| format!("byte {}: unterminated line while reading {what}", *pos))?;
    let text = std::str::from_utf8(&rest[..end])
        .map_err(|e| format!("byte {}: {what} is not UTF-8: {e}", *pos))?;
    *pos += end + 1;
    Ok(text)
}

fn field<'a>(text: &'a str, key: &str, at: usize) -> Result<&'a str, String> {
    text.strip_prefix(key)
        .and_then(|t| t.strip_prefix(' '))
        .ok_or_else(|| format!("byte {at}: expected `{key} ...`, found `{text}`"))
}

/// Parses battles.txt (format documented in regen-battles.sh and README.md).
fn parse_cases(data: &[u8]) -> Result<Vec<Case>, String> {
    let mut cases: Vec<Case> = Vec::new();
    let mut pos = 0;
    while pos < data.len() {
        let at = pos;
        let header = line(data, &mut pos, "case header")?;
        let name = header
            .strip_prefix("%%% case ")
            .ok_or_else(|| format!("byte {at}: expected `%%% case NAME`, found `{header}`"))?
            .to_string();
        let ctx = |e: String| format!("case {name}: {e}");
        let at = pos;
        let args_line = line(data, &mut pos, "args").map_err(ctx)?;
        let args: Vec<String> = field(args_line, "args", at)
            .map_err(ctx)?
            .split(' ')
            .filter(|a| !a.is_empty())
            .map(str::to_string)
            .collect();
        let at = pos;
        let mut next = line(data, &mut pos, "exit").map_err(ctx)?;
        let mut stdin = None;
        if let Some(file) = next.strip_prefix("stdin ") {
            stdin = Some(file.to_string());
            next = line(data, &mut pos, "exit").map_err(ctx)?;
        }
        let exit: i32 = field(next, "exit", at)
            .map_err(ctx)?
            .parse()
            .map_err(|e| ctx(format!("bad exit code: {e}")))?;
        let at = pos;
        let len_line = line(data, &mut pos, "stdout length").map_err(ctx)?;
        let len: usize = field(len_line, "stdout", at)
            .map_err(ctx)?
            .parse()
            .map_err(|e| ctx(format!("bad stdout length: {e}")))?;
        if pos + len + 1 > data.len() || data[pos + len] != b'\n' {
            return Err(ctx(format!(
                "stdout of {len} bytes at byte {pos} is not followed by a newline"
            )));
        }
        let stdout = data[pos..pos + len].to_vec();
        pos += len + 1;
        if cases.iter().any(|c| c.name == name) {
            return Err(format!("duplicate case name {name}"));
        }
        cases.push(Case {
            name,
            args,
            stdin,
            exit,
            stdout,
        });
    }
    Ok(cases)
}

fn load_cases() -> Vec<Case> {
    let path = corewar_dir().join("battles.txt");
    let data = std::fs::read(&path)
        .unwrap_or_else(|e| panic!("cannot read fixture {}: {e}", path.display()));
    parse_cases(&data).unwrap_or_else(|e| panic!("malformed fixture {}: {e}", path.display()))
}

// ---------------------------------------------------------------------------
// Running

/// The program under test: `arena pmars`, or `$ARENA_PMARS_UNDER_TEST`.
fn under_test() -> (Command, String) {
    match std::env::var_os("ARENA_PMARS_UNDER_TEST") {
        Some(bin) if !bin.is_empty() => {
            let label = bin.to_string_lossy().into_owned();
            (Command::new(bin), label)
        }
        _ => {
            let mut cmd = util::arena();
            cmd.arg("pmars");
            (cmd, "arena pmars".to_string())
        }
    }
}

/// Runs `cmd args` in `cwd` with `stdin` (or /dev/null), capturing stdout,
/// discarding stderr, killing it after `CASE_TIMEOUT`.
fn run(
    mut cmd: Command,
    args: &[OsString],
    cwd: &Path,
    stdin: Option<&Path>,
) -> Result<Outcome, String> {
    let stdin = match stdin {
        Some(p) => Stdio::from(
            File::open(cwd.join(p))
                .map_err(|e| format!("cannot open stdin {}: {e}", p.display()))?,
        ),
        None => Stdio::null(),
    };
    let mut child = cmd
        .args(args)
        .current_dir(cwd)
        .stdin(stdin)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot start {cmd:?}: {e}"))?;
    let mut pipe = child.stdout.take().expect("stdout was piped");
    let reader = thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = pipe.read_to_end(&mut buf);
        buf
    });
    let deadline = Instant::now() + CASE_TIMEOUT;
    let mut timed_out = false;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) if Instant::now() >= deadline => {
                timed_out = true;
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            Ok(None) => thread::sleep(Duration::from_millis(2)),
            Err(e) => return Err(format!("waiting for the child failed: {e}")),
        }
    };
    let stdout = reader.join().map_err(|_| "stdout reader panicked")?;
    Ok(Outcome {
        stdout,
        exit: status.and_then(|s| s.code()),
        timed_out,
    })
}

fn clip(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    let mut s: String = text.chars().take(160).collect();
    if text.chars().count() > 160 {
        s.push('…');
    }
    format!("{s:?}")
}

/// A short description of how `actual` differs from `expected`, or `None`.
fn compare(expected_out: &[u8], expected_exit: i32, got: &Outcome) -> Option<String> {
    let mut problems = Vec::new();
    if got.timed_out {
        problems.push(format!("timed out after {}s", CASE_TIMEOUT.as_secs()));
    }
    if got.exit != Some(expected_exit) {
        problems.push(format!(
            "exit code: expected {expected_exit}, got {}",
            got.exit.map_or_else(
                || "none (killed by a signal)".to_string(),
                |c| c.to_string()
            )
        ));
    }
    if expected_out != got.stdout.as_slice() {
        let exp: Vec<&[u8]> = expected_out.split(|&b| b == b'\n').collect();
        let act: Vec<&[u8]> = got.stdout.split(|&b| b == b'\n').collect();
        let i = exp
            .iter()
            .zip(act.iter())
            .position(|(e, a)| e != a)
            .unwrap_or_else(|| exp.len().min(act.len()));
        let show = |v: &[&[u8]]| {
            v.get(i)
                .map_or_else(|| "<end of output>".to_string(), |l| clip(l))
        };
        problems.push(format!(
            "stdout differs ({} bytes expected, {} got) at line {}:\n      expected: {}\n      actual:   {}",
            expected_out.len(),
            got.stdout.len(),
            i + 1,
            show(&exp),
            show(&act),
        ));
    }
    if problems.is_empty() {
        None
    } else {
        Some(problems.join("\n    "))
    }
}

/// Runs `jobs` on a few worker threads; returns the failure reports of those
/// that failed, in job order.
fn run_parallel<T: Sync>(jobs: &[T], work: impl Fn(&T) -> Option<String> + Sync) -> Vec<String> {
    let next = AtomicUsize::new(0);
    let failures = Mutex::new(Vec::new());
    let workers = thread::available_parallelism()
        .map_or(2, |n| n.get())
        .clamp(1, 4);
    thread::scope(|s| {
        for _ in 0..workers {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(job) = jobs.get(i) else { break };
                    if let Some(report) = work(job) {
                        failures
                            .lock()
                            .expect("failure list poisoned")
                            .push((i, report));
                    }
                }
            });
        }
    });
    let mut failures = failures.into_inner().expect("failure list poisoned");
    failures.sort_by_key(|(i, _)| *i);
    failures.into_iter().map(|(_, r)| r).collect()
}

// ---------------------------------------------------------------------------
// Tests

#[test]
fn fixture_parses_and_is_sane() {
    let cases = load_cases();
    assert!(
        cases.len() >= 300,
        "only {} cases in battles.txt",
        cases.len()
    );
    for c in &cases {
        assert!(!c.args.is_empty(), "case {} has no arguments", c.name);
        // Without -F N (N > 0) or -f, pMARS seeds its RNG from time(): such
        // a fixture could never be reproduced. Failing runs, -r 0 and runs
        // whose options come from a -@ file are exempt from this check.
        let pair = |flag: &str, ok: &dyn Fn(&str) -> bool| {
            c.args.windows(2).any(|w| w[0] == flag && ok(&w[1]))
        };
        let fixed = pair("-F", &|v| v != "0");
        let no_rounds = pair("-r", &|v| v == "0");
        let checksum = c.args.iter().any(|a| {
            a.len() > 1
                && a.starts_with('-')
                && a[1..].bytes().all(|b| b.is_ascii_alphanumeric())
                && a.contains('f')
        });
        let from_file = c.args.iter().any(|a| a.starts_with("-@"));
        assert!(
            fixed || checksum || no_rounds || from_file || c.exit != 0,
            "case {} has neither -F N nor -f: its placements would depend on the time",
            c.name
        );
    }
}

#[test]
fn battles() {
    let dir = corewar_dir();
    let filter = std::env::var("ARENA_PMARS_CASES").unwrap_or_default();
    let cases: Vec<Case> = load_cases()
        .into_iter()
        .filter(|c| c.name.contains(&filter))
        .collect();
    assert!(
        !cases.is_empty(),
        "no case matches ARENA_PMARS_CASES={filter:?}"
    );
    let (_, label) = under_test();
    let started = Instant::now();
    let failures = run_parallel(&cases, |case| {
        let (cmd, _) = under_test();
        let args: Vec<OsString> = case.args.iter().map(OsString::from).collect();
        let outcome = match run(cmd, &args, &dir, case.stdin.as_deref().map(Path::new)) {
            Ok(o) => o,
            Err(e) => return Some(format!("case {}: {e}", case.name)),
        };
        compare(&case.stdout, case.exit, &outcome).map(|why| {
            let stdin = case
                .stdin
                .as_deref()
                .map_or_else(String::new, |f| format!(" < {f}"));
            format!(
                "case {}\n    args: {}{stdin}\n    {why}",
                case.name,
                case.args.join(" ")
            )
        })
    });
    eprintln!(
        "corewar battles: {} cases against `{label}` in {:.1}s, {} failed",
        cases.len(),
        started.elapsed().as_secs_f64(),
        failures.len()
    );
    if !failures.is_empty() {
        panic!(
            "{} of {} pMARS battle cases failed against `{label}` (cwd {}):\n\n{}\n\n{} of {} cases failed",
            failures.len(),
            cases.len(),
            dir.display(),
            failures.join("\n\n"),
            failures.len(),
            cases.len()
        );
    }
}

/// Generates `count` warriors with gen_random.py into `out`, named
/// `PREFIX001.red`... from `seed`, `seed+1`, ...
fn generate(seed: u64, count: usize, out: &Path, prefix: &str) {
    let script = corewar_dir().join("gen_random.py");
    let status = Command::new("python3")
        .arg(&script)
        .args(["--seed", &seed.to_string(), "--count", &count.to_string()])
        .arg("--out")
        .arg(out)
        .args(["--prefix", prefix])
        .status()
        .unwrap_or_else(|e| panic!("cannot run python3 {}: {e}", script.display()));
    assert!(status.success(), "gen_random.py failed: {status}");
}

#[test]
#[ignore = "needs pMARS: PMARS=$(bash tools/build-pmars.sh) cargo test -- --ignored live_oracle"]
fn live_oracle() {
    let pmars = std::env::var_os("PMARS").filter(|p| !p.is_empty()).expect(
        "set PMARS=/path/to/pmars (tools/build-pmars.sh builds it) to compare against a live pMARS",
    );
    let pmars = PathBuf::from(pmars);
    assert!(pmars.is_file(), "PMARS={} is not a file", pmars.display());
    let n: u64 = std::env::var("LIVE_ORACLE_N")
        .ok()
        .map(|v| v.parse().expect("LIVE_ORACLE_N must be a number"))
        .unwrap_or(20);
    let base: u64 = std::env::var("LIVE_ORACLE_SEED")
        .ok()
        .map(|v| v.parse().expect("LIVE_ORACLE_SEED must be a number"))
        .unwrap_or(20_240_601);

    let work = std::env::temp_dir().join(format!("arena-live-oracle-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(&work).expect("cannot create the live oracle work directory");

    // (name, cwd, args)
    let mut jobs: Vec<(String, PathBuf, Vec<OsString>)> = Vec::new();
    let os = |v: &[&str]| v.iter().map(OsString::from).collect::<Vec<_>>();
    for case in 0..n {
        let prefix = format!("c{case}-");
        generate(base + case * 16, 3, &work, &prefix);
        let w = |k: usize| format!("{prefix}{k:03}.red");
        let sets: [(&str, Vec<OsString>); 3] = [
            ("duel-b-r50-f", os(&["-b", "-r", "50", "-f", &w(1), &w(2)])),
            (
                "duel-k-r20-F1234",
                os(&["-k", "-r", "20", "-F", "1234", &w(1), &w(2)]),
            ),
            (
                "melee-b-r10-f",
                os(&["-b", "-r", "10", "-f", &w(1), &w(2), &w(3)]),
            ),
        ];
        for (tag, args) in sets {
            jobs.push((format!("random case {case} {tag}"), work.clone(), args));
        }
        let args = random_options(base + case, &w);
        jobs.push((
            format!("random case {case} random options"),
            work.clone(),
            args,
        ));
    }
    let validate = pmars
        .parent()
        .map(|d| d.join("warriors").join("validate.red"))
        .filter(|p| p.is_file());
    match &validate {
        Some(v) => {
            let v = v.as_os_str().to_owned();
            let mut add = |tag: &str, mut args: Vec<OsString>, opponent: Option<&str>| {
                args.push(v.clone());
                if let Some(o) = opponent {
                    args.push(OsString::from(o));
                }
                jobs.push((format!("validate.red {tag}"), corewar_dir(), args));
            };
            add("listing -r 1 -F 1000", os(&["-r", "1", "-F", "1000"]), None);
            add("-b -k -r 3 -f", os(&["-b", "-k", "-r", "3", "-f"]), None);
            add(
                "vs dwarf -b -r 10 -f",
                os(&["-b", "-r", "10", "-f"]),
                Some("warriors/dwarf.red"),
            );
            add(
                "-8 vs dwarf88 -r 5 -F 2000",
                os(&["-8", "-r", "5", "-F", "2000"]),
                Some("warriors/dwarf88.red"),
            );
        }
        None => {
            println!("live_oracle: no warriors/validate.red beside PMARS, that case is skipped")
        }
    }

    let failures = run_parallel(&jobs, |(name, cwd, args)| {
        let want = match run(Command::new(&pmars), args, cwd, None) {
            Ok(o) => o,
            Err(e) => return Some(format!("{name}: pMARS: {e}")),
        };
        if want.timed_out && name.ends_with("random options") {
            // A melee whose count steps past 0 can run pMARS for 2^64
            // cycles; there is nothing to compare.
            println!("live_oracle: {name}: pMARS did not finish; skipped");
            return None;
        }
        let Some(want_exit) = want.exit else {
            return Some(format!("{name}: pMARS itself did not exit normally"));
        };
        let (cmd, _) = under_test();
        let got = match run(cmd, args, cwd, None) {
            Ok(o) => o,
            Err(e) => return Some(format!("{name}: {e}")),
        };
        let shown: Vec<String> = args
            .iter()
            .map(|a| a.to_string_lossy().into_owned())
            .collect();
        compare(&want.stdout, want_exit, &got)
            .map(|why| format!("{name}\n    args: {}\n    {why}", shown.join(" ")))
    });
    let total = jobs.len();
    if failures.is_empty() {
        let _ = std::fs::remove_dir_all(&work);
        println!("live_oracle: {total} runs agree with {}", pmars.display());
    } else {
        panic!(
            "{} of {total} live oracle runs differ from {} (warriors kept in {}):\n\n{}",
            failures.len(),
            pmars.display(),
            work.display(),
            failures.join("\n\n")
        );
    }
}

/// A pMARS command line drawn from `seed` for two or three of a case's
/// warriors (`w(1)`...): rounds, core size, cycles, processes, P-space,
/// `-P`, `-o`, the output form and the placement, each option present or
/// not. Melees keep the default cycles, so that a count stepping past 0
/// (which can run pMARS for ever) stays unlikely.
fn random_options(seed: u64, w: &dyn Fn(usize) -> String) -> Vec<OsString> {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut pick = |n: usize| {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        (x % n as u64) as usize
    };
    let melee = pick(3) == 0;
    let size = [8000, 800, 1234, 8192][pick(4)];
    let mut args: Vec<String> = vec!["-r".into(), ["1", "2", "5", "17", "50"][pick(5)].into()];
    args.extend(["-s".into(), size.to_string()]);
    if !melee && pick(2) == 0 {
        args.extend(["-c".into(), ["1", "10", "100", "1000"][pick(4)].into()]);
    }
    if pick(3) == 0 {
        args.extend(["-p".into(), ["1", "2", "3", "16", "64"][pick(5)].into()]);
    }
    if pick(3) == 0 {
        args.extend(["-S".into(), ["1", "2", "7", "100"][pick(4)].into()]);
    }
    if !melee && pick(5) == 0 {
        args.push("-P".into());
    }
    if pick(4) == 0 {
        args.push("-o".into());
    }
    args.push(["-b", "-k", "-bk"][pick(3)].into());
    if pick(2) == 0 {
        args.extend(["-F".into(), pick(2 * size).to_string()]);
    } else {
        args.push("-f".into());
    }
    let warriors = if melee { 3 } else { 2 };
    args.extend((1..=warriors).map(w));
    args.into_iter().map(OsString::from).collect()
}

/// `arena bench corewar` against a live pMARS: a row for every pair, the
/// long battle, and the outputs checked equal.
#[test]
fn bench_corewar_prints_every_battle() {
    let Some(pmars) = std::env::var_os("PMARS").filter(|p| !p.is_empty()) else {
        println!("bench_corewar skipped: set PMARS=/path/to/pmars");
        return;
    };
    let w = corewar_dir().join("warriors");
    let out = util::arena()
        .args(["bench", "corewar", "--rounds", "3", "--long-rounds", "4"])
        .args(["--repeat", "2", "--pmars"])
        .arg(&pmars)
        .args([
            w.join("dwarf.red"),
            w.join("imp.red"),
            w.join("paper-loop.red"),
        ])
        .output()
        .expect("cannot run arena bench corewar");
    let text = util::stdout_of_success(&out);
    for battle in [
        "dwarf.red vs imp.red",
        "dwarf.red vs paper-loop.red",
        "imp.red vs paper-loop.red",
    ] {
        let row = text
            .lines()
            .find(|l| l.starts_with(battle))
            .unwrap_or_else(|| panic!("no row for {battle}:\n{text}"));
        // pMARS s, 1 core s, ratio, lowest-highest ratio of the runs,
        // all cores s, ratio.
        let cells: Vec<&str> = row[battle.len()..].split_whitespace().collect();
        assert_eq!(cells.len(), 6, "{row}");
        for c in [cells[0], cells[1], cells[4]] {
            assert!(c.parse::<f64>().is_ok_and(|s| s > 0.0), "{row}");
        }
        let ratio = |c: &str| c.strip_suffix('x').and_then(|r| r.parse::<f64>().ok());
        assert!(ratio(cells[5]).is_some(), "{row}");
        let median = ratio(cells[2]).unwrap_or_else(|| panic!("no ratio: {row}"));
        let (low, high) = cells[3]
            .split_once('-')
            .and_then(|(l, h)| Some((l.parse::<f64>().ok()?, h.parse::<f64>().ok()?)))
            .unwrap_or_else(|| panic!("no range of runs: {row}"));
        // Rounded to two places each, so compare with that slack.
        assert!(low <= median + 0.01 && median <= high + 0.01, "{row}");
    }
    assert!(text.contains("all 3 pairs: pMARS"), "{text}");
    assert!(text.contains("One long battle, 4 rounds:"), "{text}");
    assert!(
        text.contains("Outputs identical to pMARS for every battle."),
        "{text}"
    );
}

/// A reference whose output differs stops the bench with both outputs,
/// instead of timing battles that did not agree.
#[test]
fn bench_corewar_refuses_a_reference_that_disagrees() {
    let dir = tempfile::tempdir().expect("tempdir");
    let fake = dir.path().join("pmars");
    std::fs::write(&fake, "#!/bin/sh\necho 'Results: 0 0 0'\n").expect("write fake pmars");
    std::fs::set_permissions(&fake, std::os::unix::fs::PermissionsExt::from_mode(0o755))
        .expect("chmod");
    let w = corewar_dir().join("warriors");
    let out = util::arena()
        .args([
            "bench", "corewar", "--rounds", "2", "--repeat", "1", "--pmars",
        ])
        .arg(&fake)
        .args([w.join("dwarf.red"), w.join("imp.red")])
        .output()
        .expect("cannot run arena bench corewar");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(err.contains("outputs differ for"), "{err}");
    assert!(err.contains("Results: 0 0 0"), "{err}");
}
