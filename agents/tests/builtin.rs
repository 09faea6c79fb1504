//! The built-in agents: static, versions, command and mutate, the Redcode
//! printer, and building agents from a tournament config's player entry.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use arena_agents::builtin::{
    AgentSpec, CommandAgent, Edit, EditContext, EditError, Editor, MutateAgent, Resources,
    StaticAgent, VersionsAgent, from_spec, from_spec_with, redcode,
};
use arena_agents::codebase::{File, Snapshot};
use arena_games::corewar::assembler::assemble;
use arena_games::corewar::battle::{Battle, default_points};
use arena_games::corewar::placement::SeedSource;
use arena_games::corewar::{Settings, Warrior};

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

fn text(s: &Snapshot, path: &str) -> String {
    String::from_utf8_lossy(s.get(path).unwrap_or_default()).into_owned()
}

const IMP: &str = ";redcode-94\n;name Imp\n;author test\nimp mov.i 0, 1\nend imp\n";

struct Ctx {
    game: &'static str,
    round: u32,
    seed: u64,
    codebase: Snapshot,
    results: arena_agents::wire::RoundResults,
    logs: String,
    deadline: Duration,
    settings: Settings,
}

impl Ctx {
    fn corewar(codebase: Snapshot) -> Ctx {
        Ctx {
            game: "corewar",
            round: 1,
            seed: 7,
            codebase,
            results: arena_agents::wire::RoundResults {
                round: 0,
                winner: Some("alice".to_owned()),
                standings: Vec::new(),
            },
            logs: "round 0: alice won 600 of 1000\n".into(),
            deadline: Duration::from_secs(30),
            settings: Settings::default(),
        }
    }

    fn edit(&self, agent: &mut dyn Editor) -> Result<Edit, EditError> {
        agent.edit(&EditContext {
            tournament: "test-cup",
            game: self.game,
            round: self.round,
            seed: self.seed,
            codebase: &self.codebase,
            results: &self.results,
            logs: &self.logs,
            deadline: self.deadline,
            settings: &self.settings,
        })
    }
}

// ---- static ----

#[test]
fn static_never_edits() {
    let ctx = Ctx::corewar(snap(&[("warrior.red", IMP), ("README", "hi")]));
    let edit = ctx.edit(&mut StaticAgent).expect("static edits");
    assert_eq!(edit.codebase, ctx.codebase);
    assert!(!edit.note.is_empty());
}

// ---- versions ----

#[test]
fn versions_in_order_then_keeps_the_last() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir(dir.path().join("1")).expect("mkdir");
    std::fs::write(dir.path().join("1/warrior.red"), "; one\n").expect("write");
    std::fs::write(dir.path().join("1/NOTES"), "first").expect("write");
    std::fs::write(dir.path().join("2.red"), "; two\n").expect("write");
    let mut agent = VersionsAgent::new(dir.path().to_path_buf()).expect("agent");
    let mut ctx = Ctx::corewar(snap(&[("warrior.red", IMP)]));

    let one = ctx.edit(&mut agent).expect("round 1");
    assert_eq!(text(&one.codebase, "warrior.red"), "; one\n");
    assert_eq!(text(&one.codebase, "NOTES"), "first");

    ctx.round = 2;
    ctx.codebase = one.codebase;
    let two = ctx.edit(&mut agent).expect("round 2");
    assert_eq!(two.codebase, snap(&[("warrior.red", "; two\n")]));

    ctx.round = 3;
    ctx.codebase = two.codebase.clone();
    let three = ctx.edit(&mut agent).expect("round 3");
    assert_eq!(three.codebase, two.codebase, "past the end keeps the last");
    assert!(three.note.contains("no version 3"), "{}", three.note);

    // .red files are Core War only.
    ctx.game = "battlesnake";
    ctx.round = 2;
    let snake = ctx.edit(&mut agent).expect("battlesnake round 2");
    assert_eq!(snake.codebase, ctx.codebase);
    assert!(snake.note.contains("no version 2"), "{}", snake.note);

    let missing = VersionsAgent::new(dir.path().join("nope"))
        .err()
        .unwrap_or_default();
    assert!(missing.contains("not a folder"), "{missing}");
}

// ---- command ----

fn command_ctx() -> Ctx {
    let mut ctx = Ctx::corewar(snap(&[("warrior.red", IMP), ("keep.txt", "kept")]));
    ctx.round = 3;
    ctx.seed = 12345;
    ctx.deadline = Duration::from_secs(20);
    ctx
}

#[test]
fn command_edits_a_copy_and_sees_results_logs_and_env() {
    let ctx = command_ctx();
    let out = tempfile::tempdir().expect("tempdir");
    let cmd = format!(
        "cp .arena/results.json {o}/results.json && cp .arena/logs.txt {o}/logs.txt && \
         echo \"$ARENA_ROUND $ARENA_GAME $ARENA_TOURNAMENT $ARENA_SEED $ARENA_DEADLINE_SECS\" > {o}/env.txt && \
         sed -i 's/Imp/Better imp/' warrior.red && mkdir -p sub && echo new > sub/new.txt && echo done",
        o = out.path().display()
    );
    let mut agent = CommandAgent::new(cmd).expect("agent");
    let edit = ctx.edit(&mut agent).expect("command edits");
    assert!(text(&edit.codebase, "warrior.red").contains(";name Better imp"));
    assert_eq!(text(&edit.codebase, "keep.txt"), "kept");
    assert_eq!(text(&edit.codebase, "sub/new.txt"), "new\n");
    assert!(
        edit.codebase
            .files()
            .keys()
            .all(|p| !p.starts_with(".arena")),
        "{:?}",
        edit.codebase.files().keys()
    );
    assert!(
        edit.note.contains("changed") && edit.note.contains("done"),
        "{}",
        edit.note
    );

    let results: arena_agents::wire::RoundResults = serde_json::from_str(
        &std::fs::read_to_string(out.path().join("results.json")).expect("results"),
    )
    .expect("json");
    assert_eq!(results, ctx.results);
    let logs = std::fs::read_to_string(out.path().join("logs.txt")).expect("logs");
    assert_eq!(logs, ctx.logs);
    let env = std::fs::read_to_string(out.path().join("env.txt")).expect("env");
    assert_eq!(env, "3 corewar test-cup 12345 20\n");
}

#[test]
fn command_unchanged_codebase_comes_back_identical() {
    let ctx = command_ctx();
    let mut agent = CommandAgent::new("true".into()).expect("agent");
    let edit = ctx.edit(&mut agent).expect("true");
    assert_eq!(edit.codebase, ctx.codebase);
}

#[test]
fn command_nonzero_exit_fails_with_code_and_stderr() {
    let ctx = command_ctx();
    let mut agent = CommandAgent::new("echo 'model refused' >&2; exit 3".into()).expect("agent");
    match ctx.edit(&mut agent) {
        Err(EditError::Failed(msg)) => {
            assert!(msg.contains("code 3"), "{msg}");
            assert!(msg.contains("model refused"), "{msg}");
        }
        other => panic!("expected Failed, got {other:?}"),
    }
}

/// Waits up to 2 s for every process of a group to be gone.
fn group_gone(pgid_file: &Path) -> bool {
    let Ok(text) = std::fs::read_to_string(pgid_file) else {
        panic!("no pgid file");
    };
    let Ok(pgid) = text.trim().parse::<i32>() else {
        panic!("bad pgid {text:?}");
    };
    let pid = nix::unistd::Pid::from_raw(pgid);
    for _ in 0..200 {
        if nix::sys::signal::killpg(pid, None).is_err() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    false
}

#[test]
fn command_timeout_kills_the_whole_group() {
    let mut ctx = command_ctx();
    ctx.deadline = Duration::from_secs(1);
    let out = tempfile::tempdir().expect("tempdir");
    let pgid = out.path().join("pgid");
    let cmd = format!("echo $$ > {}; sleep 60 & sleep 60; wait", pgid.display());
    let mut agent = CommandAgent::new(cmd).expect("agent");
    let start = Instant::now();
    let result = ctx.edit(&mut agent);
    let took = start.elapsed();
    assert!(
        matches!(result, Err(EditError::Timeout(d)) if d == Duration::from_secs(1)),
        "{result:?}"
    );
    assert!(took < Duration::from_secs(2), "took {took:?}");
    assert!(group_gone(&pgid), "a process of the command outlived it");
}

#[test]
fn command_leftover_background_processes_are_killed() {
    let ctx = command_ctx();
    let out = tempfile::tempdir().expect("tempdir");
    let pgid = out.path().join("pgid");
    let cmd = format!("echo $$ > {}; sleep 60 > /dev/null 2>&1 &", pgid.display());
    let mut agent = CommandAgent::new(cmd).expect("agent");
    ctx.edit(&mut agent).expect("command edits");
    assert!(group_gone(&pgid), "the background sleep outlived the edit");
}

#[test]
fn command_too_large_codebase_fails_with_the_reason() {
    let ctx = command_ctx();
    let mut agent = CommandAgent::new("head -c 3000000 /dev/zero > big.bin".into()).expect("agent");
    match ctx.edit(&mut agent) {
        Err(EditError::Failed(msg)) => assert!(msg.contains("big.bin"), "{msg}"),
        other => panic!("expected Failed, got {other:?}"),
    }
}

// ---- the Redcode printer ----

fn warriors_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/data/corewar/warriors")
}

#[test]
fn printer_round_trips_every_warrior_that_assembles() {
    let settings = Settings::default();
    let mut paths: Vec<PathBuf> = std::fs::read_dir(warriors_dir())
        .expect("warriors dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "red"))
        .collect();
    paths.sort();
    let mut checked = 0;
    for path in &paths {
        let bytes = std::fs::read(path).expect("read");
        let Ok(a) = arena_games::corewar::assembler::assemble_bytes(&bytes, &settings) else {
            continue;
        };
        if a.warrior.code.is_empty() {
            continue;
        }
        let text = redcode::print(&a.warrior, &settings);
        let b = assemble(&text, &settings).unwrap_or_else(|e| {
            panic!(
                "{}: printed text does not assemble: {e}\n{text}",
                path.display()
            )
        });
        assert_eq!(b.warrior, a.warrior, "{}\n{text}", path.display());
        assert!(
            b.warnings.is_empty(),
            "{}: {:?}",
            path.display(),
            b.warnings
        );
        checked += 1;
    }
    assert!(checked >= 30, "only {checked} warriors checked");
}

#[test]
fn printer_keeps_pin_and_other_core_sizes() {
    let settings = Settings {
        core_size: 55440,
        max_length: 200,
        ..Settings::default()
    };
    let src = ";redcode-94\n;name P\n;author A\nPIN 7\nstart spl 0, <-30000\nmov.ab }20000, {-1\nldp #0, 1\nend start\n";
    let a = assemble(src, &settings).expect("assembles");
    let text = redcode::print(&a.warrior, &settings);
    assert!(text.contains("CORESIZE == 55440"), "{text}");
    let b = assemble(&text, &settings).expect("printed assembles");
    assert_eq!(a.warrior, b.warrior);
    assert_eq!(b.warrior.pin, Some(7));
}

// ---- mutate ----

/// Small but honest settings, so debug-build tests stay fast.
fn small_settings() -> Settings {
    Settings {
        core_size: 800,
        max_cycles: 8000,
        max_processes: 800,
        max_length: 20,
        min_distance: 20,
        pspace_size: 50,
        ..Settings::default()
    }
}

fn mutate_ctx(source: &str, seed: u64) -> Ctx {
    let mut ctx = Ctx::corewar(snap(&[("warrior.red", source), ("README", "mine")]));
    ctx.settings = small_settings();
    ctx.seed = seed;
    ctx
}

#[test]
fn mutate_is_deterministic_given_the_seed() {
    let dwarf = std::fs::read_to_string(warriors_dir().join("dwarf-2365.red")).expect("dwarf");
    let run = |seed| {
        let ctx = mutate_ctx(&dwarf, seed);
        let mut agent = MutateAgent::new(40, 4).expect("agent");
        ctx.edit(&mut agent).expect("mutate edits")
    };
    let a = run(1);
    let b = run(1);
    assert_eq!(a.codebase, b.codebase, "same seed, same edit");
    let two_threads = {
        let ctx = mutate_ctx(&dwarf, 1);
        let mut agent = from_spec_with(
            &AgentSpec::Mutate {
                trials: 40,
                mutations: 4,
            },
            Resources { jobs: 2 },
        )
        .expect("agent");
        ctx.edit(agent.as_mut()).expect("mutate edits")
    };
    assert_eq!(
        two_threads.codebase, a.codebase,
        "threads do not change the edit"
    );
    assert_eq!(a.note, b.note);
    assert_eq!(a.note, two_threads.note);
    let others: Vec<Edit> = (2..6).map(run).collect();
    assert!(
        others.iter().all(|o| o.note != a.note),
        "different seeds, different candidates"
    );
    for e in std::iter::once(&a).chain(&others) {
        assert_eq!(text(&e.codebase, "README"), "mine", "other files are kept");
        let t = text(&e.codebase, "warrior.red");
        assert!(assemble(&t, &small_settings()).is_ok(), "{t}");
    }
}

fn warrior(s: &Snapshot, settings: &Settings) -> Warrior {
    assemble(&text(s, "warrior.red"), settings)
        .expect("kept warrior assembles")
        .warrior
}

fn duel(a: &Warrior, b: &Warrior, settings: &Settings, rounds: u32, seed: i64) -> (i64, i64) {
    let mut settings = settings.clone();
    settings.rounds = rounds;
    let o = Battle {
        settings,
        warriors: vec![a.clone(), b.clone()],
        seed: SeedSource::Seed(seed),
        permutate: false,
        points: default_points(2),
    }
    .run(1);
    (o.scores[0], o.scores[1])
}

#[test]
fn mutate_climbs_from_a_weak_warrior() {
    // A warrior that only ever bombs its own neighbourhood and dies fast.
    let weak = ";redcode-94\n;name Weak\n;author test\nstart mov.i 2, 1\n dat #0, #0\n dat #0, #0\nend start\n";
    let settings = small_settings();
    let original = warrior(&snap(&[("warrior.red", weak)]), &settings);
    let mut ctx = mutate_ctx(weak, 0);
    let mut agent = MutateAgent::new(40, 6).expect("agent");
    let mut kept = 0;
    for round in 1..=4 {
        ctx.round = round;
        ctx.seed = 1000 + u64::from(round);
        let edit = ctx.edit(&mut agent).expect("mutate edits");
        if edit.codebase != ctx.codebase {
            kept += 1;
            assert!(edit.note.contains("kept candidate"), "{}", edit.note);
        } else {
            assert!(edit.note.contains("unchanged"), "{}", edit.note);
        }
        ctx.codebase = edit.codebase;
    }
    assert!(kept >= 1, "nothing beat the weak warrior in 4 rounds");
    let last = warrior(&ctx.codebase, &settings);
    let (old, new) = duel(&original, &last, &settings, 200, 99);
    assert!(
        new > old,
        "the climbed warrior scored {new} to the original's {old}"
    );
}

#[test]
fn mutate_refuses_what_it_cannot_edit() {
    let mut agent = MutateAgent::new(20, 2).expect("agent");
    let mut ctx = mutate_ctx(IMP, 1);
    ctx.game = "battlesnake";
    assert!(matches!(ctx.edit(&mut agent), Err(EditError::Failed(m)) if m.contains("Core War")));
    let ctx = mutate_ctx(";redcode-94\nstart MOVE 0, 1\n", 1);
    assert!(
        matches!(ctx.edit(&mut agent), Err(EditError::Failed(m)) if m.contains("warrior.red line")),
    );
    let mut ctx = mutate_ctx(IMP, 1);
    ctx.codebase = snap(&[("main.py", "")]);
    assert!(
        matches!(ctx.edit(&mut agent), Err(EditError::Failed(m)) if m.contains("no warrior.red"))
    );
}

#[test]
fn mutate_times_out_at_the_deadline() {
    let mut ctx = Ctx::corewar(snap(&[("warrior.red", IMP)]));
    ctx.deadline = Duration::ZERO;
    let mut agent = MutateAgent::new(20, 2).expect("agent");
    assert!(matches!(ctx.edit(&mut agent), Err(EditError::Timeout(_))));
}

/// Release-build timing: `cargo test --release -p arena-agents --test
/// builtin -- --ignored --nocapture`.
#[test]
#[ignore = "timing; run in release"]
fn mutate_timing() {
    let settings = Settings::default();
    for name in [
        "dwarf-2365.red",
        "imp.red",
        "paper-silk.red",
        "quickscan.red",
        "imp-spiral.red",
    ] {
        let Ok(src) = std::fs::read_to_string(warriors_dir().join(name)) else {
            continue;
        };
        let mut ctx = Ctx::corewar(snap(&[("warrior.red", &src)]));
        ctx.settings = settings.clone();
        let jobs = std::env::var("JOBS")
            .ok()
            .and_then(|j| j.parse().ok())
            .unwrap_or(1);
        let mut agent = MutateAgent::new(200, 8).expect("agent").with_jobs(jobs);
        let mut times = Vec::new();
        for round in 1..=5 {
            ctx.round = round;
            ctx.seed = u64::from(round);
            let start = Instant::now();
            let edit = ctx.edit(&mut agent).expect("edit");
            times.push(start.elapsed().as_secs_f64());
            if std::env::var_os("SHOW_NOTES").is_some() {
                println!("{}", edit.note);
            }
            ctx.codebase = edit.codebase;
        }
        println!("{name}: 8 x 200 rounds per edit, {jobs} jobs: {times:.3?} s");
    }
}

// ---- specs ----

#[derive(serde::Deserialize)]
struct Player {
    #[allow(dead_code)]
    name: String,
    #[serde(flatten)]
    agent: AgentSpec,
}

fn player(toml_text: &str) -> Result<AgentSpec, String> {
    toml::from_str::<Player>(toml_text)
        .map(|p| p.agent)
        .map_err(|e| e.to_string())
}

#[test]
fn specs_from_a_player_entry() {
    assert_eq!(
        player("name = \"a\"\nagent = \"static\"\n"),
        Ok(AgentSpec::Static)
    );
    assert_eq!(
        player("name = \"a\"\nagent = \"mutate\"\n"),
        Ok(AgentSpec::Mutate {
            trials: 200,
            mutations: 8
        })
    );
    assert_eq!(
        player("name = \"a\"\nagent = \"mutate\"\ntrials = 50\n"),
        Ok(AgentSpec::Mutate {
            trials: 50,
            mutations: 8
        })
    );
    assert_eq!(
        player("name = \"a\"\nagent = \"command\"\ncommand = \"./go\"\n"),
        Ok(AgentSpec::Command {
            command: "./go".into()
        })
    );
    let mut v = player("name = \"a\"\nagent = \"versions\"\ndir = \"v/a\"\n").expect("versions");
    v.resolve_paths(Path::new("/cfg"));
    assert_eq!(
        v,
        AgentSpec::Versions {
            dir: PathBuf::from("/cfg/v/a")
        }
    );
    let bad = player("name = \"a\"\nagent = \"llm\"\n").expect_err("unknown kind");
    assert!(bad.contains("llm"), "{bad}");
    assert_eq!(
        AgentSpec::keys("mutate"),
        Some(&["trials", "mutations"][..])
    );
    assert_eq!(AgentSpec::keys("llm"), None);

    for spec in [
        AgentSpec::Static,
        AgentSpec::Mutate {
            trials: 10,
            mutations: 2,
        },
        AgentSpec::Command {
            command: "true".into(),
        },
        AgentSpec::Versions {
            dir: std::env::temp_dir(),
        },
    ] {
        assert!(from_spec(&spec).is_ok(), "{spec:?}");
    }
    for (spec, needle) in [
        (
            AgentSpec::Mutate {
                trials: 0,
                mutations: 8,
            },
            "trials",
        ),
        (
            AgentSpec::Mutate {
                trials: 10,
                mutations: 0,
            },
            "mutations",
        ),
        (
            AgentSpec::Command {
                command: " ".into(),
            },
            "empty",
        ),
        (
            AgentSpec::Versions {
                dir: PathBuf::from("/no/such/dir"),
            },
            "not a folder",
        ),
    ] {
        let err = from_spec(&spec).err().unwrap_or_default();
        assert!(err.contains(needle), "{spec:?}: {err}");
    }
}
