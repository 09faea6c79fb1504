//! Live games: frames as a tournament plays them, fanned out to every
//! spectator who follows the game.
//!
//! Each frame is serialized once, as the whole `live_frame` message, and
//! kept in the game's list; a spectator's connection remembers the last
//! version it sent and, when woken, sends what follows from the shared
//! list. So every subscriber gets every frame once and in order whatever
//! its speed, a slow one costs the publisher nothing (no queue per
//! subscriber, no lock held while sending), and a reconnecting one can ask
//! for the frames after the last version it saw (`resync`).
//!
//! A caught-up subscriber gets each new frame from the publisher itself:
//! the frame is encoded as a websocket frame once, and the publisher
//! (on as many threads as there are cores, for a large audience) writes
//! it to each subscriber's stream without blocking (`socket.rs`). A
//! subscriber whose stream is full, whose connection is busy writing, or
//! that just joined falls behind: its connection's task is woken and
//! sends what it missed from the shared list, then hands the subscriber
//! back to the publisher.

use std::collections::BTreeMap;
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock, RwLockReadGuard, RwLockWriteGuard};
use std::time::{Duration, Instant};

use serde_json::Value;
use tokio::sync::Notify;
use tokio_tungstenite::tungstenite::Utf8Bytes;
use tokio_tungstenite::tungstenite::protocol::frame::Frame;
use tokio_tungstenite::tungstenite::protocol::frame::coding::{Data, OpCode};

use super::lock;
use super::socket::{Offered, Socket};
use crate::tournament::LiveSink;
use arena_agents::protocol::ServerMessage;
use arena_agents::wire::{GameEntry, GameHeader, GameSeat, MatchResult};

/// How long a finished game stays for late `resync`s and `list_games`...
pub const KEEP_FINISHED: Duration = Duration::from_secs(120);
/// ...and how many finished games at most (the newest): a tournament
/// finishes many games a second, each holding its frames, and its replay
/// is stored anyway.
pub const MAX_FINISHED_KEPT: usize = 64;

/// Every live game of the server.
#[derive(Default)]
pub struct LiveGames {
    next_id: AtomicU64,
    games: Mutex<BTreeMap<u64, Arc<LiveGame>>>,
}

/// Who plays a live game, and where it belongs.
#[derive(Clone, Debug)]
pub struct GameInfo {
    pub tournament: i64,
    pub round: u32,
    pub sim: u32,
    /// The replay header (players in seat order, seed, settings).
    pub header: GameHeader,
    /// The tournament is `transparent`: spectators see codebase hashes.
    pub transparent: bool,
    /// A private tournament's spectator token (its hash): only spectators
    /// that gave it, and admins, may follow the game.
    pub spectator_token: Option<super::auth::TokenHash>,
}

/// One live game.
pub struct LiveGame {
    pub id: u64,
    pub info: GameInfo,
    state: RwLock<GameState>,
    /// Who follows the game, by subscription number.
    subscribers: Mutex<HashMap<u64, Arc<Subscriber>>>,
    next_subscriber: AtomicU64,
}

/// Audiences from this size on are written to on every core.
const SPLIT_FAN_OUT_FROM: usize = 512;

/// A connection following a game, as the publisher sees it.
struct Subscriber {
    /// None: the connection sends every frame itself (the engine API's
    /// websocket, which is not ours to write to).
    socket: Option<Arc<Socket>>,
    /// The version of the last frame of this game written to the socket.
    sent: AtomicU64,
    /// The connection's task writes this game's frames itself: it joined
    /// and has not caught up, or the publisher could not write to it.
    /// Changed under the socket's lock only.
    behind: AtomicBool,
    /// Wakes the connection's task when it fell behind or the game ended.
    wake: Notify,
}

impl Subscriber {
    /// Writes frame `version` if the subscriber is caught up and its
    /// stream between frames; otherwise leaves it to the connection.
    fn offer(&self, version: u64, frame: &[u8]) {
        let Some(socket) = &self.socket else {
            self.wake.notify_one();
            return;
        };
        let mut out = socket.out();
        if self.behind.load(Ordering::Acquire) {
            return;
        }
        let sent = self.sent.load(Ordering::Acquire);
        if sent >= version {
            return;
        }
        if sent + 1 == version && out.between_frames() {
            match socket.offer(&mut out, frame) {
                Offered::Written => {
                    self.sent.store(version, Ordering::Release);
                    return;
                }
                Offered::Partly => self.sent.store(version, Ordering::Release),
                Offered::Not => {}
            }
        }
        self.behind.store(true, Ordering::Release);
        drop(out);
        self.wake.notify_one();
    }

    /// Hands the sending to the connection's task and wakes it.
    fn fall_behind(&self) {
        if let Some(socket) = &self.socket {
            let out = socket.out();
            self.behind.store(true, Ordering::Release);
            drop(out);
        }
        self.wake.notify_one();
    }
}

/// A connection's hold on a game it follows; dropping it unsubscribes.
pub struct Subscription {
    game: Arc<LiveGame>,
    id: u64,
    sub: Arc<Subscriber>,
}

impl Subscription {
    pub fn game(&self) -> &Arc<LiveGame> {
        &self.game
    }

    /// Until the connection has something to send for this game.
    pub async fn woken(&self) {
        self.sub.wake.notified().await;
    }

    /// What the connection has to send: the frames after the last one
    /// sent, and the end once every frame was.
    pub fn pending(&self) -> Pending {
        self.game.pending(self.sub.sent.load(Ordering::Acquire))
    }

    /// The connection has written the frames up to `version`.
    pub fn sent(&self, version: u64) {
        self.sub.sent.store(version, Ordering::Release);
    }

    /// Gives the subscriber back to the publisher, unless frames came
    /// meanwhile or the stream is mid-frame: then the connection is woken
    /// to send again. True when the publisher has it.
    pub fn resume(&self) -> bool {
        let Some(socket) = &self.sub.socket else {
            // Woken on every frame instead.
            return true;
        };
        let out = socket.out();
        // Under the socket's lock: a frame published after this look is
        // offered after it, to a subscriber no longer behind.
        let version = self.game.read().frames.len() as u64;
        if version != self.sub.sent.load(Ordering::Acquire) || !out.between_frames() {
            drop(out);
            self.sub.wake.notify_one();
            return false;
        }
        self.sub.behind.store(false, Ordering::Release);
        true
    }
}

impl Drop for Subscription {
    fn drop(&mut self) {
        // Under the socket's lock: a publisher that listed this subscriber
        // already writes nothing more to it (no frame after `unsubscribed`).
        if let Some(socket) = &self.sub.socket {
            let _out = socket.out();
            self.sub.behind.store(true, Ordering::Release);
        }
        lock(&self.game.subscribers).remove(&self.id);
    }
}

#[derive(Default)]
struct GameState {
    /// Every `live_frame` message so far: version `v` is `frames[v - 1]`.
    frames: Vec<Utf8Bytes>,
    /// The latest frame itself, for snapshots.
    last: Value,
    /// The `game_finished` message, and when.
    finished: Option<(Utf8Bytes, Instant)>,
}

impl LiveGames {
    /// Opens a game; finished games past [`KEEP_FINISHED`] are dropped.
    pub fn open(&self, info: GameInfo) -> Arc<LiveGame> {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed) + 1;
        let game = Arc::new(LiveGame {
            id,
            info,
            state: RwLock::new(GameState::default()),
            subscribers: Mutex::new(HashMap::new()),
            next_subscriber: AtomicU64::new(0),
        });
        let mut games = lock(&self.games);
        // Ids grow with time, so the newest finished games come last.
        let mut finished = 0;
        let ids: Vec<u64> = games.keys().rev().copied().collect();
        for old in ids {
            let keep = match games
                .get(&old)
                .map(|g| g.read().finished.as_ref().map(|(_, at)| at.elapsed()))
            {
                Some(None) => true,
                Some(Some(age)) => {
                    finished += 1;
                    finished <= MAX_FINISHED_KEPT && age < KEEP_FINISHED
                }
                None => false,
            };
            if !keep {
                games.remove(&old);
            }
        }
        games.insert(id, game.clone());
        game
    }

    pub fn get(&self, id: u64) -> Option<Arc<LiveGame>> {
        lock(&self.games).get(&id).cloned()
    }

    /// The games of a tournament (a round of it), as `list_games` shows
    /// them.
    pub fn list(&self, tournament: i64, round: Option<u32>) -> Vec<GameEntry> {
        lock(&self.games)
            .values()
            .filter(|g| g.info.tournament == tournament && round.is_none_or(|r| g.info.round == r))
            .map(|g| g.summary())
            .collect()
    }
}

/// What a subscriber gets when it looks at a game.
pub struct Pending {
    /// Frames after the version it had, in order.
    pub frames: Vec<Utf8Bytes>,
    /// `game_finished`, once every frame was sent.
    pub finished: Option<Utf8Bytes>,
    /// The version after these frames.
    pub version: u64,
}

impl LiveGame {
    fn read(&self) -> RwLockReadGuard<'_, GameState> {
        self.state
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn write(&self) -> RwLockWriteGuard<'_, GameState> {
        self.state
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The game as `list_games` lists it.
    pub fn summary(&self) -> GameEntry {
        let st = self.read();
        GameEntry::Live {
            game_id: self.id,
            live: st.finished.is_none(),
            round: self.info.round,
            sim: self.info.sim,
            version: st.frames.len() as u64,
            players: self
                .info
                .header
                .players
                .iter()
                .map(|p| GameSeat {
                    player: p.name.clone(),
                    seat: p.seat,
                    placement: None,
                })
                .collect(),
        }
    }

    /// Adds a frame and sends it to every caught-up subscriber (the others'
    /// connections are woken to send it). Returns once every subscriber
    /// was offered the frame: with many, that is a send for each.
    pub fn publish(&self, turn: u64, frame: &Value) {
        let mut st = self.write();
        let version = st.frames.len() as u64 + 1;
        let msg = ServerMessage::LiveFrame {
            game_id: self.id,
            version,
            turn,
            frame: frame.clone(),
        };
        // Serialized once: every subscriber gets these same bytes.
        let text = Utf8Bytes::from(msg.to_json());
        st.frames.push(text.clone());
        st.last = frame.clone();
        drop(st);
        let subscribers: Vec<Arc<Subscriber>> = lock(&self.subscribers).values().cloned().collect();
        if subscribers.is_empty() {
            return;
        }
        // A server's frames are not masked, so one encoding serves all.
        let mut encoded = Vec::with_capacity(text.len() + 10);
        let frame = Frame::message(text, OpCode::Data(Data::Text), true);
        if frame.format(&mut encoded).is_err() {
            subscribers.iter().for_each(|s| s.fall_behind());
            return;
        }
        let threads = if subscribers.len() >= SPLIT_FAN_OUT_FROM {
            std::thread::available_parallelism().map_or(1, |n| n.get())
        } else {
            1
        };
        let offer = |part: &[Arc<Subscriber>]| part.iter().for_each(|s| s.offer(version, &encoded));
        let mut parts = subscribers.chunks(subscribers.len().div_ceil(threads));
        // This thread takes the first share, a scoped thread each other one.
        let here = parts.next();
        std::thread::scope(|scope| {
            for part in parts {
                scope.spawn(move || offer(part));
            }
            here.into_iter().for_each(offer);
        });
    }

    /// Ends the game: it was stored as `match_id`. Every subscriber's
    /// connection sends what it still lacks, then `game_finished`.
    pub fn finish(&self, match_id: i64, result: &MatchResult) {
        let mut st = self.write();
        let msg = ServerMessage::GameFinished {
            game_id: self.id,
            version: st.frames.len() as u64,
            match_id,
            result: result.clone(),
        };
        st.finished = Some((Utf8Bytes::from(msg.to_json()), Instant::now()));
        drop(st);
        let subscribers: Vec<Arc<Subscriber>> = lock(&self.subscribers).values().cloned().collect();
        subscribers.iter().for_each(|s| s.fall_behind());
    }

    /// Registers a subscriber that has sent up to `version`, behind until
    /// its connection caught up (and woken to do so).
    fn follow(self: &Arc<Self>, socket: Option<&Arc<Socket>>, version: u64) -> Subscription {
        let sub = Arc::new(Subscriber {
            socket: socket.cloned(),
            sent: AtomicU64::new(version),
            behind: AtomicBool::new(true),
            wake: Notify::new(),
        });
        sub.wake.notify_one();
        let id = self.next_subscriber.fetch_add(1, Ordering::Relaxed);
        lock(&self.subscribers).insert(id, sub.clone());
        Subscription {
            game: self.clone(),
            id,
            sub,
        }
    }

    /// Follows the game from the `snapshot` message returned (its version
    /// is where the subscription starts). `admin`: the header keeps its
    /// codebase hashes even when the tournament is not transparent.
    pub fn subscribe(
        self: &Arc<Self>,
        socket: Option<&Arc<Socket>>,
        admin: bool,
    ) -> (ServerMessage, Subscription) {
        // Registered under the lock: a frame published after the snapshot
        // is the subscription's to send.
        let st = self.read();
        let version = st.frames.len() as u64;
        let subscription = self.follow(socket, version);
        let header = if admin || self.info.transparent {
            self.info.header.clone()
        } else {
            self.info.header.clone().without_hashes()
        };
        let snapshot = ServerMessage::Snapshot {
            game_id: self.id,
            version,
            header,
            frame: st.last.clone(),
        };
        (snapshot, subscription)
    }

    /// Follows the game from `from_version` on (the connection sends the
    /// gap first); `None` when that version is not one of this game's (the
    /// caller sends a snapshot instead).
    pub fn resubscribe(
        self: &Arc<Self>,
        socket: Option<&Arc<Socket>>,
        from_version: u64,
    ) -> Option<Subscription> {
        let st = self.read();
        if from_version > st.frames.len() as u64 {
            return None;
        }
        Some(self.follow(socket, from_version))
    }

    /// What follows `version` for a subscriber.
    pub fn pending(&self, version: u64) -> Pending {
        let st = self.read();
        let from = usize::try_from(version)
            .unwrap_or(usize::MAX)
            .min(st.frames.len());
        let frames = st.frames[from..].to_vec();
        Pending {
            frames,
            finished: st.finished.as_ref().map(|(m, _)| m.clone()),
            version: st.frames.len() as u64,
        }
    }
}

/// A tournament's live game as the runner sees it.
pub struct Sink(pub Arc<LiveGame>);

impl LiveSink for Sink {
    fn frame(&mut self, turn: u64, frame: &Value) {
        self.0.publish(turn, frame);
    }

    fn finished(self: Box<Self>, match_id: i64, result: &MatchResult) {
        self.0.finish(match_id, result);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use serde_json::json;

    fn no_result() -> MatchResult {
        MatchResult {
            turns: 0,
            players: Vec::new(),
        }
    }

    fn info(sim: u32) -> GameInfo {
        GameInfo {
            tournament: 1,
            round: 0,
            sim,
            header: GameHeader {
                format_version: 1,
                game: "battlesnake".into(),
                rules_version: "1".into(),
                seed: arena_agents::wire::Seed(1),
                players: Vec::new(),
                settings: Value::Null,
                result: None,
            },
            transparent: false,
            spectator_token: None,
        }
    }

    /// A connected pair on 127.0.0.1: the server's end as a [`Socket`],
    /// the client's end to read from.
    async fn pair() -> (Arc<Socket>, tokio::net::TcpStream) {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1");
        let addr = listener.local_addr().expect("local address");
        let (client, accepted) =
            tokio::join!(tokio::net::TcpStream::connect(addr), listener.accept());
        let (server, _) = accepted.expect("accept");
        (Arc::new(Socket::new(server)), client.expect("connect"))
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_subscriber_gets_every_frame_after_its_version_then_the_end() {
        let games = LiveGames::default();
        let game = games.open(info(0));
        for turn in 0..5 {
            game.publish(turn, &json!({ "turn": turn }));
        }
        let (socket, client) = pair().await;
        let mut client = client_of(client).await;
        let (snapshot, sub) = game.subscribe(Some(&socket), false);
        assert!(matches!(
            snapshot,
            ServerMessage::Snapshot { version: 5, .. }
        ));
        // Joined behind: woken to send what came since (nothing), then
        // handed to the publisher.
        sub.woken().await;
        let p = sub.pending();
        assert!(p.frames.is_empty() && p.finished.is_none());
        assert_eq!(p.version, 5);
        assert!(sub.resume());
        // Caught up: the publisher writes frame 6 to the stream itself.
        game.publish(5, &json!({"turn": 5}));
        let written = next_text(&mut client).await;
        assert!(written.contains(r#""version":6"#), "{written}");
        assert!(sub.pending().frames.is_empty());
        // From the start: all six, in order.
        let all = game.pending(0);
        assert_eq!(all.frames.len(), 6);
        for (i, frame) in all.frames.iter().enumerate() {
            assert!(frame.as_str().contains(&format!(r#""version":{}"#, i + 1)));
        }
        // The end wakes the connection, which sends `game_finished`.
        game.finish(9, &no_result());
        sub.woken().await;
        let end = sub.pending();
        assert!(end.frames.is_empty());
        assert!(
            end.finished
                .is_some_and(|m| m.as_str().contains(r#""match_id":9"#))
        );
        assert!(game.resubscribe(None, 7).is_none());
        assert!(game.resubscribe(None, 6).is_some());
    }

    /// A game with one subscriber on a loopback socket, caught up (the
    /// publisher writes to it): the game, the server's socket, the
    /// client's end and the subscription.
    async fn caught_up() -> (
        Arc<LiveGame>,
        Arc<Socket>,
        tokio::net::TcpStream,
        Subscription,
    ) {
        let game = LiveGames::default().open(info(0));
        let (socket, client) = pair().await;
        let (_, sub) = game.subscribe(Some(&socket), false);
        sub.woken().await;
        assert!(sub.resume());
        (game, socket, client, sub)
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_full_stream_hands_the_frames_to_the_connection_in_order() {
        let (game, socket, client, sub) = caught_up().await;
        // Frames of ~60 KB until the kernel's buffers are full and the
        // publisher leaves the rest (or all) of one to the connection.
        let big = "x".repeat(60_000);
        let mut published = 0u64;
        while sub.resume() {
            game.publish(published, &json!({ "fill": big }));
            published += 1;
            assert!(published < 10_000, "the stream never filled");
        }
        // More frames while it is behind: all are the connection's.
        for turn in 0..3 {
            game.publish(published + turn, &json!({ "turn": turn }));
        }
        published += 3;
        let reader = tokio::spawn(async move {
            let mut client = client_of(client).await;
            let mut versions = Vec::new();
            while versions.len() < usize::try_from(published).unwrap_or(usize::MAX) {
                let text = next_text(&mut client).await;
                let v: Value = serde_json::from_str(&text).expect("json");
                versions.push(v["version"].as_u64().expect("a version"));
            }
            versions
        });
        // What the connection's task does when woken: flush the rest the
        // publisher left, then send what it lacks through tungstenite.
        sub.woken().await;
        let mut ws = tokio_tungstenite::WebSocketStream::from_raw_socket(
            super::super::socket::SharedIo(socket.clone()),
            tokio_tungstenite::tungstenite::protocol::Role::Server,
            None,
        )
        .await;
        use futures_util::SinkExt;
        loop {
            let p = sub.pending();
            for text in p.frames {
                ws.feed(tokio_tungstenite::tungstenite::Message::Text(text))
                    .await
                    .expect("feed");
            }
            ws.flush().await.expect("flush");
            sub.sent(p.version);
            if sub.resume() {
                break;
            }
        }
        let versions = reader.await.expect("reader");
        let expected: Vec<u64> = (1..=published).collect();
        assert_eq!(versions, expected);
    }

    /// The connection's task is halfway through writing a message too
    /// large for the kernel's buffers, and the client has made room, when
    /// frames are published: the publisher must not write into the middle
    /// of the message. The client reads whole, valid websocket frames: the
    /// message, then every frame once, in order.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn frames_never_cut_into_a_message_the_connection_is_writing() {
        use futures_util::SinkExt;
        use tokio::io::AsyncReadExt;
        use tokio::sync::{mpsc, oneshot};
        use tokio_tungstenite::WebSocketStream;
        use tokio_tungstenite::tungstenite::Message;
        use tokio_tungstenite::tungstenite::protocol::Role;

        let (game, socket, mut client, sub) = caught_up().await;
        let mut server = WebSocketStream::from_raw_socket(
            super::super::socket::SharedIo(socket.clone()),
            Role::Server,
            None,
        )
        .await;
        let big = "m".repeat(8 << 20);
        let message = big.clone();
        let (polled_tx, polled) = oneshot::channel();
        let (go, go_rx) = oneshot::channel::<()>();
        let connection = tokio::spawn(async move {
            {
                // A reply of 8 MiB: the first write fills the kernel's
                // buffers and waits; the task then stops until told.
                let mut sending = std::pin::pin!(server.send(Message::text(message)));
                assert!(futures_util::FutureExt::now_or_never(sending.as_mut()).is_none());
                let _ = polled_tx.send(());
                let _ = go_rx.await;
                sending.await.expect("send the message");
            }
            // Then what a woken connection does, until the game ends.
            loop {
                sub.woken().await;
                let p = sub.pending();
                let ended = p.finished.is_some();
                for text in p.frames.into_iter().chain(p.finished) {
                    server.feed(Message::Text(text)).await.expect("feed");
                }
                server.flush().await.expect("flush");
                sub.sent(p.version);
                if ended {
                    return;
                }
                sub.resume();
            }
        });
        polled.await.expect("the first write");
        assert!(!socket.out().between_frames(), "the message is half out");
        // The client reads a megabyte: the stream has room, mid-message.
        let mut head = vec![0u8; 1 << 20];
        client.read_exact(&mut head).await.expect("read");
        for turn in 0..3 {
            game.publish(turn, &json!({ "turn": turn }));
        }
        let _ = go.send(());
        let (read_tx, mut read) = mpsc::unbounded_channel();
        tokio::spawn(async move {
            let mut client =
                WebSocketStream::from_partially_read(client, head, Role::Client, None).await;
            // The message, six frames and the end.
            for _ in 0..8 {
                if read_tx.send(next_text(&mut client).await).is_err() {
                    return;
                }
            }
        });
        // The message whole, then the frames from the connection.
        assert!(read.recv().await.expect("the message") == big);
        let version = |text: String| -> u64 {
            let v: Value = serde_json::from_str(&text).expect("json");
            v["version"].as_u64().expect("a version")
        };
        for expected in 1..=3u64 {
            assert_eq!(version(read.recv().await.expect("a frame")), expected);
        }
        // More frames (from the publisher once the connection caught up),
        // then the end.
        for turn in 3..6 {
            game.publish(turn, &json!({ "turn": turn }));
        }
        game.finish(1, &no_result());
        for expected in 4..=6u64 {
            assert_eq!(version(read.recv().await.expect("a frame")), expected);
        }
        let end = read.recv().await.expect("the end");
        assert!(end.contains("game_finished"), "{end}");
        connection.await.expect("the connection's task");
    }

    /// The next message a websocket client reads (tungstenite checks the
    /// framing), as text.
    async fn next_text<S>(client: &mut tokio_tungstenite::WebSocketStream<S>) -> String
    where
        S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin,
    {
        use futures_util::StreamExt;
        let m = client.next().await.expect("a message");
        let text = m
            .expect("a valid websocket frame")
            .into_text()
            .expect("text");
        text.as_str().to_owned()
    }

    /// The client's end of a pair, as a websocket client.
    async fn client_of(
        stream: tokio::net::TcpStream,
    ) -> tokio_tungstenite::WebSocketStream<tokio::net::TcpStream> {
        use tokio_tungstenite::tungstenite::protocol::Role;
        tokio_tungstenite::WebSocketStream::from_raw_socket(stream, Role::Client, None).await
    }

    #[test]
    fn finished_games_are_dropped_past_the_newest_ones() {
        let games = LiveGames::default();
        let playing = games.open(info(0));
        for sim in 1..=100 {
            games.open(info(sim)).finish(i64::from(sim), &no_result());
        }
        games.open(info(101));
        let listed = games.list(1, None);
        // The game still playing, the newest finished ones, the new one.
        assert_eq!(listed.len(), 1 + MAX_FINISHED_KEPT + 1);
        assert!(games.get(playing.id).is_some());
        assert!(games.get(2).is_none());
    }
}
