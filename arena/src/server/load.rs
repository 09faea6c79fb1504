//! `arena bench spectators`: how many spectators one live game holds, and
//! how late its frames reach them.
//!
//! The server runs in this process on 127.0.0.1:0, the real one
//! ([`super::serve_hub`]), and so do the spectators: real websocket clients
//! on real sockets, each saying `hello`, subscribing to the game and
//! reading every `live_frame` to `game_finished`. The game is fed with
//! frames of a real BattleSnake game (four in-process snakes on 11x11) at a
//! fixed rate, each stamped with the time it was published; a frame's
//! latency is the time from `publish` to the moment a spectator has read
//! it. Every spectator must get every frame once, in order, or the level
//! fails. No reference tool has live spectators (CodeClash has none), so the
//! table stands alone.

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;

use super::hub::{Hub, HubOptions};
use super::live::{GameInfo, LiveGame};
use super::{ServerState, auth::TokenHash, serve_hub};

/// What to measure.
#[derive(clap::Args, Debug)]
pub struct SpectatorBench {
    /// Spectator counts, in order; `max` then doubles the last count until
    /// a level fails (a refused connection, a lost frame, or a p99 over
    /// `--max-p99-ms`).
    #[arg(long, value_delimiter = ',', default_value = "100,1000,max")]
    pub spectators: Vec<String>,
    /// Frames published per level.
    #[arg(long, default_value_t = 100)]
    pub frames: u64,
    /// Frames a second (a BattleSnake game at 500 ms a turn is 2; a replay
    /// at speed 1 is 10).
    #[arg(long, default_value_t = 10.0)]
    pub fps: f64,
    /// The p99 latency above which `max` stops growing.
    #[arg(long, default_value_t = 1000)]
    pub max_p99_ms: u64,
}

/// Handshakes in flight at once while a level connects.
const CONCURRENT_HANDSHAKES: usize = 128;

/// This process's limit on open files (`/proc/self/limits`).
fn open_files_limit() -> Option<usize> {
    let limits = std::fs::read_to_string("/proc/self/limits").ok()?;
    let line = limits.lines().find(|l| l.starts_with("Max open files"))?;
    line.split_whitespace().nth(3)?.parse().ok()
}

/// One level's figures.
struct Level {
    spectators: usize,
    connect: Duration,
    latencies_us: Vec<u64>,
}

pub fn spectators(args: &SpectatorBench) -> Result<()> {
    if args.frames == 0 || args.fps.is_nan() || args.fps <= 0.0 {
        bail!("--frames and --fps must be positive");
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(run(args))
}

async fn run(args: &SpectatorBench) -> Result<()> {
    let data = tempfile::tempdir().context("a data folder")?;
    let hub = Hub::new(HubOptions {
        data_dir: data.path().to_path_buf(),
        jobs: 1,
        edit_deadline: Duration::from_secs(60),
        base_dir: data.path().to_path_buf(),
    });
    let state = ServerState {
        data_dir: data.path().to_path_buf(),
        admin_token_hash: TokenHash::of("bench"),
        jobs: 1,
        edit_deadline: Duration::from_secs(60),
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .context("cannot listen on 127.0.0.1")?;
    let addr = listener.local_addr()?;
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(serve_hub(listener, state, hub.clone(), async move {
        let _ = stop_rx.await;
    }));
    let frames = sample_frames();
    let bytes = frames.iter().map(|f| f.to_string().len()).sum::<usize>() / frames.len().max(1);
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!(
        "Spectators of one live game: `arena serve` and its spectators in one process on {cores} cores, 127.0.0.1; \
         {} frames at {} a second, BattleSnake frames of ~{bytes} bytes; latency = publish to read",
        args.frames, args.fps
    );
    println!("every spectator must read every frame once, in order, or its level fails");
    println!(
        "{:>11} {:>10} {:>10} {:>10} {:>10} {:>12}",
        "spectators", "connect s", "p50 ms", "p99 ms", "max ms", "frames/s out"
    );
    // In one process every spectator costs two descriptors (its socket
    // and the server's end); past the limit, the process is what is full.
    let cap = open_files_limit().map(|l| l.saturating_sub(200) / 2);
    let mut last = 0usize;
    let mut held = 0usize;
    for spec in &args.spectators {
        if spec == "max" {
            let mut n = (last * 2).max(100);
            loop {
                if let Some(cap) = cap
                    && n > cap
                {
                    if held >= cap {
                        println!(
                            "stopped at this process's open-file limit ({} descriptors, two a spectator)",
                            cap * 2 + 200
                        );
                        break;
                    }
                    n = cap;
                }
                match level(&hub, addr, n, &frames, args).await {
                    Ok(l) if p(&l.latencies_us, 99.0) <= args.max_p99_ms * 1000 => {
                        print_level(&l, args);
                        held = n;
                        n *= 2;
                    }
                    Ok(l) => {
                        print_level(&l, args);
                        println!("{n:>11}   p99 over {} ms: stop", args.max_p99_ms);
                        break;
                    }
                    Err(e) => {
                        println!("{n:>11}   failed: {e:#}");
                        break;
                    }
                }
            }
            println!("held: {held} spectators with every frame delivered");
            continue;
        }
        let n: usize = spec
            .parse()
            .with_context(|| format!("--spectators: {spec:?} is not a number or `max`"))?;
        match level(&hub, addr, n, &frames, args).await {
            Ok(l) => {
                print_level(&l, args);
                held = held.max(n);
            }
            Err(e) => println!("{n:>11}   failed: {e:#}"),
        }
        last = n;
    }
    let _ = stop_tx.send(());
    let _ = server.await;
    Ok(())
}

fn print_level(l: &Level, args: &SpectatorBench) {
    let ms = |us: u64| us as f64 / 1000.0;
    println!(
        "{:>11} {:>10.2} {:>10.2} {:>10.2} {:>10.2} {:>12.0}",
        l.spectators,
        l.connect.as_secs_f64(),
        ms(p(&l.latencies_us, 50.0)),
        ms(p(&l.latencies_us, 99.0)),
        ms(l.latencies_us.iter().copied().max().unwrap_or(0)),
        l.spectators as f64 * args.fps,
    );
}

/// The `q`th percentile (nearest rank) of sorted values.
fn p(sorted: &[u64], q: f64) -> u64 {
    if sorted.is_empty() {
        return 0;
    }
    let rank = ((q / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

/// Frames of a real game: four in-process snakes on 11x11.
fn sample_frames() -> Vec<Value> {
    use arena_games::battlesnake::{BattleSnake, BattleSnakeSetup, RulesetName};
    use arena_games::engine::{Match, MatchRng, Seat};
    let names = ["a", "b", "c", "d"];
    let mut m = Match::<BattleSnake>::new(
        7,
        BattleSnakeSetup::new(RulesetName::Standard, 11, 11, &names),
    );
    let mut rng = MatchRng::new(7);
    let mut frames = Vec::new();
    while !m.is_over() && frames.len() < 500 {
        let mut actions = Vec::new();
        for seat in 0..names.len() as u8 {
            if let Some(req) = BattleSnake::request(m.world_mut(), Seat(seat)) {
                actions.push((
                    Seat(seat),
                    crate::matches::battlesnake::safe_move(&req, &mut rng),
                ));
            }
        }
        if let Some(f) = m.step(actions) {
            frames.push(serde_json::to_value(f).unwrap_or(Value::Null));
        }
    }
    frames
}

/// One level: `n` spectators follow a game of `args.frames` frames.
async fn level(
    hub: &Arc<Hub>,
    addr: std::net::SocketAddr,
    n: usize,
    frames: &[Value],
    args: &SpectatorBench,
) -> Result<Level> {
    let game = hub.live.open(GameInfo {
        tournament: 0,
        round: 0,
        sim: n as u32,
        header: json!({"game": "battlesnake", "players": []}),
    });
    let epoch = Instant::now();
    let connect_start = Instant::now();
    let (ready_tx, mut ready_rx) = tokio::sync::mpsc::channel::<Result<()>>(n.max(1));
    let mut clients = Vec::with_capacity(n);
    // At most this many handshakes at once, as a crowd arrives: more
    // would overflow the listen backlog and wait for SYN retries.
    let handshakes = Arc::new(tokio::sync::Semaphore::new(CONCURRENT_HANDSHAKES));
    for _ in 0..n {
        let ready = ready_tx.clone();
        let total = args.frames;
        let permit = handshakes.clone();
        clients.push(tokio::spawn(spectator(
            addr, game.id, total, epoch, ready, permit,
        )));
    }
    drop(ready_tx);
    for _ in 0..n {
        match ready_rx.recv().await {
            Some(Ok(())) => {}
            Some(Err(e)) => {
                game.finish(0, &Value::Null);
                for c in &clients {
                    c.abort();
                }
                return Err(e.context("a spectator could not subscribe"));
            }
            None => bail!("the spectators stopped before subscribing"),
        }
    }
    let connect = connect_start.elapsed();
    publish(&game, frames, args, epoch).await;
    let mut latencies = Vec::with_capacity(n * args.frames as usize);
    for c in clients {
        let got = c.await.context("a spectator task failed")??;
        latencies.extend(got);
    }
    latencies.sort_unstable();
    Ok(Level {
        spectators: n,
        connect,
        latencies_us: latencies,
    })
}

/// Publishes the frames at the rate asked, each stamped with its time.
async fn publish(game: &LiveGame, frames: &[Value], args: &SpectatorBench, epoch: Instant) {
    let interval = Duration::from_secs_f64(1.0 / args.fps);
    let mut tick = tokio::time::interval(interval);
    for turn in 0..args.frames {
        tick.tick().await;
        let mut frame = frames
            .get(turn as usize % frames.len().max(1))
            .cloned()
            .unwrap_or(Value::Null);
        if let Some(obj) = frame.as_object_mut() {
            obj.insert(
                "bench_sent_us".into(),
                json!(epoch.elapsed().as_micros() as u64),
            );
        }
        game.publish(turn, &frame);
    }
    game.finish(0, &Value::Null);
}

/// One spectator: subscribes, then reads every frame; its latencies (us).
async fn spectator(
    addr: std::net::SocketAddr,
    game_id: u64,
    frames: u64,
    epoch: Instant,
    ready: tokio::sync::mpsc::Sender<Result<()>>,
    handshakes: Arc<tokio::sync::Semaphore>,
) -> Result<Vec<u64>> {
    let joined = async {
        let _permit = handshakes.acquire().await?;
        let stream = tokio::net::TcpStream::connect(addr).await?;
        stream.set_nodelay(true)?;
        let (mut ws, _) = tokio_tungstenite::client_async(format!("ws://{addr}/ws"), stream)
            .await
            .context("websocket handshake")?;
        ws.send(Message::text(
            json!({"type": "hello", "role": "spectator", "protocol_version": 1}).to_string(),
        ))
        .await?;
        expect(&mut ws, "welcome").await?;
        ws.send(Message::text(
            json!({"type": "subscribe", "game_id": game_id}).to_string(),
        ))
        .await?;
        expect(&mut ws, "snapshot").await?;
        anyhow::Ok(ws)
    }
    .await;
    let mut ws = match joined {
        Ok(ws) => {
            let _ = ready.send(Ok(())).await;
            ws
        }
        Err(e) => {
            let msg = format!("{e:#}");
            let _ = ready.send(Err(e)).await;
            bail!("{msg}");
        }
    };
    drop(ready);
    let mut latencies = Vec::with_capacity(frames as usize);
    let mut next = 1u64;
    while let Some(msg) = ws.next().await {
        let msg = msg?;
        let Message::Text(text) = msg else { continue };
        let now = epoch.elapsed().as_micros() as u64;
        let text = text.as_str();
        if text.starts_with(r#"{"type":"game_finished""#) {
            break;
        }
        if !text.starts_with(r#"{"type":"live_frame""#) {
            continue;
        }
        let version = number_after(text, "\"version\":").context("a frame without a version")?;
        if version != next {
            bail!("frame version {version} where {next} was due");
        }
        next += 1;
        let sent = number_after(text, "\"bench_sent_us\":").context("a frame without its stamp")?;
        latencies.push(now.saturating_sub(sent));
    }
    if next != frames + 1 {
        bail!("got {} of {frames} frames", next - 1);
    }
    let _ = ws.close(None).await;
    Ok(latencies)
}

/// Reads messages until one of type `ty`.
async fn expect<S>(ws: &mut S, ty: &str) -> Result<()>
where
    S: StreamExt<Item = Result<Message, tokio_tungstenite::tungstenite::Error>> + Unpin,
{
    let prefix = format!(r#"{{"type":"{ty}""#);
    while let Some(msg) = ws.next().await {
        if let Message::Text(t) = msg? {
            if t.as_str().starts_with(&prefix) {
                return Ok(());
            }
            if t.as_str().starts_with(r#"{"type":"error""#) {
                bail!("{}", t.as_str());
            }
        }
    }
    bail!("the connection ended before `{ty}`")
}

/// The unsigned integer right after `key` in `text` (the stamp sits in the
/// frame, a whole JSON parse per message would measure the client).
fn number_after(text: &str, key: &str) -> Option<u64> {
    let at = text.find(key)? + key.len();
    let digits: String = text[at..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}
