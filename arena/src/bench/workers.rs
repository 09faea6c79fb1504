//! `arena bench workers`: one tournament round played in-process and on
//! `arena worker` processes through a real `nats-server`, side by side in
//! one run, as whole processes on this machine; every run's final
//! standings must equal the in-process run's, so the times compare
//! identical work.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

use super::median;

/// What to benchmark.
#[derive(clap::Args, Debug)]
pub struct WorkersBench {
    /// Simulations in the round (Core War, 4 warriors of `examples/corewar`).
    #[arg(long, default_value_t = 1000)]
    pub sims: u32,
    /// Times each setup is run, in turn; the medians count.
    #[arg(long, default_value_t = 3)]
    pub repeat: u32,
    /// The `nats-server` binary (default: on the PATH).
    #[arg(long, value_name = "PATH", default_value = "nats-server")]
    pub nats_server: PathBuf,
}

/// One way of playing the round.
struct Setup {
    label: &'static str,
    /// `arena run --jobs` for in-process; none when on workers.
    in_process_jobs: Option<usize>,
    /// Each worker's `--jobs`.
    workers: Vec<usize>,
}

pub fn run(args: &WorkersBench) -> Result<()> {
    let me = std::env::current_exe().context("cannot find the arena executable")?;
    let examples = find_examples()?;
    let dir = tempfile::tempdir()?;
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let setups = [
        Setup {
            label: "in-process, 1 thread",
            in_process_jobs: Some(1),
            workers: vec![],
        },
        Setup {
            label: "in-process, all cores",
            in_process_jobs: Some(cores),
            workers: vec![],
        },
        Setup {
            label: "1 worker, 1 slot",
            in_process_jobs: None,
            workers: vec![1],
        },
        Setup {
            label: "1 worker, all cores",
            in_process_jobs: None,
            workers: vec![cores],
        },
        Setup {
            label: "2 workers, 1 slot each",
            in_process_jobs: None,
            workers: vec![1, 1],
        },
    ];
    println!(
        "Workers: one Core War round of {} simulations (4 warriors, round 0 only), \
         `arena run` as a whole process; on workers, `arena worker` processes and \
         nats-server (JetStream) on this machine's {cores} cores too. Each setup run {} \
         times in turn; medians. Every run's standings are checked equal to in-process.",
        args.sims,
        args.repeat.max(1)
    );
    let nats = Nats::start(&args.nats_server, dir.path())?;
    let mut times: Vec<Vec<f64>> = vec![Vec::new(); setups.len()];
    let mut expected: Option<String> = None;
    for rep in 0..args.repeat.max(1) {
        for (i, setup) in setups.iter().enumerate() {
            let tag = format!("{rep}-{i}");
            let config = write_config(dir.path(), &examples, args.sims, &tag)?;
            let data = dir.path().join(format!("data-{tag}"));
            let mut workers = Vec::new();
            for (w, &jobs) in setup.workers.iter().enumerate() {
                workers.push(Logged::spawn(
                    Command::new(&me)
                        .args(["worker", "--nats", &nats.url(), "--jobs", &jobs.to_string()])
                        .arg("--cache")
                        .arg(dir.path().join(format!("cache-{tag}-{w}")))
                        .arg("--name")
                        .arg(format!("bench-{tag}-{w}")),
                )?);
            }
            for w in &mut workers {
                w.wait_for("taking jobs from")?;
            }
            let mut cmd = Command::new(&me);
            cmd.arg("run")
                .arg(&config)
                .arg("--data-dir")
                .arg(&data)
                .arg("--json");
            match setup.in_process_jobs {
                Some(j) => {
                    cmd.args(["--jobs", &j.to_string()]);
                }
                None => {
                    cmd.args(["--workers", &nats.url()]);
                }
            }
            let start = Instant::now();
            let out = cmd
                .stderr(Stdio::null())
                .output()
                .context("cannot start arena run")?;
            let took = start.elapsed().as_secs_f64();
            if !out.status.success() {
                bail!("arena run ({}) failed: {}", setup.label, out.status);
            }
            let standings = standings_without_name(&out.stdout)?;
            match &expected {
                None => expected = Some(standings),
                Some(e) if *e == standings => {}
                Some(_) => bail!(
                    "{}: the standings differ from the in-process run's; the runs did not play the same round",
                    setup.label
                ),
            }
            times[i].push(took);
            drop(workers);
        }
    }
    let base = median(times[0].clone());
    println!(
        "\n{:<24} {:>9} {:>9} {:>18}",
        "setup", "wall s", "sims/s", "vs 1 thread"
    );
    for (setup, t) in setups.iter().zip(&times) {
        let m = median(t.clone());
        println!(
            "{:<24} {:>9.2} {:>9.0} {:>18.2}",
            setup.label,
            m,
            f64::from(args.sims) / m,
            base / m
        );
    }
    let one_slot = median(times[2].clone());
    println!(
        "\nOverhead per simulation through NATS (1 worker, 1 slot, against in-process on 1 thread): {:.2} ms",
        (one_slot - base) * 1000.0 / f64::from(args.sims)
    );
    Ok(())
}

/// The repository's `examples/corewar`, from the working directory or
/// beside the executable's build folder.
fn find_examples() -> Result<PathBuf> {
    let mut candidates = vec![PathBuf::from("examples/corewar")];
    if let Ok(exe) = std::env::current_exe() {
        candidates.extend(exe.ancestors().skip(1).map(|a| a.join("examples/corewar")));
    }
    candidates
        .into_iter()
        .find(|p| p.join("tern.red").is_file())
        .context("cannot find examples/corewar: run this from the repository's folder")
}

/// A tournament of `sims` simulations, round 0 only, named by `tag` so each
/// run is its own tournament.
fn write_config(dir: &Path, examples: &Path, sims: u32, tag: &str) -> Result<PathBuf> {
    let ex = std::fs::canonicalize(examples)?;
    let mut text = format!(
        "name = \"bench-{tag}\"\ngame = \"corewar\"\nrounds = 0\nsims = {sims}\nseed = 7\n"
    );
    for w in ["pebble", "cartwheel", "tern", "lantern"] {
        text.push_str(&format!(
            "\n[[players]]\nname = \"{w}\"\ncodebase = \"{}\"\nagent = \"static\"\n",
            ex.join(format!("{w}.red")).display()
        ));
    }
    let path = dir.join(format!("bench-{tag}.toml"));
    std::fs::write(&path, text)?;
    Ok(path)
}

/// The standings as JSON text without the tournament's name (each run has
/// its own).
fn standings_without_name(stdout: &[u8]) -> Result<String> {
    let standings: arena_agents::wire::Standings =
        serde_json::from_slice(stdout).context("arena run --json printed no standings")?;
    let players: Vec<(String, u64, u64)> = standings
        .players
        .iter()
        .map(|p| (p.name.clone(), p.round_wins, p.sims_won))
        .collect();
    Ok(serde_json::to_string(&players)?)
}

/// A `nats-server` with JetStream on a free loopback port.
struct Nats {
    port: u16,
    _server: Logged,
}

impl Nats {
    fn start(bin: &Path, dir: &Path) -> Result<Nats> {
        let port = std::net::TcpListener::bind("127.0.0.1:0")?
            .local_addr()?
            .port();
        let mut server = Logged::spawn(
            Command::new(bin)
                .args(["-js", "-a", "127.0.0.1", "-p", &port.to_string(), "-sd"])
                .arg(dir.join("jetstream")),
        )
        .with_context(|| {
            format!(
                "cannot start {} (Debian: apt install nats-server)",
                bin.display()
            )
        })?;
        server.wait_for("Server is ready")?;
        Ok(Nats {
            port,
            _server: server,
        })
    }

    fn url(&self) -> String {
        format!("nats://127.0.0.1:{}", self.port)
    }
}

/// A child whose standard error lines arrive on a channel; killed on drop.
struct Logged {
    child: Child,
    lines: Receiver<String>,
}

impl Logged {
    fn spawn(cmd: &mut Command) -> Result<Logged> {
        let mut child = cmd.stdout(Stdio::null()).stderr(Stdio::piped()).spawn()?;
        let stderr = child.stderr.take().context("no stderr")?;
        let (tx, lines) = channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Ok(Logged { child, lines })
    }

    /// Waits for a line containing `text`.
    fn wait_for(&mut self, text: &str) -> Result<()> {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) if line.contains(text) => return Ok(()),
                Ok(_) => {}
                Err(e) => bail!("no line with {text:?} from a child process ({e})"),
            }
        }
    }
}

impl Drop for Logged {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
