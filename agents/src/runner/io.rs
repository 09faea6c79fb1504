//! The bot's pipes, each served by its own thread so that a bot which stops
//! reading or floods its output can never block the runner: the stdin writer,
//! the stdout line reader (lines to a channel), and the log drain (stderr, and
//! stdout of HTTP bots) that keeps the head and tail of what it reads.
//! Byte limits are enforced here, as the bytes arrive.

use std::io::{Read, Write};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;

use nix::sys::signal::{Signal, killpg};
use nix::unistd::Pid;

use super::reason::StopReason;

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// What the runner's threads share about one bot: how to kill its process
/// group, and the first limit it broke.
#[derive(Debug)]
pub struct Shared {
    pgid: i32,
    /// Set once the leader is reaped: its pgid may then be reused.
    reaped: Mutex<bool>,
    violation: Mutex<Option<StopReason>>,
}

impl Shared {
    pub fn new(pgid: i32) -> Arc<Shared> {
        Arc::new(Shared {
            pgid,
            reaped: Mutex::new(false),
            violation: Mutex::new(None),
        })
    }

    /// SIGKILLs the whole process group (the launch chain; the namespaces'
    /// PID 1 dies with it, taking every descendant along).
    pub fn kill(&self) {
        let reaped = lock(&self.reaped);
        if !*reaped {
            let _ = killpg(Pid::from_raw(self.pgid), Signal::SIGKILL);
        }
    }

    pub fn mark_reaped(&self) {
        *lock(&self.reaped) = true;
    }

    /// Records a broken limit (the first one wins) and kills the bot.
    pub fn violate(&self, reason: StopReason) {
        lock(&self.violation).get_or_insert(reason);
        self.kill();
    }

    pub fn violation(&self) -> Option<StopReason> {
        lock(&self.violation).clone()
    }
}

/// The beginning and the end of a stream, at most `keep` bytes in all.
#[derive(Debug, Default)]
pub struct LogBuffer {
    keep: usize,
    head: Vec<u8>,
    tail: std::collections::VecDeque<u8>,
    total: u64,
}

impl LogBuffer {
    pub fn new(keep: usize) -> LogBuffer {
        LogBuffer {
            keep,
            ..LogBuffer::default()
        }
    }

    fn push(&mut self, bytes: &[u8]) {
        self.total += bytes.len() as u64;
        let head_cap = self.keep / 4;
        let take = head_cap.saturating_sub(self.head.len()).min(bytes.len());
        self.head.extend_from_slice(&bytes[..take]);
        let rest = &bytes[take..];
        let tail_cap = self.keep - head_cap;
        let rest = &rest[rest.len().saturating_sub(tail_cap)..];
        self.tail.extend(rest);
        while self.tail.len() > tail_cap {
            self.tail.pop_front();
        }
    }

    pub fn total(&self) -> u64 {
        self.total
    }

    /// The kept text, with a marker where bytes were dropped.
    pub fn text(&self) -> String {
        let kept = (self.head.len() + self.tail.len()) as u64;
        let mut out = String::from_utf8_lossy(&self.head).into_owned();
        if self.total > kept {
            out.push_str(&format!(
                "\n[... {} bytes not kept ...]\n",
                self.total - kept
            ));
        }
        let tail: Vec<u8> = self.tail.iter().copied().collect();
        out.push_str(&String::from_utf8_lossy(&tail));
        out
    }
}

/// Drains `r` into `log`; past `limit` bytes the bot is killed with
/// `OutputLimit`.
pub fn spawn_log_drain<R: Read + Send + 'static>(
    mut r: R,
    stream: &'static str,
    limit: u64,
    log: Arc<Mutex<LogBuffer>>,
    shared: Arc<Shared>,
) -> std::io::Result<JoinHandle<()>> {
    std::thread::Builder::new()
        .name(format!("bot-{stream}"))
        .spawn(move || {
            let mut buf = vec![0u8; 64 << 10];
            let mut seen = 0u64;
            loop {
                match r.read(&mut buf) {
                    Ok(0) | Err(_) => return,
                    Ok(n) => {
                        seen += n as u64;
                        lock(&log).push(&buf[..n]);
                        if seen > limit {
                            shared.violate(StopReason::OutputLimit { stream, limit });
                            return;
                        }
                    }
                }
            }
        })
}

/// What the stdout reader saw.
#[derive(Debug)]
pub enum Out {
    Line(Vec<u8>),
    /// End of stdout (the bot exited or closed it).
    Eof,
}

/// Reads stdout line by line into a channel. Lines longer than `max_line`
/// and more than `limit` bytes in all kill the bot with `OutputLimit`.
pub fn spawn_line_reader<R: Read + Send + 'static>(
    mut r: R,
    max_line: usize,
    limit: u64,
    shared: Arc<Shared>,
) -> std::io::Result<(Receiver<Out>, JoinHandle<()>)> {
    let (tx, rx) = sync_channel::<Out>(64);
    let h = std::thread::Builder::new()
        .name("bot-stdout".into())
        .spawn(move || {
            let mut buf = vec![0u8; 64 << 10];
            let mut line = Vec::new();
            let mut seen = 0u64;
            loop {
                let n = match r.read(&mut buf) {
                    Ok(0) | Err(_) => {
                        let _ = tx.send(Out::Eof);
                        return;
                    }
                    Ok(n) => n,
                };
                seen += n as u64;
                if seen > limit {
                    shared.violate(StopReason::OutputLimit {
                        stream: "stdout",
                        limit,
                    });
                    let _ = tx.send(Out::Eof);
                    return;
                }
                let mut chunk = &buf[..n];
                while let Some(i) = chunk.iter().position(|&b| b == b'\n') {
                    line.extend_from_slice(&chunk[..i]);
                    chunk = &chunk[i + 1..];
                    if send_line(&tx, &mut line).is_err() {
                        return;
                    }
                }
                line.extend_from_slice(chunk);
                if line.len() > max_line {
                    shared.violate(StopReason::OutputLimit {
                        stream: "stdout (one line)",
                        limit: max_line as u64,
                    });
                    let _ = tx.send(Out::Eof);
                    return;
                }
            }
        })?;
    Ok((rx, h))
}

fn send_line(tx: &SyncSender<Out>, line: &mut Vec<u8>) -> Result<(), ()> {
    if line.last() == Some(&b'\r') {
        line.pop();
    }
    tx.send(Out::Line(std::mem::take(line))).map_err(|_| ())
}

/// Writes whatever it is sent to the bot's stdin; a bot that never reads
/// blocks this thread, not the runner (the kill breaks the pipe). Dropping
/// the sender closes stdin.
pub fn spawn_writer<W: Write + Send + 'static>(
    mut w: W,
) -> std::io::Result<(SyncSender<Vec<u8>>, JoinHandle<()>)> {
    let (tx, rx) = sync_channel::<Vec<u8>>(16);
    let h = std::thread::Builder::new()
        .name("bot-stdin".into())
        .spawn(move || {
            for bytes in rx {
                if w.write_all(&bytes).and_then(|()| w.flush()).is_err() {
                    return;
                }
            }
        })?;
    Ok((tx, h))
}
