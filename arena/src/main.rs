//! The `arena` command.
//!
//! The binary's edge, where `anyhow` may be used: arena/clippy.toml forbids
//! it in the library, whose errors are typed.
#![allow(
    clippy::disallowed_types,
    clippy::disallowed_macros,
    clippy::disallowed_methods
)]

mod bench;
mod cli;
mod halite;
mod pmars;
mod replay_cli;

use arena::matches;

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use tracing_subscriber::EnvFilter;

/// A tournament arena for coding agents: games on bevy_ecs, ratings and
/// replays in SQLite.
#[derive(Parser, Debug)]
#[command(name = "arena", version, about)]
struct Cli {
    /// More log output (-v info, -vv debug, -vvv trace); RUST_LOG overrides.
    #[arg(short, long, action = clap::ArgAction::Count)]
    verbose: u8,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Play Core War battles exactly as pMARS 0.9.2 does, with its options.
    ///
    /// Example: arena pmars -b -r 100 -f imp.red dwarf.red
    #[command(disable_help_flag = true)]
    Pmars {
        /// Threads for rounds that do not depend on each other (default: all cores).
        #[arg(long = "jobs", value_name = "J")]
        jobs: Option<usize>,
        /// pMARS's options and warrior files, as pMARS takes them.
        #[arg(trailing_var_arg = true, allow_hyphen_values = true, num_args = 0..)]
        args: Vec<String>,
    },
    /// Play a Halite I game exactly as the official environment does, with its options and output.
    ///
    /// Example: arena halite -q -d "30 30" -s 42 "python3 MyBot.py" "./bot"
    #[command(disable_help_flag = true)]
    Halite {
        /// The environment's options and bot commands, as it takes them.
        #[arg(trailing_var_arg = true, allow_hyphen_values = true, num_args = 0..)]
        args: Vec<String>,
    },
    /// Run a tournament from its config; rerun the same command to resume it.
    ///
    /// Example: arena run examples/tournaments/corewar.toml
    Run {
        /// The tournament's TOML config.
        config: std::path::PathBuf,
        /// Where the SQLite database lives.
        #[arg(long, default_value = "arena-data")]
        data_dir: std::path::PathBuf,
        /// Threads for simulations (default: all cores).
        #[arg(long)]
        jobs: Option<usize>,
        /// Print the final standings as JSON.
        #[arg(long)]
        json: bool,
        /// Seconds an agent has for its edit.
        #[arg(long, default_value_t = 600)]
        edit_timeout: u64,
        #[command(flatten)]
        workers: arena::workers::server::WorkersArgs,
    },
    /// The leaderboard of each rating pool (game + rules version), recomputed from every stored result.
    Ratings {
        /// Only this game's pools (corewar, battlesnake).
        #[arg(long)]
        game: Option<String>,
        #[arg(long, default_value = "arena-data")]
        data_dir: std::path::PathBuf,
        /// Print JSON.
        #[arg(long)]
        json: bool,
        /// Anchors file ([[anchor]] game, player, elo, rules_version);
        /// default: anchors.toml in the data directory, if there is one.
        #[arg(long)]
        anchors: Option<std::path::PathBuf>,
        /// Print the table CodeClash's leaderboard method makes (one result
        /// per two-player tournament, Bradley-Terry with λ 0.01).
        #[arg(long)]
        codeclash: bool,
    },
    /// Stored replays: list, show, export, verify.
    #[command(subcommand)]
    Replay(replay_cli::ReplayCommand),
    /// Play codebases against each other locally: many simulations, a table of results.
    ///
    /// Example: arena match --game corewar --sims 1000 examples/corewar/pebble.red examples/corewar/tern.red
    Match(matches::MatchArgs),
    /// Check what bots need on this host (sandbox, cgroups, Python and its installer, the
    /// environment cache, compilers, Node.js) and print the command that installs what is missing.
    ///
    /// Example: arena doctor
    Doctor(arena::doctor::DoctorArgs),
    /// Rating algorithms over JSON files (Codeforces, Bradley-Terry).
    #[command(subcommand)]
    Rating(cli::rating::RatingCommand),
    /// Play simulations for `arena run`/`arena serve --workers`: take jobs from NATS JetStream,
    /// publish the results.
    ///
    /// Example: arena worker --nats nats://10.0.0.5:4222 --jobs 8
    Worker(arena::workers::WorkerArgs),
    /// Benchmarks against reference tools, printed as tables.
    #[command(subcommand)]
    Bench(Bench),
    /// Serve tournaments with remote agents, live games and replays: HTTP (JSON read endpoints)
    /// and websockets (agents, spectators, admins; docs/protocol.md) on one port.
    ///
    /// Example: arena serve --listen 127.0.0.1:8080 --data-dir arena-data
    Serve(cli::serve::ServeArgs),
    /// Drive `arena serve` as its admin: create a tournament, register its remote agents, start,
    /// pause, resume, cancel, list.
    ///
    /// Example: arena admin --token s3cret create examples/tournaments/remote-battlesnake.toml
    Admin(cli::admin::AdminArgs),
    /// Play a player's rounds on `arena serve`: each round the codebase is written to a
    /// folder, a shell command edits it there, and the folder is submitted.
    ///
    /// Example: ARENA_AGENT_TOKEN=agt_... arena agent --server ws://127.0.0.1:8080/ws --workdir alice --edit './my-agent'
    Agent {
        /// The server's websocket URL: ws://HOST:PORT/ws (http:// is read as ws://; /ws is added
        /// when there is no path). Plain ws:// only, no TLS.
        #[arg(long, value_name = "URL")]
        server: String,
        /// The player's token from register_agent; else $ARENA_AGENT_TOKEN (which keeps it out
        /// of the process list).
        #[arg(long, value_name = "T")]
        token: Option<String>,
        /// The folder the codebase is written to and the command runs in; created if missing.
        /// Its contents are replaced every round (its .git/ is kept and never submitted).
        #[arg(long, value_name = "DIR")]
        workdir: std::path::PathBuf,
        /// The shell command that edits the codebase in its current folder (run as sh -c).
        #[arg(long, value_name = "COMMAND")]
        edit: String,
        /// Seconds to keep trying to reconnect before giving up.
        #[arg(long, value_name = "SECS", default_value_t = 60)]
        give_up_after: u64,
    },
    /// Write the contract's generated documents: a JSON Schema of every websocket message and
    /// HTTP body (OUT/schema/) and the HTTP API's OpenAPI document (OUT/openapi.json).
    ///
    /// Example: arena schema --out docs
    Schema {
        /// The folder to write into (the repository's docs/).
        #[arg(long, value_name = "OUT")]
        out: std::path::PathBuf,
    },
}

#[derive(Subcommand, Debug)]
enum Bench {
    /// Halite I: the official environment and `arena halite` on the same games, and the tournament path.
    Halite(bench::HaliteBench),
    /// Core War: rounds per second of pMARS and `arena pmars` on the same battles.
    Corewar(bench::CorewarBench),
    /// BattleSnake: engine turns per second, and games of sandboxed Python bots.
    Battlesnake(bench::BattlesnakeBench),
    /// Tournaments: simulations per second of a Core War and a BattleSnake round, and the cost of storing a match.
    Tournament(bench::TournamentBench),
    /// RobotRumble: a CodeClash round (250 simulations) of the same bots in the arena and in upstream's rumblebot, side by side.
    Robotrumble(bench::robotrumble::RobotRumbleBench),
    /// Spectators: frame delivery latency (p50, p99) of one live game to 100, 1000 and as many spectators as the machine holds.
    Spectators(cli::spectators::SpectatorBench),
    /// Workers: a round of Core War simulations in-process and on 1 and 2 `arena worker`s through a real nats-server, side by side.
    Workers(bench::workers::WorkersBench),
}

/// The exit code of a command that failed (its error on stderr): the same
/// code clap gives a command line it cannot parse. `arena pmars` and
/// `arena halite` exit as the tools they replace do instead.
const FAILED: u8 = 2;

/// An error and its causes on one line, each said once: a typed error's
/// message often ends with its source's already (`the database failed: X`
/// over `X`), where `{:#}` would repeat it.
fn one_line(e: &anyhow::Error) -> String {
    let mut text = e.to_string();
    for cause in e.chain().skip(1) {
        let cause = cause.to_string();
        if !text.ends_with(&cause) {
            text.push_str(": ");
            text.push_str(&cause);
        }
    }
    text
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_tracing(cli.verbose);
    let name = command_name(&cli.command);
    // Exit codes are decided here and only here (README: "Exit codes").
    match run(cli.command) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("arena {name}: {}", one_line(&e));
            ExitCode::from(FAILED)
        }
    }
}

/// The command's name for error messages (`arena bench corewar: ...`).
fn command_name(command: &Command) -> &'static str {
    match command {
        Command::Pmars { .. } => "pmars",
        Command::Halite { .. } => "halite",
        Command::Run { .. } => "run",
        Command::Ratings { .. } => "ratings",
        Command::Replay(_) => "replay",
        Command::Match(_) => "match",
        Command::Rating(_) => "rating",
        Command::Worker(_) => "worker",
        Command::Doctor(_) => "doctor",
        Command::Bench(Bench::Halite(_)) => "bench halite",
        Command::Bench(Bench::Corewar(_)) => "bench corewar",
        Command::Bench(Bench::Battlesnake(_)) => "bench battlesnake",
        Command::Bench(Bench::Tournament(_)) => "bench tournament",
        Command::Bench(Bench::Robotrumble(_)) => "bench robotrumble",
        Command::Bench(Bench::Spectators(_)) => "bench spectators",
        Command::Bench(Bench::Workers(_)) => "bench workers",
        Command::Serve(_) => "serve",
        Command::Admin(_) => "admin",
        Command::Agent { .. } => "agent",
        Command::Schema { .. } => "schema",
    }
}

/// Runs a command: `Ok` with its exit code when it ran to its end (the
/// pMARS and Halite drop-ins choose their own), `Err` when it failed.
fn run(command: Command) -> anyhow::Result<ExitCode> {
    match command {
        Command::Pmars { jobs, args } => return Ok(pmars::run(&args, jobs.unwrap_or_else(cores))),
        Command::Halite { args } => return Ok(halite::run(&args)),
        Command::Run {
            config,
            data_dir,
            jobs,
            json,
            edit_timeout,
            workers,
        } => run_tournament(
            &config,
            data_dir,
            jobs.unwrap_or_else(cores),
            json,
            edit_timeout,
            &workers,
        )?,
        Command::Ratings {
            game,
            data_dir,
            json,
            anchors,
            codeclash,
        } => ratings(
            game.as_deref(),
            &data_dir,
            json,
            anchors.as_deref(),
            codeclash,
        )?,
        Command::Replay(cmd) => replay_cli::run(&cmd)?,
        Command::Match(args) => matches::run(&args, args.jobs.unwrap_or_else(cores))?,
        Command::Doctor(args) => {
            // Ran, and something bots need is missing: 1, as a check fails.
            let code = match arena::doctor::run(&args)? {
                true => ExitCode::SUCCESS,
                false => ExitCode::FAILURE,
            };
            return Ok(code);
        }
        Command::Worker(args) => arena::workers::worker::run(&args)?,
        Command::Rating(command) => cli::rating::run(&command)?,
        Command::Serve(args) => cli::serve::run(&args)?,
        Command::Agent {
            server,
            token,
            workdir,
            edit,
            give_up_after,
        } => agent(server, token, workdir, edit, give_up_after)?,
        Command::Admin(args) => cli::admin::run(&args)?,
        Command::Schema { out } => arena::server::schema::write(&out)?,
        Command::Bench(Bench::Workers(args)) => bench::workers::run(&args)?,
        Command::Bench(Bench::Tournament(args)) => bench::tournament(&args)?,
        Command::Bench(Bench::Battlesnake(args)) => bench::battlesnake(&args)?,
        Command::Bench(Bench::Robotrumble(args)) => bench::robotrumble::run(&args)?,
        Command::Bench(Bench::Spectators(args)) => cli::spectators::spectators(&args)?,
        Command::Bench(Bench::Halite(args)) => bench::halite(&args)?,
        Command::Bench(Bench::Corewar(args)) => bench::corewar(&args)?,
    }
    Ok(ExitCode::SUCCESS)
}

fn ratings(
    game: Option<&str>,
    data_dir: &std::path::Path,
    json: bool,
    anchors: Option<&std::path::Path>,
    codeclash: bool,
) -> anyhow::Result<()> {
    let path = data_dir.join(arena::store::DB_FILE);
    if !path.exists() {
        anyhow::bail!("no database at {}: run a tournament first", path.display());
    }
    let store = arena::store::Store::open_read_only(data_dir)?
        .ok_or_else(|| anyhow::anyhow!("no database at {}", path.display()))?;
    let mut boards = Vec::new();
    // The database's holder reads every tournament in it, private ones too.
    let all = arena::leaderboard::Pooled::All;
    for (g, rules) in arena::leaderboard::pools(&store, game, all)? {
        let file = anchors.map_or_else(
            || data_dir.join(arena::leaderboard::ANCHORS_FILE),
            std::path::Path::to_path_buf,
        );
        if let Some(path) = anchors
            && !path.exists()
        {
            anyhow::bail!("anchors file {} does not exist", path.display());
        }
        let pool_anchors = arena::leaderboard::read_anchors(&file, &g, &rules)?;
        boards.push(arena::leaderboard::leaderboard_with(
            &store,
            &g,
            &rules,
            pool_anchors,
            all,
        )?);
    }
    if json {
        println!("{}", serde_json::to_string_pretty(&boards)?);
    } else if boards.is_empty() {
        println!("no rated results yet");
    } else {
        for b in &boards {
            if codeclash {
                println!("{}", b.codeclash_table());
            } else {
                println!("{b}");
            }
        }
    }
    Ok(())
}

fn run_tournament(
    path: &std::path::Path,
    data_dir: std::path::PathBuf,
    jobs: usize,
    json: bool,
    edit_timeout: u64,
    workers: &arena::workers::server::WorkersArgs,
) -> anyhow::Result<()> {
    let config = arena::config::TournamentConfig::load(path)?;
    let text = std::fs::read_to_string(path)?;
    let opts = arena::tournament::RunOptions {
        data_dir,
        jobs,
        progress: !json,
        edit_deadline: std::time::Duration::from_secs(edit_timeout),
        workers: workers.executor()?,
    };
    let standings = arena::tournament::run(&config, &text, &opts)?;
    if json {
        println!("{}", serde_json::to_string_pretty(&standings)?);
    } else {
        print!("{}", arena::tournament::StandingsTable(&standings));
    }
    Ok(())
}

/// `arena agent`: plays until the tournament finishes (the client prints each step).
fn agent(
    server: String,
    token: Option<String>,
    workdir: std::path::PathBuf,
    edit: String,
    give_up_after: u64,
) -> anyhow::Result<()> {
    use arena_agents::client;
    let token = token
        .or_else(|| std::env::var(client::TOKEN_ENV).ok())
        .unwrap_or_default();
    let mut opts = client::AgentOptions::new(server, token, workdir, edit);
    opts.give_up_after = std::time::Duration::from_secs(give_up_after);
    client::run(&opts, &mut std::io::stdout())?;
    Ok(())
}

/// Cores this process may use.
fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

fn init_tracing(verbose: u8) {
    let level = match verbose {
        0 => "warn",
        1 => "info",
        2 => "debug",
        _ => "trace",
    };
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(level));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .init();
}
