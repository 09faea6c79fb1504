//! One long-lived thread that spawns every bot process.
//!
//! The sandbox asks the kernel to kill the bot when its parent dies
//! (bubblewrap's `--die-with-parent`, a parent-death signal), and Linux
//! counts the parent as the *thread* that forked, not the process. A bot
//! started from a short-lived thread would be killed when that thread
//! ended, so every spawn goes through this thread, which lives as long as
//! the process.

use std::process::{Child, Command};
use std::sync::mpsc::{Sender, channel};
use std::sync::{Mutex, OnceLock};

type Job = (Command, Sender<std::io::Result<Child>>);

static SPAWNER: OnceLock<Mutex<Sender<Job>>> = OnceLock::new();

/// Spawns `cmd` from the spawner thread (started on first use).
pub fn spawn(cmd: Command) -> std::io::Result<Child> {
    let sender = SPAWNER.get_or_init(|| {
        let (tx, rx) = channel::<Job>();
        let started = std::thread::Builder::new()
            .name("arena-bot-spawner".into())
            .spawn(move || {
                for (mut cmd, reply) in rx {
                    // The caller may have given up waiting; nothing to do then.
                    let _ = reply.send(cmd.spawn());
                }
            });
        if let Err(e) = started {
            tracing::error!("cannot start the bot spawner thread: {e}");
        }
        Mutex::new(tx)
    });
    let (reply, answer) = channel();
    let sent = match sender.lock() {
        Ok(tx) => tx.send((cmd, reply)).is_ok(),
        Err(_) => false,
    };
    if !sent {
        return Err(std::io::Error::other("the bot spawner thread is gone"));
    }
    answer
        .recv()
        .unwrap_or_else(|_| Err(std::io::Error::other("the bot spawner thread is gone")))
}
