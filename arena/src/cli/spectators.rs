//! `arena bench spectators`: how many spectators one live game holds, and
//! how late its frames reach them.
//!
//! The server runs in this process on 127.0.0.1:0, the real one
//! ([`arena::server::serve_hub`]); the spectators run in child processes of this
//! binary (at most [`PER_WORKER`] each, so the server, not the benchmark,
//! meets the open-file limit first): real websocket clients on real
//! sockets, each saying `hello`, subscribing to the game and reading every
//! `live_frame` to `game_finished`. The game is fed with
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
use tokio_tungstenite::tungstenite::protocol::frame::FrameHeader;
use tokio_tungstenite::tungstenite::protocol::frame::coding::{Control, Data, OpCode};

use arena::server::hub::{Hub, HubOptions};
use arena::server::live::{GameInfo, LiveGame};
use arena::server::{ServerState, auth::TokenHash, serve_hub};

/// What to measure.
#[derive(clap::Args, Debug)]
pub struct SpectatorBench {
    /// Spectator counts, in order; `max` then doubles the last count until
    /// a level fails (a refused connection, a lost frame) or the server
    /// process's open-file limit is reached.
    #[arg(long, value_delimiter = ',', default_value = "100,1000,max")]
    pub spectators: Vec<String>,
    /// Frames published per level.
    #[arg(long, default_value_t = 100)]
    pub frames: u64,
    /// Frames a second (a BattleSnake game at 500 ms a turn is 2; a replay
    /// at speed 1 is 10).
    #[arg(long, default_value_t = 10.0)]
    pub fps: f64,
    /// The p99 latency the summary line counts as timely.
    #[arg(long, default_value_t = 1000)]
    pub max_p99_ms: u64,
    /// (internal) Run as a worker: spectators of this server's game.
    #[arg(long, hide = true, value_name = "ADDR")]
    pub worker_addr: Option<std::net::SocketAddr>,
    #[arg(long, hide = true, default_value_t = 0)]
    pub worker_game: u64,
    #[arg(long, hide = true, default_value_t = 0)]
    pub worker_count: usize,
}

/// Spectators a worker process runs.
pub const PER_WORKER: usize = 4000;

/// A spectator's websocket read buffer (a frame is ~1 KB).
const CLIENT_READ_BUFFER_BYTES: usize = 4096;

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
    /// CPU time (user and system) while the frames went out: this process
    /// (the server, publishing included), and the worker processes from
    /// `ready` to their last frame (the spectators).
    server_cpu: Duration,
    spectators_cpu: Duration,
}

/// CPU time (user and system) of this process so far.
fn cpu_time(who: nix::sys::resource::UsageWho) -> Duration {
    match nix::sys::resource::getrusage(who) {
        Ok(u) => {
            let t = |tv: nix::sys::time::TimeVal| {
                Duration::new(
                    tv.tv_sec().max(0) as u64,
                    (tv.tv_usec().max(0) as u32) * 1000,
                )
            };
            t(u.user_time()) + t(u.system_time())
        }
        Err(_) => Duration::ZERO,
    }
}

pub fn spectators(args: &SpectatorBench) -> Result<()> {
    if args.frames == 0 || args.fps.is_nan() || args.fps <= 0.0 {
        bail!("--frames and --fps must be positive");
    }
    // The server (this process) and the workers alike: each socket is a file.
    match arena::server::limits::raise_open_files_limit() {
        Ok((before, after)) if before != after => {
            tracing::info!("open-file limit raised from {before} to {after}");
        }
        Ok(_) => {}
        Err(e) => tracing::warn!("cannot raise the open-file limit: {e}"),
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    match args.worker_addr {
        Some(addr) => runtime.block_on(worker(addr, args)),
        None => runtime.block_on(run(args)),
    }
}

async fn run(args: &SpectatorBench) -> Result<()> {
    let data = tempfile::tempdir().context("a data folder")?;
    let hub = Hub::new(HubOptions {
        data_dir: data.path().to_path_buf(),
        jobs: 1,
        edit_deadline: Duration::from_secs(60),
        workers: None,
        base_dir: data.path().to_path_buf(),
    })?;
    let state = ServerState {
        data_dir: data.path().to_path_buf(),
        admin_token_hash: TokenHash::of("bench"),
        jobs: 1,
        edit_deadline: Duration::from_secs(60),
        workers: None,
        // No cap of its own: the level that fails is the open-file limit's.
        max_connections: tokio::sync::Semaphore::MAX_PERMITS,
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
        "Spectators of one live game: `arena serve` in one process, its spectators in worker processes (up to {PER_WORKER} each), \
         {cores} cores, 127.0.0.1; {} frames at {} a second, BattleSnake frames of ~{bytes} bytes; latency = publish to read",
        args.frames, args.fps
    );
    println!("every spectator must read every frame once, in order, or its level fails");
    println!(
        "{:>11} {:>10} {:>10} {:>10} {:>10} {:>12} {:>12} {:>12}",
        "spectators",
        "connect s",
        "p50 ms",
        "p99 ms",
        "max ms",
        "frames/s out",
        "server cpu s",
        "client cpu s"
    );
    // The server holds a descriptor a spectator; past its limit, the
    // process is what is full.
    let cap = open_files_limit().map(|l| l.saturating_sub(200));
    let mut last = 0usize;
    for spec in &args.spectators {
        if spec == "max" {
            let mut n = (last * 2).max(100);
            // The most spectators that got every frame, and the most that
            // got them with p99 under the bound.
            let (mut delivered, mut timely) = (0usize, 0usize);
            loop {
                if let Some(cap) = cap
                    && n > cap
                {
                    if delivered >= cap {
                        println!(
                            "stopped at the server process's open-file limit ({} descriptors, one a spectator)",
                            cap + 200
                        );
                        break;
                    }
                    n = cap;
                }
                match level(&hub, addr, n, &frames, args).await {
                    Ok(l) => {
                        print_level(&l, args);
                        delivered = n;
                        if p(&l.latencies_us, 99.0) <= args.max_p99_ms * 1000 {
                            timely = n;
                        }
                        n *= 2;
                    }
                    Err(e) => {
                        println!("{n:>11}   failed: {e:#}");
                        break;
                    }
                }
            }
            println!(
                "every frame delivered to {delivered} spectators; with p99 under {} ms to {timely}",
                args.max_p99_ms
            );
            continue;
        }
        let n: usize = spec
            .parse()
            .with_context(|| format!("--spectators: {spec:?} is not a number or `max`"))?;
        match level(&hub, addr, n, &frames, args).await {
            Ok(l) => print_level(&l, args),
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
        "{:>11} {:>10.2} {:>10.2} {:>10.2} {:>10.2} {:>12.0} {:>12.2} {:>12.2}",
        l.spectators,
        l.connect.as_secs_f64(),
        ms(p(&l.latencies_us, 50.0)),
        ms(p(&l.latencies_us, 99.0)),
        ms(l.latencies_us.iter().copied().max().unwrap_or(0)),
        l.spectators as f64 * args.fps,
        l.server_cpu.as_secs_f64(),
        l.spectators_cpu.as_secs_f64(),
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
    use arena_games::engine::{Match, MatchRng};
    let names = ["a", "b", "c", "d"];
    let mut m = Match::<BattleSnake>::new(
        7,
        BattleSnakeSetup::new(RulesetName::Standard, 11, 11, &names),
    );
    let mut rng = MatchRng::new(7);
    let mut frames = Vec::new();
    while !m.is_over() && frames.len() < 500 {
        let actions = arena::games::battlesnake::safe_actions(&mut m, names.len(), &mut rng);
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
        header: arena_agents::wire::GameHeader {
            format_version: 1,
            game: "battlesnake".to_owned(),
            rules_version: "bench".to_owned(),
            seed: arena_agents::wire::Seed(0),
            players: Vec::new(),
            settings: Value::Null,
            result: None,
        },
        transparent: false,
        spectator_token: None,
    });
    let connect_start = Instant::now();
    let me = std::env::current_exe().context("cannot find the arena executable")?;
    let mut workers = Vec::new();
    let mut left = n;
    while left > 0 {
        let count = left.min(PER_WORKER);
        left -= count;
        match Worker::start(&me, addr, game.id, count, args.frames) {
            Ok(w) => workers.push(w),
            Err(e) => {
                game.finish(0, &no_result());
                return Err(e);
            }
        }
    }
    for w in &mut workers {
        if let Err(e) = w.ready().await {
            game.finish(0, &no_result());
            return Err(e.context("a spectator could not subscribe"));
        }
    }
    let connect = connect_start.elapsed();
    use nix::sys::resource::UsageWho;
    let server_before = cpu_time(UsageWho::RUSAGE_SELF);
    publish(&game, frames, args).await;
    let server_cpu = cpu_time(UsageWho::RUSAGE_SELF).saturating_sub(server_before);
    let mut latencies = Vec::with_capacity(n * args.frames as usize);
    let mut spectators_cpu = Duration::ZERO;
    for w in workers {
        let (l, cpu) = w.latencies().await?;
        latencies.extend(l);
        spectators_cpu += cpu;
    }
    latencies.sort_unstable();
    Ok(Level {
        spectators: n,
        connect,
        latencies_us: latencies,
        server_cpu,
        spectators_cpu,
    })
}

/// Microseconds on the system clock: a stamp the worker processes read
/// on the same clock.
fn now_us() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_micros() as u64)
}

/// Publishes the frames at the rate asked, each stamped with its time.
async fn publish(game: &LiveGame, frames: &[Value], args: &SpectatorBench) {
    let interval = Duration::from_secs_f64(1.0 / args.fps);
    let mut tick = tokio::time::interval(interval);
    for turn in 0..args.frames {
        tick.tick().await;
        let mut frame = frames
            .get(turn as usize % frames.len().max(1))
            .cloned()
            .unwrap_or(Value::Null);
        if let Some(obj) = frame.as_object_mut() {
            obj.insert("bench_sent_us".into(), json!(now_us()));
        }
        // It writes to every caught-up spectator before it returns, as a
        // tournament's thread does: off the runtime's workers.
        tokio::task::block_in_place(|| game.publish(turn, &frame));
    }
    game.finish(0, &no_result());
}

/// One spectator joins: connects, says `hello`, subscribes to the game;
/// its socket, to read the frames from.
async fn spectator(
    addr: std::net::SocketAddr,
    game_id: u64,
    handshakes: Arc<tokio::sync::Semaphore>,
) -> Result<std::net::TcpStream> {
    let _permit = handshakes.acquire().await?;
    let stream = tokio::net::TcpStream::connect(addr).await?;
    stream.set_nodelay(true)?;
    let config = tokio_tungstenite::tungstenite::protocol::WebSocketConfig::default()
        .read_buffer_size(CLIENT_READ_BUFFER_BYTES);
    let (mut ws, _) = tokio_tungstenite::client_async_with_config(
        format!("ws://{addr}/ws"),
        stream,
        Some(config),
    )
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
    // Nothing more comes before the first frame, which is published
    // once every spectator is ready: no byte is left in the websocket's
    // buffer, and the frames are read from the socket itself.
    Ok(ws.into_inner().into_std()?)
}

/// A subscribed spectator's socket, as the worker's read loop sees it.
struct Reader {
    stream: std::net::TcpStream,
    /// Bytes read and not yet a whole websocket frame.
    buf: Vec<u8>,
    /// The frame version due next.
    next: u64,
}

/// The next whole websocket frame at the start of `buf` (tungstenite's
/// header parser): its opcode and where its payload is.
fn next_frame(buf: &[u8]) -> Result<Option<(OpCode, std::ops::Range<usize>)>> {
    let mut cursor = std::io::Cursor::new(buf);
    let Some((header, len)) = FrameHeader::parse(&mut cursor)? else {
        return Ok(None);
    };
    if !header.is_final {
        bail!("a fragmented message: the server sends each message in one frame");
    }
    if header.mask.is_some() {
        bail!("a masked frame: a server's frames are not masked (RFC 6455 5.1)");
    }
    let at = usize::try_from(cursor.position())?;
    let end = at.saturating_add(usize::try_from(len)?);
    if buf.len() < end {
        return Ok(None);
    }
    Ok(Some((header.opcode, at..end)))
}

impl Reader {
    /// Takes the whole frames read so far, stamping each `live_frame`
    /// read at `now`; true once `game_finished` came after every frame.
    fn take_frames(&mut self, now: u64, frames: u64, latencies: &mut Vec<u64>) -> Result<bool> {
        let mut used = 0;
        let mut finished = false;
        while let Some((opcode, payload)) = next_frame(&self.buf[used..])? {
            let end = used + payload.end;
            let payload = used + payload.start..end;
            used = end;
            match opcode {
                OpCode::Data(Data::Text) => {
                    let text = std::str::from_utf8(&self.buf[payload])?;
                    if text.starts_with(r#"{"type":"game_finished""#) {
                        finished = true;
                        break;
                    }
                    if !text.starts_with(r#"{"type":"live_frame""#) {
                        continue;
                    }
                    let version =
                        number_after(text, "\"version\":").context("a frame without a version")?;
                    if version != self.next {
                        bail!("frame version {version} where {} was due", self.next);
                    }
                    self.next += 1;
                    let sent = number_after(text, "\"bench_sent_us\":")
                        .context("a frame without its stamp")?;
                    latencies.push(now.saturating_sub(sent));
                }
                OpCode::Control(Control::Close) => {
                    bail!("the server closed a spectator's connection before game_finished")
                }
                _ => {}
            }
        }
        self.buf.drain(..used);
        if finished && self.next != frames + 1 {
            bail!("got {} of {frames} frames", self.next - 1);
        }
        Ok(finished)
    }
}

/// Reads every spectator's frames to `game_finished` in one epoll loop, the
/// way a load generator should (wrk's way): the spectators share the
/// server's cores, so each costs a read and a frame header, not a task
/// and a websocket stack. Their latencies (us).
fn read_frames(streams: Vec<std::net::TcpStream>, frames: u64) -> Result<Vec<u64>> {
    use nix::sys::epoll::{Epoll, EpollCreateFlags, EpollEvent, EpollFlags, EpollTimeout};
    use std::io::Read;
    let epoll = Epoll::new(EpollCreateFlags::empty()).context("epoll")?;
    let mut readers: Vec<Reader> = streams
        .into_iter()
        .map(|stream| Reader {
            stream,
            buf: Vec::new(),
            next: 1,
        })
        .collect();
    for (i, r) in readers.iter().enumerate() {
        epoll
            .add(&r.stream, EpollEvent::new(EpollFlags::EPOLLIN, i as u64))
            .context("epoll add")?;
    }
    let mut latencies = Vec::with_capacity(readers.len() * frames as usize);
    let mut left = readers.len();
    let mut events = vec![EpollEvent::empty(); 1024];
    let mut chunk = vec![0u8; 64 * 1024];
    let mut quiet_since = Instant::now();
    while left > 0 {
        let n = epoll
            .wait(&mut events, EpollTimeout::from(1000u16))
            .context("epoll wait")?;
        if n == 0 {
            if quiet_since.elapsed() > Duration::from_secs(60) {
                bail!("{left} spectators got nothing for a minute");
            }
            continue;
        }
        quiet_since = Instant::now();
        for ev in &events[..n] {
            let Some(r) = readers.get_mut(ev.data() as usize) else {
                continue;
            };
            loop {
                match r.stream.read(&mut chunk) {
                    Ok(0) => {
                        bail!("the server ended a spectator's connection before game_finished")
                    }
                    Ok(m) => r.buf.extend_from_slice(&chunk[..m]),
                    Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => break,
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                    Err(e) => return Err(e).context("reading a spectator's socket"),
                }
            }
            if r.take_frames(now_us(), frames, &mut latencies)? {
                epoll.delete(&r.stream).context("epoll delete")?;
                left -= 1;
            }
        }
    }
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

/// A worker process of spectators, seen from the benchmark: it prints
/// `ready` once all its spectators subscribed, then their latencies, or
/// `error: ...`.
struct Worker {
    child: std::process::Child,
    lines: tokio::sync::mpsc::UnboundedReceiver<String>,
}

impl Worker {
    fn start(
        me: &std::path::Path,
        addr: std::net::SocketAddr,
        game: u64,
        count: usize,
        frames: u64,
    ) -> Result<Worker> {
        let mut child = std::process::Command::new(me)
            .args(["bench", "spectators", "--worker-addr", &addr.to_string()])
            .args(["--worker-game", &game.to_string()])
            .args(["--worker-count", &count.to_string()])
            .args(["--frames", &frames.to_string()])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::inherit())
            .spawn()
            .context("cannot start a worker process")?;
        let stdout = child.stdout.take().context("the worker's output")?;
        let (tx, lines) = tokio::sync::mpsc::unbounded_channel();
        std::thread::spawn(move || {
            use std::io::BufRead;
            for line in std::io::BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Ok(Worker { child, lines })
    }

    async fn next_line(&mut self) -> Result<String> {
        match self.lines.recv().await {
            Some(l) if l.starts_with("error: ") => bail!("{}", &l["error: ".len()..]),
            Some(l) => Ok(l),
            None => bail!("a worker process ended early"),
        }
    }

    async fn ready(&mut self) -> Result<()> {
        let line = self.next_line().await?;
        if line != "ready" {
            bail!("a worker said {line:?} instead of ready");
        }
        Ok(())
    }

    /// The spectators' latencies (us), and the CPU time the worker spent
    /// reading them.
    async fn latencies(mut self) -> Result<(Vec<u64>, Duration)> {
        let mut out = Vec::new();
        let mut cpu = Duration::ZERO;
        loop {
            let line = self.next_line().await?;
            if line == "done" {
                break;
            }
            if let Some(us) = line.strip_prefix("cpu ") {
                cpu = Duration::from_micros(
                    us.parse()
                        .with_context(|| format!("a worker wrote {line:?}"))?,
                );
                continue;
            }
            for v in line.split_ascii_whitespace() {
                out.push(v.parse().with_context(|| format!("a worker wrote {v:?}"))?);
            }
        }
        let _ = self.child.wait();
        Ok((out, cpu))
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The worker's side: `args.worker_count` spectators of the game.
async fn worker(addr: std::net::SocketAddr, args: &SpectatorBench) -> Result<()> {
    let n = args.worker_count;
    // At most this many handshakes at once, as a crowd arrives: more
    // would overflow the listen backlog and wait for SYN retries.
    let handshakes = Arc::new(tokio::sync::Semaphore::new(CONCURRENT_HANDSHAKES));
    let mut clients = Vec::with_capacity(n);
    for _ in 0..n {
        clients.push(tokio::spawn(spectator(
            addr,
            args.worker_game,
            handshakes.clone(),
        )));
    }
    let mut streams = Vec::with_capacity(n);
    for c in clients {
        match c.await {
            Ok(Ok(stream)) => streams.push(stream),
            Ok(Err(e)) => {
                println!("error: {e:#}");
                return Ok(());
            }
            Err(e) => {
                println!("error: a spectator task failed: {e}");
                return Ok(());
            }
        }
    }
    println!("ready");
    let cpu_before = cpu_time(nix::sys::resource::UsageWho::RUSAGE_SELF);
    let frames = args.frames;
    let all = match tokio::task::spawn_blocking(move || read_frames(streams, frames)).await {
        Ok(Ok(all)) => all,
        Ok(Err(e)) => {
            println!("error: {e:#}");
            return Ok(());
        }
        Err(e) => {
            println!("error: the read loop failed: {e}");
            return Ok(());
        }
    };
    let cpu = cpu_time(nix::sys::resource::UsageWho::RUSAGE_SELF).saturating_sub(cpu_before);
    for chunk in all.chunks(1000) {
        let line: Vec<String> = chunk.iter().map(u64::to_string).collect();
        println!("{}", line.join(" "));
    }
    println!("cpu {}", cpu.as_micros());
    println!("done");
    Ok(())
}

/// The benchmark's games end without a result.
fn no_result() -> arena_agents::wire::MatchResult {
    arena_agents::wire::MatchResult {
        turns: 0,
        players: Vec::new(),
    }
}
