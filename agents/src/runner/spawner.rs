//! One long-lived thread that spawns every bot process.
//!
//! The sandbox asks the kernel to kill the bot when its parent dies
//! (bubblewrap's `--die-with-parent`, a parent-death signal), and Linux
//! counts the parent as the *thread* that forked, not the process. A bot
//! started from a short-lived thread would be killed when that thread
//! ended, so every spawn goes through this thread, which lives as long as
//! the process.
//!
//! It also gives the util-linux sandbox its network namespace: the thread
//! enters a fresh one (`unshare(CLONE_NEWNET)` changes the calling thread
//! only), brings its loopback up over rtnetlink, spawns the bot there and
//! returns to the process's namespace. So no `ip` (iproute2) is needed.

use std::fs::File;
use std::process::{Child, Command};
use std::sync::mpsc::{Sender, channel};
use std::sync::{Mutex, OnceLock};

use nix::sched::{CloneFlags, setns, unshare};

/// Where the spawned process's network is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Network {
    /// The runner's own (the sandbox makes its own namespace).
    Inherit,
    /// A fresh namespace with only its loopback, up.
    Fresh,
}

type Job = (Command, Network, Sender<std::io::Result<Child>>);

static SPAWNER: OnceLock<Mutex<Sender<Job>>> = OnceLock::new();

/// Spawns `cmd` from the spawner thread (started on first use).
pub fn spawn(cmd: Command, network: Network) -> std::io::Result<Child> {
    let sender = SPAWNER.get_or_init(|| {
        let (tx, rx) = channel::<Job>();
        let started = std::thread::Builder::new()
            .name("arena-bot-spawner".into())
            .spawn(move || {
                // The namespace to come back to after each fresh one.
                let home = File::open("/proc/thread-self/ns/net");
                for (mut cmd, network, reply) in rx {
                    let child = match network {
                        Network::Inherit => cmd.spawn(),
                        Network::Fresh => match &home {
                            Ok(home) => spawn_in_fresh_network(&mut cmd, home),
                            Err(e) => Err(std::io::Error::other(format!(
                                "cannot open /proc/thread-self/ns/net: {e}"
                            ))),
                        },
                    };
                    // The caller may have given up waiting; nothing to do then.
                    let _ = reply.send(child);
                }
            });
        if let Err(e) = started {
            tracing::error!("cannot start the bot spawner thread: {e}");
        }
        Mutex::new(tx)
    });
    let (reply, answer) = channel();
    let sent = match sender.lock() {
        Ok(tx) => tx.send((cmd, network, reply)).is_ok(),
        Err(_) => false,
    };
    if !sent {
        return Err(std::io::Error::other("the bot spawner thread is gone"));
    }
    answer
        .recv()
        .unwrap_or_else(|_| Err(std::io::Error::other("the bot spawner thread is gone")))
}

/// Spawns `cmd` in a new network namespace with `lo` up; the calling
/// thread returns to `home` whatever happens.
fn spawn_in_fresh_network(cmd: &mut Command, home: &File) -> std::io::Result<Child> {
    unshare(CloneFlags::CLONE_NEWNET).map_err(|e| {
        std::io::Error::other(format!(
            "unshare(CLONE_NEWNET): {e} (the sandbox runs as root)"
        ))
    })?;
    let child = super::netlink::loopback_up()
        .map_err(|e| std::io::Error::other(format!("bringing up the bot's loopback: {e}")))
        .and_then(|()| cmd.spawn());
    if let Err(e) = setns(home, CloneFlags::CLONE_NEWNET) {
        // Later spawns then start from this namespace; each util-linux one
        // still gets a fresh namespace, and bubblewrap makes its own.
        tracing::error!("the bot spawner cannot return to its network namespace: {e}");
    }
    child
}
