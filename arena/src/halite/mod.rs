//! `arena halite`: a drop-in for the Halite I environment (`halite`, the
//! vendored `tools/halite-env/`). The same options (`-d "W H"`, `-s SEED`,
//! `-q`, `-i/--replaydirectory DIR`, `-t`, `-r`, `-o`, `-n`) and bot
//! commands; the same standard output, line for line, in `-q` mode and not;
//! the `.hlt` replay written where the environment writes it
//! (`DIR/Replays/ID-SEED.hlt`, else `DIR/ID-SEED.hlt`), byte for byte as it
//! writes it; `TAG-ID.log` files for ejected bots in the current folder.
//!
//! Bots run as the environment runs them: `/bin/sh -c COMMAND` in the
//! current folder, not sandboxed, standard error merged into the pipe the
//! moves are read from, each in its own process group, killed at the end.
//!
//! Where it differs, on purpose: `ID` is the unix time, so it differs from
//! run to run in both; a bot whose output ends (it exited) is ejected at
//! once, where the environment waits out the time limit (30 s at init,
//! 1.5 s a frame: it keeps the bots' pipe ends open, so it never sees the
//! end) — the same outcome and output, sooner; without `-d` the size is drawn
//! from the environment's choices with our own clock-seeded generator (the
//! environment uses `rand()`); in verbose mode the per-bot init lines come
//! in tag order (the environment prints them from threads, in whatever
//! order they finish); the log files hold the same sections, with our
//! timings.

use std::collections::BTreeSet;
use std::io::{Read, Write};
use std::process::{Child, ChildStdin, Command, ExitCode, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use arena_games::engine::{EndReason, Match, Seat};
use arena_games::halite::map::SIZE_CHOICES;
use arena_games::halite::protocol;
use arena_games::halite::{Halite, HaliteAction, HaliteSetup, HltGame, Map, Mt19937};

/// The environment's options.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Options {
    pub quiet: bool,
    pub override_names: bool,
    pub ignore_timeout: bool,
    pub no_replay: bool,
    pub n_players: u32,
    pub dims: (i32, i32),
    pub seed: u32,
    pub replay_dir: String,
    /// Bot commands (with `-o`: command, name, command, name...).
    pub rest: Vec<String>,
}

const USAGE: &str = "Usage: arena halite [-q] [-t] [-r] [-o] [-n N] [-d \"W H\"] [-s SEED] [-i DIR] BOT_COMMAND...  (options as the Halite I environment)";

/// Parses the environment's command line (TCLAP's: short and long names,
/// `--name=value`, grouped switches such as `-qt`, `--` ending options).
pub fn parse(args: &[String]) -> Result<Options, String> {
    let mut o = Options {
        n_players: 1,
        replay_dir: ".".into(),
        ..Options::default()
    };
    let mut i = 0;
    let mut rest_only = false;
    while i < args.len() {
        let a = &args[i];
        i += 1;
        if rest_only || !a.starts_with('-') || a == "-" {
            o.rest.push(a.clone());
            continue;
        }
        if a == "--" {
            rest_only = true;
            continue;
        }
        let (name, inline): (String, Option<String>) = if let Some(long) = a.strip_prefix("--") {
            match long.split_once('=') {
                Some((n, v)) => (n.to_string(), Some(v.to_string())),
                None => (long.to_string(), None),
            }
        } else {
            let body = &a[1..];
            // Grouped switches: every letter a switch.
            if body.len() > 1 && body.chars().all(|c| "qotr".contains(c)) {
                for c in body.chars() {
                    set_switch(&mut o, &c.to_string());
                }
                continue;
            }
            (body.to_string(), None)
        };
        if set_switch(&mut o, &name) {
            continue;
        }
        let mut value = || -> Result<String, String> {
            if let Some(v) = &inline {
                return Ok(v.clone());
            }
            let v = args
                .get(i)
                .cloned()
                .ok_or_else(|| format!("Missing a value for the argument: {a}"))?;
            i += 1;
            Ok(v)
        };
        match name.as_str() {
            "n" | "nplayers" => {
                let v = value()?;
                o.n_players = v
                    .trim()
                    .parse()
                    .map_err(|_| format!("Couldn't read argument value from string '{v}'"))?;
            }
            "d" | "dimensions" => {
                let v = value()?;
                let mut it = v.split_whitespace().map(str::parse::<i32>);
                match (it.next(), it.next()) {
                    (Some(Ok(w)), Some(Ok(h))) => o.dims = (w, h),
                    _ => return Err(format!("Couldn't read argument value from string '{v}'")),
                }
            }
            "s" | "seed" => {
                let v = value()?;
                o.seed = v
                    .trim()
                    .parse()
                    .map_err(|_| format!("Couldn't read argument value from string '{v}'"))?;
            }
            "i" | "replaydirectory" => o.replay_dir = value()?,
            _ => return Err(format!("Couldn't find match for argument {a}")),
        }
    }
    Ok(o)
}

fn set_switch(o: &mut Options, name: &str) -> bool {
    match name {
        "q" | "quiet" => o.quiet = true,
        "o" | "override" => o.override_names = true,
        "t" | "timeout" => o.ignore_timeout = true,
        "r" | "noreplay" => o.no_replay = true,
        _ => return false,
    }
    true
}

/// Why a line did not come.
enum NoLine {
    /// The time ran out (what arrived of the line so far).
    Late(String),
    /// The bot's output ended.
    Ended(String),
}

/// One bot: `sh -c COMMAND`, stdout and stderr into one pipe.
struct Bot {
    child: Option<Child>,
    stdin: Option<ChildStdin>,
    rx: Receiver<Vec<u8>>,
    pending: Vec<u8>,
    ended: bool,
    log: String,
    killed: bool,
}

impl Bot {
    fn start(command: &str) -> std::io::Result<Bot> {
        use std::os::unix::process::CommandExt;
        let (mut reader, writer) = std::io::pipe()?;
        let mut child = {
            let errors = writer.try_clone()?;
            let mut c = Command::new("/bin/sh");
            c.arg("-c")
                .arg(command)
                .stdin(Stdio::piped())
                .stdout(writer)
                .stderr(errors)
                .process_group(0);
            c.spawn()?
            // `c` (with our copies of the pipe's writing end) drops here,
            // so the reader sees the end when the bot's side closes.
        };
        let stdin = child.stdin.take();
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let mut buf = vec![0u8; 1 << 16];
            loop {
                match reader.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => {
                        if tx.send(buf[..n].to_vec()).is_err() {
                            break;
                        }
                    }
                }
            }
        });
        Ok(Bot {
            child: Some(child),
            stdin,
            rx,
            pending: Vec::new(),
            ended: false,
            log: String::new(),
            killed: false,
        })
    }

    /// Writes a message and its newline; false if the pipe is closed.
    fn send(&mut self, text: &str) -> bool {
        let Some(stdin) = self.stdin.as_mut() else {
            return false;
        };
        let mut bytes = Vec::with_capacity(text.len() + 1);
        bytes.extend_from_slice(text.as_bytes());
        bytes.push(b'\n');
        stdin.write_all(&bytes).is_ok() && stdin.flush().is_ok()
    }

    /// The next line (its newline and one `\r` before it dropped) by `deadline`.
    fn line(&mut self, deadline: Instant) -> Result<String, NoLine> {
        let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
        loop {
            if let Some(pos) = self.pending.iter().position(|&b| b == b'\n') {
                let mut line: Vec<u8> = self.pending.drain(..=pos).collect();
                line.pop();
                if line.last() == Some(&b'\r') {
                    line.pop();
                }
                return Ok(text(&line));
            }
            if self.ended {
                return Err(NoLine::Ended(text(&self.pending)));
            }
            let now = Instant::now();
            if now >= deadline {
                return Err(NoLine::Late(text(&self.pending)));
            }
            match self.rx.recv_timeout(deadline - now) {
                Ok(chunk) => self.pending.extend_from_slice(&chunk),
                Err(RecvTimeoutError::Timeout) => return Err(NoLine::Late(text(&self.pending))),
                Err(RecvTimeoutError::Disconnected) => self.ended = true,
            }
        }
    }

    /// Kills the bot's process group, keeping what it wrote since for the log.
    fn kill(&mut self) {
        if self.killed {
            return;
        }
        self.killed = true;
        self.stdin = None;
        if let Some(mut child) = self.child.take() {
            if let Ok(pid) = i32::try_from(child.id()) {
                let _ = nix::sys::signal::killpg(
                    nix::unistd::Pid::from_raw(pid),
                    nix::sys::signal::Signal::SIGKILL,
                );
            }
            let _ = child.kill();
            let _ = child.wait();
        }
        let mut rest = std::mem::take(&mut self.pending);
        while let Ok(chunk) = self.rx.try_recv() {
            rest.extend_from_slice(&chunk);
        }
        if !rest.is_empty() {
            self.log
                .push_str("\n --- Bot was killed. Below is the rest of its output (if any): ---\n");
            self.log.push_str(&String::from_utf8_lossy(&rest));
            self.log.push_str("\n --- End bot output ---");
        }
    }
}

impl Drop for Bot {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Standard output, written as the environment writes it (unbuffered
/// enough: each piece goes out when printed).
struct Out {
    quiet: bool,
    text: std::io::StdoutLock<'static>,
}

impl Out {
    fn print(&mut self, s: &str) {
        let _ = self.text.write_all(s.as_bytes());
        let _ = self.text.flush();
    }
    /// Printed only when not quiet.
    fn say(&mut self, s: &str) {
        if !self.quiet {
            self.print(s);
        }
    }
}

fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// Runs `arena halite ARGS...`.
pub fn run(args: &[String]) -> ExitCode {
    if args.iter().any(|a| a == "-h" || a == "--help") {
        println!("{USAGE}");
        return ExitCode::SUCCESS;
    }
    let o = match parse(args) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("PARSE ERROR: {e}\n\n{USAGE}");
            return ExitCode::from(1);
        }
    };
    match play(&o) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("arena halite: {e:#}");
            ExitCode::from(1)
        }
    }
}

/// One game, as the environment's `main` plays it; the exit code.
fn play(o: &Options) -> anyhow::Result<u8> {
    let id = now_secs() as u32;
    let seed = if o.seed != 0 {
        o.seed
    } else {
        let micros = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(1, |d| d.as_micros());
        (micros % 4_294_967_295) as u32
    };
    let mut out = Out {
        quiet: o.quiet,
        text: std::io::stdout().lock(),
    };
    let (mut w, mut h) = (o.dims.0 as u16, o.dims.1 as u16);
    if w == 0 && h == 0 {
        let pick = Mt19937::new(now_secs() as u32 ^ seed).next_u32() as usize % SIZE_CHOICES.len();
        w = SIZE_CHOICES[pick];
        h = w;
    }
    let mut bots: Vec<Bot> = Vec::new();
    let mut names: Option<Vec<String>> = None;
    if o.override_names {
        if o.rest.len() < 4 || !o.rest.len().is_multiple_of(2) {
            out.print("Invalid number of player parameters with override switch enabled.  Override intended for server use only.\n");
            return Ok(1);
        }
        let mut given = Vec::new();
        for pair in o.rest.chunks(2) {
            out.say(&format!("{}\n", pair[0]));
            match Bot::start(&pair[0]) {
                Ok(b) => bots.push(b),
                Err(_) => {
                    out.print("Invalid player parameters with override switch enabled.  Override intended for server use only.\n");
                    return Ok(1);
                }
            }
            given.push(first_bytes(&pair[1], 30));
        }
        names = Some(given);
    } else {
        if o.rest.is_empty() {
            out.print("Please provide the launch command string for at least one bot.\nUse the --help flag for usage details.\n");
            return Ok(1);
        }
        for command in &o.rest {
            out.print(&format!("{command}\n"));
            out.say(&format!("{command}\n"));
            match Bot::start(command) {
                Ok(b) => bots.push(b),
                Err(_) => {
                    out.print("One or more of your bot launch command strings failed.  Please check for correctness and try again.\n");
                    return Ok(1);
                }
            }
        }
    }
    let n = bots.len();
    if n > 1 && o.n_players != 1 {
        out.print("\nOnly single-player mode enables specified n-player maps.  When entering multiple bots, please do not try to specify n.\n\n");
        return Ok(1);
    }
    let map_players = if n > 1 { n as u32 } else { o.n_players };
    if !(1..=6).contains(&map_players) {
        out.print("\nA map can only accommodate between 1 and 6 players.\n\n");
        return Ok(1);
    }
    let map = Map::generate(w, h, map_players as u8, seed)?;
    out.print(&format!("{} {}\n", map.width, map.height));

    let mut game = Match::<Halite>::new(
        u64::from(seed),
        HaliteSetup {
            map,
            players: n as u8,
        },
    );
    let mut hlt = HltGame::new(Halite::map(game.world()), Vec::new());
    let forever = Duration::from_millis(2_147_483_647);
    let (init_time, frame_time) = if o.ignore_timeout {
        (forever, forever)
    } else {
        (Duration::from_millis(30_000), Duration::from_millis(1_500))
    };
    let mut timeout_tags: BTreeSet<u8> = BTreeSet::new();

    // Init: the tag, the size, the productions, the map; a name back.
    let map_now = Halite::map(game.world()).clone();
    let start = Instant::now();
    let mut wrote = vec![true; n];
    let mut late_init = Vec::new();
    for (k, bot) in bots.iter_mut().enumerate() {
        let tag = k as u8 + 1;
        let ok = bot.send(&protocol::init(&map_now, tag));
        wrote[k] = ok;
        // The environment never sees a closed pipe (it keeps the bots'
        // ends open too): its message comes whether the bot reads or not.
        out.say(&format!("Init Message sent to player {tag}.\n"));
    }
    for (k, bot) in bots.iter_mut().enumerate() {
        let tag = k as u8 + 1;
        let seat = Seat(k as u8);
        let answer = if wrote[k] {
            bot.log.push_str(" --- Init ---\n");
            let asked = Instant::now();
            let r = bot.line(start + init_time);
            (r, asked.elapsed())
        } else {
            (Err(NoLine::Ended(String::new())), Duration::ZERO)
        };
        match answer {
            (Ok(name), took) => {
                bot.log.push_str(&format!(
                    "{name}\n --- Bot used {} milliseconds ---",
                    took.as_millis()
                ));
                Halite::set_name(game.world_mut(), seat, &name);
                let kept = first_bytes(&name, 30);
                out.say(&format!(
                    "Init Message received from player {tag}, {kept}.\n"
                ));
            }
            (Err(why), _) => {
                let mut late = Vec::new();
                errored(bot, &why, &mut late, tag);
                late_init.extend(late);
                bot.kill();
                timeout_tags.insert(tag);
                Halite::fail_init(game.world_mut(), seat, reason(&why));
            }
        }
    }
    for m in late_init {
        out.say(&m);
    }
    Halite::after_init(game.world_mut());
    if let Some(names) = &names {
        for (k, name) in names.iter().enumerate() {
            Halite::set_name(game.world_mut(), Seat(k as u8), name);
        }
    }

    // Frames.
    let mut turn = 0u64;
    while !game.is_over() {
        turn += 1;
        out.say(&format!("Turn {turn}\n"));
        let frame = protocol::frame(Halite::map(game.world()));
        let alive: Vec<usize> = (0..n)
            .filter(|&k| Halite::is_alive(game.world_mut(), Seat(k as u8)))
            .collect();
        let sent = Instant::now();
        let mut wrote = vec![false; n];
        for &k in &alive {
            wrote[k] = !bots[k].killed && bots[k].send(&frame);
        }
        let mut actions = Vec::with_capacity(alive.len());
        let (mut invalid, mut late) = (Vec::new(), Vec::new());
        for &k in &alive {
            let tag = k as u8 + 1;
            let bot = &mut bots[k];
            let seat = Seat(k as u8);
            if bot.killed {
                // Already ejected at init (cannot happen for a live player).
                actions.push((seat, HaliteAction::Ejected(EndReason::Timeout)));
                continue;
            }
            bot.log.push_str(&format!(
                "\n-----------------------------------------------------------------------------\n --- Frame #{turn} ---\n"
            ));
            let answer = if wrote[k] {
                let asked = Instant::now();
                (bot.line(sent + frame_time), asked.elapsed())
            } else {
                (Err(NoLine::Ended(String::new())), Duration::ZERO)
            };
            let action = match answer {
                (Ok(line), took) => {
                    bot.log.push_str(&format!(
                        "{line}\n --- Bot used {} milliseconds ---",
                        took.as_millis()
                    ));
                    match protocol::parse_moves(&line, Halite::map(game.world())) {
                        Ok(moves) => HaliteAction::Moves(moves),
                        Err(_) => {
                            invalid.push("Bot sent an invalid character - ejecting from game.\n");
                            bot.log.push_str(&format!(
                                "\nERRORED!\nResponse received (if any):\n{line}"
                            ));
                            HaliteAction::Ejected(EndReason::Invalid)
                        }
                    }
                }
                (Err(why), _) => {
                    errored(bot, &why, &mut late, tag);
                    HaliteAction::Ejected(reason(&why))
                }
            };
            if let HaliteAction::Ejected(_) = action {
                bot.kill();
                timeout_tags.insert(tag);
            }
            actions.push((seat, action));
        }
        for m in invalid {
            out.say(m);
        }
        for m in late {
            out.say(&m);
        }
        game.step(actions);
        hlt.push(
            Halite::last_moves(game.world()).to_vec(),
            Halite::map(game.world()),
        );
    }

    let stats = Halite::stats(game.world_mut());
    hlt.player_names = stats.iter().map(|s| s.name.clone()).collect();
    let mut dir = o.replay_dir.clone();
    if !dir.ends_with('/') {
        dir.push('/');
    }
    if !o.no_replay {
        let text = hlt.to_json();
        let mut output_filename = format!("{dir}Replays/{id}-{seed}.hlt");
        if std::fs::write(&output_filename, &text).is_err() {
            output_filename = format!("{dir}{id}-{seed}.hlt");
            std::fs::write(&output_filename, &text).map_err(|e| {
                anyhow::anyhow!("Could not open file for replay {output_filename}: {e}")
            })?;
        }
        if o.quiet {
            out.print(&format!("{output_filename} {seed}\n"));
        } else {
            out.print(&format!(
                "Map seed was {seed}\nOpening a file at {output_filename}\n"
            ));
        }
    }
    let mut logs = Vec::new();
    for &tag in &timeout_tags {
        let name = format!("{tag}-{id}.log");
        let bot = &mut bots[usize::from(tag - 1)];
        bot.kill();
        let _ = std::fs::write(&name, bot.log.as_bytes());
        logs.push(name);
    }
    if o.quiet {
        let mut s = String::new();
        for p in &stats {
            s.push_str(&format!("{} {} {}\n", p.tag, p.rank, p.last_frame_alive));
        }
        for t in &timeout_tags {
            s.push_str(&format!("{t} "));
        }
        if timeout_tags.is_empty() {
            s.push(' ');
        }
        s.push('\n');
        for l in &logs {
            s.push_str(&format!("{l} "));
        }
        if logs.is_empty() {
            s.push(' ');
        }
        out.print(&s);
    } else {
        for p in &stats {
            out.print(&format!(
                "Player #{}, {}, came in rank #{} and was last alive on frame #{}!\n",
                p.tag, p.name, p.rank, p.last_frame_alive
            ));
        }
    }
    for bot in &mut bots {
        bot.kill();
    }
    Ok(0)
}

/// The log's error section, and (not quiet) the environment's message for
/// a bot that timed out.
fn errored(bot: &mut Bot, why: &NoLine, late: &mut Vec<String>, tag: u8) {
    // The environment keeps both ends of every bot's pipes open, so a bot
    // that exited is never at an end there: it times out, with this line
    // (printed when its time is up: after the turn's other messages).
    late.push(format!("Bot #{tag} timeout or error (Unix) 0\n"));
    let (NoLine::Late(partial) | NoLine::Ended(partial)) = why;
    if partial.is_empty() {
        bot.log.push_str("\nERRORED!\nNo response received.");
    } else {
        bot.log.push_str(&format!(
            "\nERRORED!\nResponse received (if any):\n{partial}"
        ));
    }
}

fn reason(why: &NoLine) -> EndReason {
    match why {
        NoLine::Late(_) => EndReason::Timeout,
        NoLine::Ended(_) => EndReason::Crashed,
    }
}

/// The first `n` bytes of `s` (cut back to a character boundary).
fn first_bytes(s: &str, n: usize) -> String {
    let mut end = s.len().min(n);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    s[..end].to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(a: &[&str]) -> Vec<String> {
        a.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn options_as_the_environment_takes_them() {
        let o = parse(&args(&[
            "-q",
            "-d",
            "30 20",
            "-s",
            "42",
            "--replaydirectory",
            "out",
            "a b",
            "c",
        ]))
        .expect("parses");
        assert!(o.quiet);
        assert_eq!(o.dims, (30, 20));
        assert_eq!(o.seed, 42);
        assert_eq!(o.replay_dir, "out");
        assert_eq!(o.rest, ["a b", "c"]);
        let o = parse(&args(&["-qt", "--seed=7", "--dimensions", "9 9", "x"])).expect("parses");
        assert!(o.quiet && o.ignore_timeout);
        assert_eq!((o.seed, o.dims), (7, (9, 9)));
        assert!(parse(&args(&["-d", "30"])).is_err());
        assert!(parse(&args(&["--bogus", "x"])).is_err());
        assert_eq!(parse(&args(&["--", "-q"])).expect("parses").rest, ["-q"]);
    }
}
