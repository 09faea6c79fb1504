//! The `arena` command.

mod bench;
mod matches;
mod pmars;

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
    /// Play codebases against each other locally: many simulations, a table of results.
    ///
    /// Example: arena match --game corewar --sims 1000 examples/corewar/pebble.red examples/corewar/tern.red
    Match(matches::MatchArgs),
    /// Rating algorithms over JSON files (Codeforces, Bradley-Terry).
    #[command(subcommand)]
    Rating(arena::ratings::cli::RatingCommand),
    /// Benchmarks against reference tools, printed as tables.
    #[command(subcommand)]
    Bench(Bench),
}

#[derive(Subcommand, Debug)]
enum Bench {
    /// Core War: rounds per second of pMARS and `arena pmars` on the same battles.
    Corewar(bench::CorewarBench),
    /// BattleSnake: engine turns per second, and games of sandboxed Python bots.
    Battlesnake(bench::BattlesnakeBench),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_tracing(cli.verbose);
    match cli.command {
        Command::Pmars { jobs, args } => pmars::run(&args, jobs.unwrap_or_else(cores)),
        Command::Match(args) => match matches::run(&args, args.jobs.unwrap_or_else(cores)) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("arena match: {e:#}");
                ExitCode::from(2)
            }
        },
        Command::Rating(command) => arena::ratings::cli::run(&command),
        Command::Bench(Bench::Battlesnake(args)) => match bench::battlesnake(&args) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("arena bench battlesnake: {e:#}");
                ExitCode::FAILURE
            }
        },
        Command::Bench(Bench::Corewar(args)) => match bench::corewar(&args) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("arena bench corewar: {e:#}");
                ExitCode::FAILURE
            }
        },
    }
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
