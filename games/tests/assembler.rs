//! Conformance of the Redcode assembler with pMARS 0.9.2.
//!
//! Every `tests/data/corewar/asm/NAME.red` was run through pMARS by
//! `tests/data/corewar/regen-asm.sh` (`pmars -r 0 [NAME.args] NAME.red`);
//! its stdout (the listing) is in `NAME.listing` and its stderr (errors and
//! warnings) in `NAME.stderr`. We must print the same bytes.

use std::fs;
use std::path::{Path, PathBuf};

use arena_games::corewar::Settings;
use arena_games::corewar::assembler::{
    Registers, assemble, assemble_bytes, assemble_with_registers,
};

/// The committed fixtures, or `ASM_FIXTURES` (e.g. a scratch directory of
/// generated warriors run through the same regeneration script).
fn fixture_dir() -> PathBuf {
    match std::env::var_os("ASM_FIXTURES") {
        Some(dir) => PathBuf::from(dir),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/data/corewar/asm"),
    }
}

/// The settings pMARS derives from `-r 0` and the given flags, for one warrior.
fn settings_from_args(args: &str) -> Settings {
    let mut s = Settings {
        rounds: 0,
        warriors: 1,
        ..Settings::default()
    };
    let mut distance = None;
    let mut pspace = None;
    let mut it = args.split_whitespace();
    while let Some(flag) = it.next() {
        if flag == "-8" {
            s.icws88 = true;
            continue;
        }
        let v: u64 = it.next().and_then(|v| v.parse().ok()).unwrap_or(0);
        match flag {
            "-s" => s.core_size = v as u32,
            "-c" => s.max_cycles = v,
            "-p" => s.max_processes = v as u32,
            "-l" => s.max_length = v as u32,
            "-d" => distance = Some(v as u32),
            "-S" => pspace = Some(v as u32),
            "-r" => s.rounds = v as u32,
            other => panic!("unsupported flag {other} in fixture args"),
        }
    }
    s.min_distance = distance.unwrap_or(s.max_length);
    s.pspace_size = pspace.unwrap_or_else(|| Settings::default_pspace_size(s.core_size));
    s
}

/// pMARS leaves W and S at the number of warriors before the first one.
fn first_warrior_registers(settings: &Settings) -> Registers {
    let mut r = Registers::new();
    r.set('W', i64::from(settings.warriors));
    r.set('S', i64::from(settings.warriors));
    r
}

/// Our listing (empty on failure) and stderr report for one file.
fn run(source: &[u8], settings: &Settings, file: &str) -> (String, String) {
    match assemble_with_registers(source, settings, first_warrior_registers(settings)) {
        Ok(a) => (a.listing(settings), a.report(file)),
        Err(e) => (e.stdout(), e.report(file)),
    }
}

#[test]
fn listings_and_reports_match_pmars() {
    let mut names: Vec<String> = fs::read_dir(fixture_dir())
        .expect("fixture directory")
        .filter_map(|e| e.ok())
        .filter_map(|e| e.file_name().into_string().ok())
        .filter_map(|n| n.strip_suffix(".red").map(str::to_string))
        .collect();
    names.sort();
    assert!(names.len() >= 40, "fixtures missing");
    let names: Vec<String> = names
        .into_iter()
        .filter(|n| fixture_dir().join(format!("{n}.listing")).exists())
        .collect();
    let mut failures = Vec::new();
    for name in &names {
        let dir = fixture_dir();
        let source = fs::read(dir.join(format!("{name}.red"))).expect("source");
        let args = fs::read_to_string(dir.join(format!("{name}.args"))).unwrap_or_default();
        let want_listing =
            fs::read_to_string(dir.join(format!("{name}.listing"))).expect("listing");
        let want_stderr = fs::read_to_string(dir.join(format!("{name}.stderr"))).expect("stderr");
        let settings = settings_from_args(&args);
        let (listing, stderr) = run(&source, &settings, &format!("{name}.red"));
        if listing != want_listing || stderr != want_stderr {
            failures.push(format!(
                "== {name}\n-- want listing\n{want_listing}-- got listing\n{listing}\
                 -- want stderr\n{want_stderr}-- got stderr\n{stderr}"
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} fixtures differ:\n{}",
        failures.len(),
        names.len(),
        failures.join("\n")
    );
}

#[test]
fn rejected_warriors_report_the_line() {
    let s = Settings::default();
    let e = assemble(";assert 1\n mov 0, 1\n dat 1 ,\n", &s).expect_err("bad");
    assert_eq!(e.first_error_line(), Some(3));
    let e = assemble(";assert CORESIZE == 55\n dat 0\n", &s).expect_err("bad");
    assert_eq!(e.first_error_line(), Some(1));
    assert!(e.to_string().contains("Assertion in this line fails"));
}

/// pMARS's own example warriors, listed by the reference pMARS and by us.
/// Needs pMARS: `tools/build-pmars.sh` builds it into /tmp/pmars (with its
/// warriors); `.ci/run` runs this test.
#[test]
#[ignore = "needs pMARS: PMARS=$(bash tools/build-pmars.sh) cargo test -p arena-games -- --ignored pmars"]
fn pmars_example_warriors_list_as_pmars_lists_them() {
    let pmars = std::env::var_os("PMARS")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| "/tmp/pmars/pmars".into());
    assert!(
        pmars.is_file(),
        "no pMARS at {} (set PMARS, or build it with tools/build-pmars.sh)",
        pmars.display()
    );
    let dir = pmars.parent().unwrap_or(Path::new("/")).join("warriors");
    let entries = fs::read_dir(&dir).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (tools/build-pmars.sh copies pMARS's warriors next to it)",
            dir.display()
        )
    });
    let settings = settings_from_args("");
    let mut compared = 0;
    for entry in entries.filter_map(|e| e.ok()) {
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "red") {
            continue;
        }
        let out = std::process::Command::new(&pmars)
            .arg("-r")
            .arg("0")
            .arg(&path)
            .output()
            .unwrap_or_else(|e| panic!("cannot run {}: {e}", pmars.display()));
        let source = fs::read(&path).expect("read");
        let file = path.display().to_string();
        let (listing, stderr) = run(&source, &settings, &file);
        assert_eq!(listing, String::from_utf8_lossy(&out.stdout), "{file}");
        assert_eq!(stderr, String::from_utf8_lossy(&out.stderr), "{file}");
        compared += 1;
    }
    assert!(compared > 0, "no .red warriors in {}", dir.display());
}

/// A tiny deterministic generator (xorshift) so the fuzz cases are stable.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

#[test]
fn random_bytes_never_panic() {
    let s = Settings::default();
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for _ in 0..3000 {
        let len = rng.below(400);
        let bytes: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
        let _ = assemble_bytes(&bytes, &s);
    }
}

#[test]
fn random_token_soup_never_panics() {
    const WORDS: &[&str] = &[
        "mov",
        "dat",
        "jmp",
        "spl",
        "djn",
        "add",
        "seq",
        "ldp",
        "stp",
        "nop",
        "org",
        "end",
        "pin",
        "equ",
        "for",
        "rof",
        "x",
        "y",
        "lbl",
        "CURLINE",
        "CORESIZE",
        "a",
        "&",
        "&x",
        "x&a",
        ".",
        ".ab",
        ".i",
        ".f",
        ",",
        "#",
        "$",
        "@",
        "<",
        ">",
        "*",
        "{",
        "}",
        "(",
        ")",
        "+",
        "-",
        "*",
        "/",
        "%",
        "==",
        "!=",
        "<=",
        ">=",
        "&&",
        "||",
        "!",
        "=",
        "0",
        "1",
        "7",
        "100",
        "65535",
        "99999999999999999999",
        ";assert",
        ";redcode",
        ";name",
        ";trace",
        ";break",
        ";debug",
        "\\",
        ":",
        "\t",
        " ",
        "\n",
        "\n",
        "\n",
        "\r\n",
        "_",
    ];
    let s = Settings::default();
    let mut rng = Rng(12345);
    for _ in 0..4000 {
        let n = rng.below(60);
        let mut src = String::new();
        for _ in 0..n {
            src.push_str(WORDS[rng.below(WORDS.len())]);
            if rng.below(3) == 0 {
                src.push(' ');
            }
        }
        let _ = assemble(&src, &s);
    }
}

#[test]
fn hostile_expansion_terminates() {
    let s = Settings::default();
    let bombs = [
        "FOR 65535\nFOR 65535\nFOR 65535\nROF\nROF\nROF\n",
        "FOR 65535\n dat 0\nROF\n",
        "a equ b\nb equ a\n dat a\n",
        "x equ x x\n dat x\n",
    ];
    for src in bombs {
        assert!(assemble(src, &s).is_err(), "{src}");
    }
    let mut chain = String::from("a0 equ 1\n");
    for i in 1..3000 {
        chain.push_str(&format!("a{i} equ a{}\n", i - 1));
    }
    chain.push_str(" dat a2999\n");
    let _ = assemble(&chain, &s);
}
