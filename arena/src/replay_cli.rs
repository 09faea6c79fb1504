//! `arena replay`: list, show, export and verify stored replays.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use arena::store::{ReplayRow, Store};
use arena_replays::Replay;

/// What to do with replays.
#[derive(clap::Subcommand, Debug)]
pub enum ReplayCommand {
    /// List stored replays (newest last).
    List {
        /// Where the SQLite database lives.
        #[arg(long, default_value = "arena-data")]
        data_dir: PathBuf,
        /// Only this tournament's.
        #[arg(long)]
        tournament: Option<String>,
        /// At most this many (the last ones).
        #[arg(long, default_value_t = 50)]
        limit: u32,
    },
    /// Print a replay's header, or one turn's frame.
    Show {
        /// The match id (`arena replay list` shows it).
        id: i64,
        /// Print this turn's frame instead of the header.
        #[arg(long)]
        turn: Option<u64>,
        #[arg(long, default_value = "arena-data")]
        data_dir: PathBuf,
    },
    /// Write a replay as one JSON document on standard output (`--format
    /// hlt`: a Halite replay as the Halite I environment's `.hlt` file,
    /// which its visualizer reads).
    Export {
        id: i64,
        /// json (the arena's document) or hlt (Halite replays only).
        #[arg(long, default_value = "json")]
        format: String,
        #[arg(long, default_value = "arena-data")]
        data_dir: PathBuf,
    },
    /// Check a replay: Core War is re-simulated and compared; other games'
    /// replays are decoded whole and checked against their header.
    Verify {
        id: i64,
        #[arg(long, default_value = "arena-data")]
        data_dir: PathBuf,
    },
}

/// Writes to standard output; a reader that stopped reading (`| head`) is
/// not an error.
fn emit(text: &str) -> Result<()> {
    match std::io::stdout().lock().write_all(text.as_bytes()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => Ok(other?),
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            || c.to_string().contains("Broken pipe")
    })
}

fn open(data_dir: &Path) -> Result<Store> {
    let path = data_dir.join(arena::store::DB_FILE);
    if !path.exists() {
        bail!(
            "no database at {}: run a tournament first (arena run CONFIG --data-dir {})",
            path.display(),
            data_dir.display()
        );
    }
    Store::open_read_only(data_dir)
        .with_context(|| format!("cannot open {}", path.display()))?
        .with_context(|| format!("no database at {}", path.display()))
}

/// Runs `f` on a stored replay, or says there is none.
fn with_replay(data_dir: &Path, id: i64, f: impl FnOnce(&Replay<'_>) -> Result<()>) -> Result<()> {
    open(data_dir)?.with_replay(id, f)?.with_context(|| {
        format!("match {id} has no stored replay; `arena replay list` shows the stored ones")
    })?
}

pub fn run(cmd: &ReplayCommand) -> Result<()> {
    match cmd {
        ReplayCommand::List {
            data_dir,
            tournament,
            limit,
        } => {
            let rows = open(data_dir)?.replay_rows(tournament.as_deref(), i64::from(*limit))?;
            let mut out = format!(
                "{:>6}  {:<20} {:<12} {:>5} {:>5} {:>7}  placements\n",
                "id", "tournament", "game", "round", "sim", "frames"
            );
            for ReplayRow {
                match_id: id,
                tournament: name,
                game,
                round,
                sim,
                frames,
                placements,
            } in rows
            {
                out.push_str(&format!(
                    "{id:>6}  {name:<20} {game:<12} {round:>5} {sim:>5} {frames:>7}  {placements}\n"
                ));
            }
            emit(&out)?;
        }
        ReplayCommand::Show { id, turn, data_dir } => {
            with_replay(data_dir, *id, |replay| {
                let value = match turn {
                    Some(t) => {
                        if *t >= replay.frame_count() {
                            bail!(
                                "replay {id} has {} frames (turns 0..{}); ask for one of those",
                                replay.frame_count(),
                                replay.frame_count().saturating_sub(1)
                            );
                        }
                        replay.frame(*t)?
                    }
                    None => {
                        let mut v = serde_json::to_value(replay.header())?;
                        if let Some(obj) = v.as_object_mut() {
                            obj.insert("frames".into(), replay.frame_count().into());
                        }
                        v
                    }
                };
                emit(&format!("{}\n", serde_json::to_string_pretty(&value)?))?;
                Ok(())
            })?;
        }
        ReplayCommand::Export {
            id,
            format,
            data_dir,
        } if format == "hlt" => {
            with_replay(data_dir, *id, |replay| {
                if replay.header().game != "halite" {
                    bail!(
                        "replay {id} is a {} game: --format hlt is for Halite replays",
                        replay.header().game
                    );
                }
                let names = replay
                    .header()
                    .players
                    .iter()
                    .map(|p| p.name.clone())
                    .collect();
                let frames = replay.frames(..).collect::<Result<Vec<_>, _>>()?;
                let hlt = arena::games::halite::hlt_from_frames(names, frames)?;
                emit(&hlt.to_json())?;
                Ok(())
            })?;
        }
        ReplayCommand::Export { format, .. } if format != "json" => {
            bail!("--format {format}: json or hlt")
        }
        ReplayCommand::Export { id, data_dir, .. } => {
            with_replay(data_dir, *id, |replay| {
                let stdout = std::io::stdout();
                let mut lock = stdout.lock();
                match arena_replays::export_json(replay, &mut lock)
                    .map_err(anyhow::Error::from)
                    .and_then(|()| Ok(writeln!(lock)?))
                {
                    Err(e) if is_broken_pipe(&e) => {}
                    other => other?,
                }
                Ok(())
            })?;
        }
        ReplayCommand::Verify { id, data_dir } => {
            with_replay(data_dir, *id, |replay| {
                let verified =
                    arena::games::find(&replay.header().game).and_then(|g| g.verify(replay));
                if let Some(verified) = verified {
                    let summary = verified.map_err(|m| {
                        anyhow::anyhow!("replay {id} does not match its re-simulation: {m}")
                    })?;
                    emit(&format!("replay {id}: {summary}\n"))?;
                } else {
                    let mut n = 0u64;
                    for frame in replay.frames(..) {
                        frame?;
                        n += 1;
                    }
                    if n != replay.frame_count() {
                        bail!(
                            "replay {id}: {n} frames decode, its table says {}",
                            replay.frame_count()
                        );
                    }
                    emit(&format!(
                        "replay {id}: all {n} frames decode ({} games depend on the bots' moves, so they are checked for integrity, not re-simulated)\n",
                        replay.header().game
                    ))?;
                }
                Ok(())
            })?;
        }
    }
    Ok(())
}
