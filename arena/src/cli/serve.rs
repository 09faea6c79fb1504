//! `arena serve`: its options, and running the server until Ctrl-C or
//! SIGTERM.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context, Result, bail};

use arena::server::auth::{self, TokenHash, TokenSource};
use arena::server::{ServerState, limits, serve};

/// `arena serve`'s options.
#[derive(clap::Args, Debug)]
pub struct ServeArgs {
    /// Address to listen on (default 127.0.0.1:8080). Only a loopback
    /// address is used unless this is given; port 0 picks a free port.
    #[arg(long, value_name = "ADDR:PORT")]
    pub listen: Option<SocketAddr>,
    /// Where the SQLite database lives.
    #[arg(long, default_value = "arena-data")]
    pub data_dir: PathBuf,
    /// The admin token (else $ARENA_ADMIN_TOKEN, else one is generated and
    /// printed once to standard error).
    #[arg(long, value_name = "T")]
    pub admin_token: Option<String>,
    /// Seconds a remote agent has for each edit.
    #[arg(long, value_name = "SECS", default_value_t = 600)]
    pub edit_timeout: u64,
    /// Threads for each tournament's simulations (default: every core).
    #[arg(long, short = 'j')]
    pub jobs: Option<usize>,
    /// Websockets open at once; one more is refused with HTTP 503 (each is
    /// an open file: the server raises its own soft limit to the hard one
    /// at start and warns when that is still too low).
    #[arg(long, value_name = "N", default_value_t = limits::DEFAULT_MAX_CONNECTIONS)]
    pub max_connections: usize,
    #[command(flatten)]
    pub workers: arena::workers::server::WorkersArgs,
}

/// The address `arena serve` listens on without `--listen`.
pub const DEFAULT_LISTEN: SocketAddr =
    SocketAddr::new(std::net::IpAddr::V4(std::net::Ipv4Addr::LOCALHOST), 8080);

/// Runs `arena serve` until Ctrl-C or SIGTERM.
pub fn run(args: &ServeArgs) -> Result<()> {
    let addr = args.listen.unwrap_or(DEFAULT_LISTEN);
    if args.listen.is_none() && !addr.ip().is_loopback() {
        bail!("refusing to listen on {addr} without an explicit --listen");
    }
    let (token, source) = auth::admin_token(args.admin_token.as_deref())
        .context("cannot read the OS's randomness for an admin token")?;
    if source == TokenSource::Generated {
        eprintln!("admin token (shown once, keep it): {token}");
    }
    let state = ServerState {
        data_dir: args.data_dir.clone(),
        admin_token_hash: TokenHash::of(&token),
        jobs: args
            .jobs
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get())),
        edit_deadline: Duration::from_secs(args.edit_timeout),
        workers: args.workers.executor()?,
        max_connections: args.max_connections,
    };
    drop(token);
    limits::check_open_files(args.max_connections);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .with_context(|| format!("cannot listen on {addr}"))?;
        let bound = listener.local_addr()?;
        {
            use std::io::Write;
            let mut out = std::io::stdout().lock();
            writeln!(out, "listening on {bound}")?;
            out.flush()?;
        }
        serve(listener, state, shutdown_signal()).await?;
        Ok(())
    })
}

/// Completes on Ctrl-C or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::warn!("cannot listen for Ctrl-C: {e}");
            std::future::pending::<()>().await;
        }
    };
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(e) => {
                tracing::warn!("cannot listen for SIGTERM: {e}");
                std::future::pending::<()>().await;
            }
        }
    };
    tokio::select! {
        () = ctrl_c => {}
        () = term => {}
    }
}
