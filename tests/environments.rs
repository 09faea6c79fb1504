//! Bot environments: Python bots run in a virtual environment the arena
//! installed for their dependency set (the game's base set and their
//! `requirements.txt`), made once at validation and reused; compiled bots
//! are built once; a failure is a rejection with the installer's or the
//! compiler's message. Real processes, a real index (PyPI, or what
//! `ARENA_PIP_INDEX_URL` / `ARENA_PIP_FIND_LINKS` name).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant, SystemTime};

use serde_json::Value;

use crate::arena_run::{run, succeed};
use crate::util::{arena, repo};

/// A BattleSnake bot speaking JSON lines: `prelude` (Python) runs first,
/// then it answers every move with `up`.
fn stdio_snake(prelude: &str, requirements: Option<&str>) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a folder");
    std::fs::write(
        dir.path().join("arena.toml"),
        "command = [\"python3\", \"bot.py\"]\nprotocol = \"stdio\"\n",
    )
    .expect("write arena.toml");
    let bot = format!(
        "import json, os, sys\n{prelude}\n\
         for line in sys.stdin:\n    \
             msg = json.loads(line)\n    \
             print(json.dumps({{'move': 'up'}} if msg.get('type') == 'move' else {{}}), flush=True)\n"
    );
    std::fs::write(dir.path().join("bot.py"), bot).expect("write bot.py");
    if let Some(r) = requirements {
        std::fs::write(dir.path().join("requirements.txt"), r).expect("write requirements.txt");
    }
    dir
}

/// `arena match --game battlesnake` of `a` against the food-seeker starter.
fn snake_match(a: &Path, sims: u32, env_dir: Option<&Path>, installer: Option<&str>) -> Output {
    let mut cmd = arena();
    cmd.args(["match", "--game", "battlesnake", "--seed", "3", "--json"])
        .args(["--sims", &sims.to_string()])
        .arg(a)
        .arg(repo("examples/battlesnake/food-seeker"));
    if let Some(d) = env_dir {
        cmd.env("ARENA_ENV_DIR", d);
    }
    if let Some(i) = installer {
        cmd.env("ARENA_INSTALLER", i);
    }
    cmd.output().expect("arena runs")
}

fn json_of(out: &Output) -> Value {
    serde_json::from_str(&crate::util::stdout_of_success(out)).expect("arena match --json")
}

/// The first player's bot must have stopped cleanly in every game (an
/// HTTP bot `ended`, a stdio one `exited`), else the test shows its stderr.
fn assert_played_cleanly(v: &Value, games: u64) {
    let p = &v["players"][0];
    let stops = p["stop_reasons"].as_object().expect("stop reasons");
    let clean: u64 = ["ended", "exited"]
        .iter()
        .filter_map(|k| stops.get(*k).and_then(Value::as_u64))
        .sum();
    assert_eq!(
        clean,
        games,
        "{}: {stops:?}; its stderr ended with:\n{}",
        p["name"],
        p["last_stderr"].as_str().unwrap_or("")
    );
}

/// The Python environments under a cache folder.
fn python_envs(root: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(root.join("python"))
        .map(|d| d.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_default();
    v.retain(|p| p.is_dir());
    v.sort();
    v
}

/// BattlesnakeOfficial/starter-snake-python (also CodeClash's BattleSnake
/// starter), unchanged: `main.py` and the Flask `server.py`. It plays
/// whether or not the system's Python has Flask: its environment has it.
#[test]
fn the_official_starter_plays_unchanged() {
    let system_flask = Command::new("python3")
        .env("PATH", arena_agents::runner::SANDBOX_PATH)
        .args(["-c", "import flask"])
        .output()
        .is_ok_and(|o| o.status.success());
    eprintln!("the sandbox's python3 has Flask installed: {system_flask}");
    let starter = repo("examples/battlesnake/starter-snake-python");
    let v = json_of(&snake_match(&starter, 2, None, None));
    assert_played_cleanly(&v, 2);
}

/// The environment is the bot's own (its interpreter, no system
/// site-packages, the base set's Flask) and read-only to it.
#[test]
fn a_bots_environment_is_its_own_and_read_only() {
    let bot = stdio_snake(
        r#"
import site, sysconfig
prefix = sys.prefix
if prefix == sys.base_prefix or os.environ.get('VIRTUAL_ENV') != prefix:
    sys.exit('not in a virtual environment: %s %s' % (prefix, os.environ))
foreign = [p for p in sys.path if ('-packages' in p) and not p.startswith(prefix)]
if foreign:
    sys.exit('system packages visible: %s' % foreign)
import flask
purelib = sysconfig.get_paths()['purelib']
for target in [prefix + '/escaped', purelib + '/escaped.py', flask.__file__, prefix + '/pyvenv.cfg']:
    try:
        with open(target, 'a') as f:
            f.write('# changed by the bot\n')
    except OSError:
        continue
    sys.exit('the bot wrote ' + target)
"#,
        None,
    );
    let v = json_of(&snake_match(bot.path(), 1, None, None));
    assert_played_cleanly(&v, 1);
}

/// A requirements file's packages are installed once, when the codebase is
/// validated, and every later game (and run) reuses the environment.
fn installed_once_and_reused(installer: &str) {
    let cache = tempfile::tempdir().expect("a cache folder");
    let bot = stdio_snake(
        "import six\nassert six.PY3",
        Some("# a small real package\nsix==1.16.0\n"),
    );
    let t = Instant::now();
    let first = snake_match(bot.path(), 2, Some(cache.path()), Some(installer));
    let first_s = t.elapsed().as_secs_f64();
    assert_played_cleanly(&json_of(&first), 2);
    // The bot's (Flask and six) and its opponent's (Flask only).
    let envs = python_envs(cache.path());
    assert_eq!(envs.len(), 2, "two environments: {envs:?}");
    let manifest_of = |env: &PathBuf| -> Value {
        serde_json::from_slice(&std::fs::read(env.join("arena-env.json")).expect("manifest"))
            .expect("json")
    };
    let mine = envs
        .iter()
        .find(|e| manifest_of(e)["requirements"] == serde_json::json!(["flask", "six==1.16.0"]))
        .unwrap_or_else(|| panic!("no environment with six: {envs:?}"))
        .clone();
    let manifest_path = mine.join("arena-env.json");
    let manifest = manifest_of(&mine);
    assert!(manifest["installer"].get(installer).is_some() || manifest["installer"] == installer);
    let made: SystemTime = std::fs::metadata(&manifest_path)
        .and_then(|m| m.modified())
        .expect("mtime");

    let t = Instant::now();
    let second = snake_match(bot.path(), 2, Some(cache.path()), Some(installer));
    let second_s = t.elapsed().as_secs_f64();
    assert_played_cleanly(&json_of(&second), 2);
    assert_eq!(python_envs(cache.path()), envs, "no new environment");
    assert_eq!(
        std::fs::metadata(&manifest_path)
            .and_then(|m| m.modified())
            .expect("mtime"),
        made,
        "the environment was not installed again"
    );

    // A game's start-up in the cached environment: spawn to first answer.
    let limits = arena_agents::runner::Limits {
        environment: Some(mine.clone()),
        ..Default::default()
    };
    let mut starts = Vec::new();
    for _ in 0..3 {
        let t = Instant::now();
        let mut b = arena_agents::runner::BotProcess::start(
            bot.path(),
            &["python3".into(), "bot.py".into()],
            arena_agents::runner::Protocol::JsonLines,
            &limits,
        )
        .unwrap_or_else(|r| panic!("{r}: {}", r.stderr_tail));
        let answer = b.request(
            &serde_json::json!({"type": "start"}),
            Duration::from_secs(10),
        );
        starts.push(t.elapsed().as_secs_f64() * 1000.0);
        assert!(answer.is_ok(), "{answer:?}");
        let _ = b.stop();
    }
    starts.sort_by(f64::total_cmp);
    eprintln!(
        "{installer}: first run {first_s:.2} s (installing flask and six: {} ms), second run {second_s:.2} s, a bot's start-up in the cached environment {:.0} ms (median of 3)",
        manifest["install_ms"], starts[1]
    );
}

#[test]
fn requirements_are_installed_once_and_reused_pip() {
    installed_once_and_reused("pip");
}

#[test]
#[ignore = "needs uv on the PATH (`pip install uv`); .ci/run installs it and runs this"]
fn requirements_are_installed_once_and_reused_uv() {
    installed_once_and_reused("uv");
}

/// A requirement the index does not have: `arena match` refuses the
/// codebase with the installer's message, and a tournament forfeits its
/// round with that message stored as the submission's reason.
#[test]
fn a_bad_requirement_is_rejected_with_the_installers_message() {
    const MISSING: &str = "arena-no-such-package-7f3a";
    let bot = stdio_snake("", Some(&format!("{MISSING}==1.0\n")));
    let out = snake_match(bot.path(), 1, None, None);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("installing requirements.txt failed"), "{err}");
    assert!(err.contains(MISSING), "the installer's message: {err}");

    let dir = tempfile::tempdir().expect("a folder");
    let config = against_food_seeker(dir.path(), "bad-requirement", 0, 1, ("bad", bot.path()));
    let data = dir.path().join("data");
    succeed(&mut run(&config, &data));
    let conn = rusqlite::Connection::open(data.join("arena.sqlite")).expect("db");
    let (valid, reason): (bool, String) = conn
        .query_row(
            "SELECT s.valid, s.reason FROM submissions s JOIN players p ON p.id = s.player_id WHERE p.name = 'bad'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("the bad player's submission");
    assert!(!valid);
    assert!(reason.contains(MISSING), "{reason}");
    assert!(reason.contains("the round is forfeited"), "{reason}");
}

/// What a bot that crashed printed reaches `arena match --json` and, in a
/// tournament, its agent's logs for the next round.
#[test]
fn a_crashed_bots_stderr_reaches_the_table_and_its_agents_logs() {
    let bot = stdio_snake("import no_such_module_for_arena", None);
    let v = json_of(&snake_match(bot.path(), 1, None, None));
    let p = &v["players"][0];
    assert_eq!(p["stop_reasons"]["crashed"], 1, "{v}");
    assert!(
        p["last_stderr"]
            .as_str()
            .is_some_and(|s| s.contains("ModuleNotFoundError")),
        "{v}"
    );

    let dir = tempfile::tempdir().expect("a folder");
    let config = against_food_seeker(dir.path(), "crasher", 1, 2, ("crasher", bot.path()));
    let data = dir.path().join("data");
    succeed(&mut run(&config, &data));
    let conn = rusqlite::Connection::open(data.join("arena.sqlite")).expect("db");
    let logs: String = conn
        .query_row(
            "SELECT l.text FROM logs l JOIN players p ON p.id = l.player_id WHERE p.name = 'crasher' AND l.round = 1",
            [],
            |r| r.get(0),
        )
        .expect("the crasher's logs for round 1");
    assert!(logs.contains("your bot stopped: crashed 2"), "{logs}");
    assert!(
        logs.contains("| ModuleNotFoundError: No module named 'no_such_module_for_arena'"),
        "{logs}"
    );
}

/// Halite's compiled bots are built once, in the sandbox, when validated;
/// the program is kept by the codebase's hash and reused.
#[test]
fn a_c_bot_is_built_once_and_reused() {
    let cache = tempfile::tempdir().expect("a cache folder");
    let halite = |sims: &str| {
        let out = arena()
            .env("ARENA_ENV_DIR", cache.path())
            .args(["match", "--game", "halite", "--seed", "5", "--json"])
            .args(["--sims", sims, "--set", "width=20", "--set", "height=20"])
            .arg(repo("examples/halite/c"))
            .arg(repo("examples/halite/python"))
            .output()
            .expect("arena runs");
        json_of(&out)
    };
    let v = halite("2");
    assert_eq!(v["players"][0]["stop_reasons"]["exited"], 2, "{v}");
    let builds: Vec<PathBuf> = std::fs::read_dir(cache.path().join("builds"))
        .expect("builds")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    assert_eq!(builds.len(), 1, "{builds:?}");
    let program = builds[0].join(".arena-bot");
    let built = std::fs::metadata(&program)
        .and_then(|m| m.modified())
        .expect("the built program");
    let v = halite("1");
    assert_eq!(v["players"][0]["stop_reasons"]["exited"], 1, "{v}");
    assert_eq!(
        std::fs::metadata(&program)
            .and_then(|m| m.modified())
            .expect("the program"),
        built,
        "built again"
    );
}

/// `arena doctor` checks what bots need and says how to install what is
/// missing; its exit status says whether something most bots need is.
#[test]
fn doctor_reports_every_check_with_a_fix() {
    let out = arena()
        .args(["doctor", "--json"])
        .output()
        .expect("arena runs");
    let checks: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let checks = checks.as_array().expect("a list");
    for what in [
        "sandbox",
        "cgroups",
        "python3",
        "installer",
        "environments",
        "C compiler",
    ] {
        assert!(
            checks.iter().any(|c| c["what"] == what),
            "{what} is checked: {checks:?}"
        );
    }
    for c in checks {
        if c["status"] != "ok" {
            assert!(c["fix"].is_string(), "a fix for {c}");
        }
    }
    let required_missing = checks
        .iter()
        .any(|c| c["required"] == true && c["status"] == "missing");
    assert_eq!(out.status.success(), !required_missing, "{checks:?}");
}

/// A BattleSnake tournament's config in `dir`: `player` against the
/// example food-seeker.
fn against_food_seeker(
    dir: &Path,
    name: &str,
    rounds: u32,
    sims: u32,
    (player, codebase): (&str, &Path),
) -> PathBuf {
    let config = dir.join("t.toml");
    std::fs::write(
        &config,
        format!(
            "name = \"{name}\"\ngame = \"battlesnake\"\nrounds = {rounds}\nsims = {sims}\nseed = 1\n\
             [[players]]\nname = \"{player}\"\ncodebase = \"{}\"\n\
             [[players]]\nname = \"seeker\"\ncodebase = \"{}\"\n",
            codebase.display(),
            repo("examples/battlesnake/food-seeker").display()
        ),
    )
    .expect("config");
    config
}
