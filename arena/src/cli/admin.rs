//! `arena admin`: the admin side of the protocol from the command line, so
//! a benchmark runner can script a server: create a tournament from its
//! TOML, register its remote agents (printing their tokens), start, pause,
//! resume, cancel, list.

use std::net::TcpStream;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use tungstenite::{Message, WebSocket};

use arena_agents::protocol::{
    ClientMessage, PROTOCOL_VERSION, Role, ServerMessage, parse_server_message,
};

use arena::server::auth::ADMIN_TOKEN_ENV;

/// `arena admin`'s options.
#[derive(clap::Args, Debug)]
pub struct AdminArgs {
    /// The server's websocket URL (ws://HOST:PORT/ws; http:// and a bare
    /// host:port work too).
    #[arg(long, value_name = "URL", default_value = "ws://127.0.0.1:8080/ws")]
    pub server: String,
    /// The admin token (else $ARENA_ADMIN_TOKEN).
    #[arg(long, value_name = "T")]
    pub token: Option<String>,
    #[command(subcommand)]
    pub action: AdminAction,
}

#[derive(clap::Subcommand, Debug)]
pub enum AdminAction {
    /// Create a tournament from a TOML config (as `arena run` takes it;
    /// paths relative to the server's working directory); prints its id.
    Create {
        config: PathBuf,
    },
    /// Issue a token for a player with agent = "remote"; prints it (once:
    /// the server keeps only its hash).
    Register {
        tournament: i64,
        player: String,
    },
    Start {
        tournament: i64,
    },
    Pause {
        tournament: i64,
    },
    Resume {
        tournament: i64,
    },
    Cancel {
        tournament: i64,
    },
    /// The server's tournaments, as JSON.
    List,
}

type Socket = WebSocket<TcpStream>;

pub fn run(args: &AdminArgs) -> Result<()> {
    let token = args
        .token
        .clone()
        .or_else(|| std::env::var(ADMIN_TOKEN_ENV).ok())
        .filter(|t| !t.is_empty())
        .with_context(|| format!("no admin token: pass --token or set ${ADMIN_TOKEN_ENV}"))?;
    let request = match &args.action {
        AdminAction::Create { config } => {
            let text = std::fs::read_to_string(config)
                .with_context(|| format!("cannot read {}", config.display()))?;
            let base = config.parent().unwrap_or(std::path::Path::new("."));
            ClientMessage::CreateTournament {
                config_toml: resolve_paths(&text, base)?,
            }
        }
        AdminAction::Register { tournament, player } => ClientMessage::RegisterAgent {
            tournament: *tournament,
            player: player.clone(),
        },
        AdminAction::Start { tournament } => ClientMessage::StartTournament {
            tournament: *tournament,
        },
        AdminAction::Pause { tournament } => ClientMessage::PauseTournament {
            tournament: *tournament,
        },
        AdminAction::Resume { tournament } => ClientMessage::ResumeTournament {
            tournament: *tournament,
        },
        AdminAction::Cancel { tournament } => ClientMessage::CancelTournament {
            tournament: *tournament,
        },
        AdminAction::List => ClientMessage::ListTournaments {},
    };
    let mut ws = connect(&args.server)?;
    send(
        &mut ws,
        &ClientMessage::Hello {
            role: Role::Admin,
            token: Some(token),
            protocol_version: PROTOCOL_VERSION,
        },
    )?;
    match receive(&mut ws)? {
        ServerMessage::Welcome { .. } => {}
        ServerMessage::Error { code, message, .. } => {
            bail!("the server refused: {code}: {message}")
        }
        other => bail!("the server answered `{}` to hello", other.type_name()),
    }
    send(&mut ws, &request)?;
    let answer = receive(&mut ws)?;
    let _ = ws.close(None);
    match answer {
        ServerMessage::TournamentCreated { tournament, name } => {
            println!("{tournament}");
            eprintln!(
                "created tournament {tournament} ({name}); register its remote agents, then start it"
            );
        }
        ServerMessage::AgentRegistered { player, token, .. } => {
            println!("{token}");
            eprintln!(
                "the token of {player}, shown once: give it to its agent (arena agent --token, or $ARENA_AGENT_TOKEN)"
            );
        }
        ServerMessage::TournamentUpdated { tournament, state } => {
            println!("{}", state.as_str());
            eprintln!("tournament {tournament} is {}", state.as_str());
        }
        ServerMessage::Tournaments { tournaments } => {
            println!("{}", serde_json::to_string_pretty(&tournaments)?);
        }
        ServerMessage::Error { code, message, .. } => bail!("{code}: {message}"),
        other => bail!("unexpected answer `{}`", other.type_name()),
    }
    Ok(())
}

/// The config with its players' relative paths (`codebase`, `dir`) made
/// absolute against the config's folder where they exist there, as `arena
/// run` reads them; other paths are left to the server (relative to its
/// working directory).
fn resolve_paths(text: &str, base: &std::path::Path) -> Result<String> {
    let mut doc: toml::Table = toml::from_str(text).context("the config is not TOML")?;
    let Some(toml::Value::Array(players)) = doc.get_mut("players") else {
        return Ok(text.to_owned());
    };
    let mut changed = false;
    for player in players.iter_mut() {
        let toml::Value::Table(p) = player else {
            continue;
        };
        for key in ["codebase", "dir"] {
            if let Some(toml::Value::String(path)) = p.get_mut(key) {
                let local = base.join(&*path);
                if std::path::Path::new(path).is_relative()
                    && let Ok(abs) = local.canonicalize()
                {
                    *path = abs.to_string_lossy().into_owned();
                    changed = true;
                }
            }
        }
    }
    if !changed {
        return Ok(text.to_owned());
    }
    toml::to_string(&doc).context("cannot write the config back as TOML")
}

fn connect(server: &str) -> Result<Socket> {
    let url = arena_agents::client::websocket_url(server).map_err(|e| anyhow::anyhow!("{e}"))?;
    let authority = url
        .trim_start_matches("ws://")
        .split('/')
        .next()
        .unwrap_or_default()
        .to_owned();
    let stream = TcpStream::connect(&authority)
        .with_context(|| format!("cannot connect to {authority}; is `arena serve` running?"))?;
    stream.set_read_timeout(Some(Duration::from_secs(60)))?;
    let (ws, _) = tungstenite::client(url.as_str(), stream)
        .with_context(|| format!("no websocket at {url}"))?;
    Ok(ws)
}

fn send(ws: &mut Socket, msg: &ClientMessage) -> Result<()> {
    ws.send(Message::text(msg.to_json()))
        .context("the connection to the server broke")
}

fn receive(ws: &mut Socket) -> Result<ServerMessage> {
    loop {
        match ws.read().context("no answer from the server")? {
            Message::Text(t) => {
                return parse_server_message(t.as_str())
                    .map_err(|e| anyhow::anyhow!("an answer this client cannot read: {e}"));
            }
            Message::Close(_) => bail!("the server closed the connection"),
            _ => {}
        }
    }
}
