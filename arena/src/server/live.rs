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
//! Subscribers are woken through one `watch` channel per game: publishing
//! bumps its value once, whatever the number of subscribers, and takes no
//! lock per subscriber; a subscriber is a `watch::Receiver` (dropping it
//! unsubscribes). A woken subscriber reads what it has not sent under the
//! game's read lock, so readers do not wait for each other.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock, RwLockReadGuard, RwLockWriteGuard};
use std::time::{Duration, Instant};

use axum::extract::ws::Utf8Bytes;
use serde_json::Value;
use tokio::sync::watch;

use super::lock;
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
    /// Bumped on every frame and at the end: wakes every subscriber.
    changed: watch::Sender<u64>,
}

/// Subscribers' wake-ups: the value changes on every new frame and at the
/// end of the game.
pub type Changes = watch::Receiver<u64>;

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
            changed: watch::Sender::new(0),
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

    /// Wakes every subscriber: one store and one wake-up per waiting task,
    /// with the game's lock released.
    fn wake(&self) {
        self.changed.send_modify(|n| *n = n.wrapping_add(1));
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

    /// Adds a frame and wakes every subscriber.
    pub fn publish(&self, turn: u64, frame: &Value) {
        let mut st = self.write();
        let version = st.frames.len() as u64 + 1;
        let msg = ServerMessage::LiveFrame {
            game_id: self.id,
            version,
            turn,
            frame: frame.clone(),
        };
        // Serialized once: every subscriber sends these same bytes.
        st.frames.push(Utf8Bytes::from(msg.to_json()));
        st.last = frame.clone();
        drop(st);
        self.wake();
    }

    /// Ends the game: it was stored as `match_id`.
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
        self.wake();
    }

    /// Follows the game: the [`Changes`] returned change on every new frame
    /// (and at the end) after the `snapshot` message returned, whose
    /// version is returned too. `admin`: the header keeps its codebase
    /// hashes even when the tournament is not transparent.
    pub fn subscribe(&self, admin: bool) -> (ServerMessage, u64, Changes) {
        // Subscribed under the lock: a frame published after the snapshot
        // changes the receiver.
        let st = self.read();
        let changes = self.changed.subscribe();
        let version = st.frames.len() as u64;
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
        (snapshot, version, changes)
    }

    /// Follows the game from `from_version` on (the caller sends the gap
    /// with [`LiveGame::pending`]); `None` when that version is not one of
    /// this game's (the caller sends a snapshot instead).
    pub fn resubscribe(&self, from_version: u64) -> Option<Changes> {
        let st = self.read();
        if from_version > st.frames.len() as u64 {
            return None;
        }
        Some(self.changed.subscribe())
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

    #[test]
    fn a_subscriber_gets_every_frame_after_its_version_then_the_end() {
        let games = LiveGames::default();
        let game = games.open(info(0));
        for turn in 0..5 {
            game.publish(turn, &json!({ "turn": turn }));
        }
        let (snapshot, version, mut changes) = game.subscribe(false);
        assert!(!changes.has_changed().unwrap_or(true));
        assert_eq!(version, 5);
        assert!(matches!(
            snapshot,
            ServerMessage::Snapshot { version: 5, .. }
        ));
        game.publish(5, &json!({"turn": 5}));
        assert!(changes.has_changed().unwrap_or(false));
        changes.mark_unchanged();
        let p = game.pending(version);
        assert_eq!(p.frames.len(), 1);
        assert!(p.frames[0].as_str().contains(r#""version":6"#));
        assert!(p.finished.is_none());
        // From the start: all six, in order.
        let all = game.pending(0);
        let versions: Vec<bool> = (0..6)
            .map(|i| {
                all.frames[i]
                    .as_str()
                    .contains(&format!(r#""version":{}"#, i + 1))
            })
            .collect();
        assert!(versions.iter().all(|v| *v));
        game.finish(9, &no_result());
        assert!(changes.has_changed().unwrap_or(false));
        let end = game.pending(6);
        assert!(end.frames.is_empty());
        assert!(
            end.finished
                .is_some_and(|m| m.as_str().contains(r#""match_id":9"#))
        );
        assert!(game.resubscribe(7).is_none());
        assert!(game.resubscribe(6).is_some());
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
