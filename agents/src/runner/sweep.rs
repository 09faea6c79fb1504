//! Leftovers of runners that died without cleaning up (`kill -9`): private
//! directories and cgroups are named `arena-bot-<runner pid>-...`; those whose
//! runner is gone are removed (their processes killed first), once per
//! process, at the first start.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Once;

use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;

pub const PREFIX: &str = "arena-bot-";

/// The runner pid in a leftover's name, if its runner is dead.
fn stale(name: &str) -> bool {
    let Some(rest) = name.strip_prefix(PREFIX) else {
        return false;
    };
    let Some(pid) = rest.split('-').next().and_then(|p| p.parse::<u32>().ok()) else {
        return false;
    };
    pid != std::process::id() && !Path::new(&format!("/proc/{pid}")).exists()
}

fn entries(dir: &Path) -> Vec<PathBuf> {
    fs::read_dir(dir)
        .map(|d| {
            d.flatten()
                .filter(|e| e.file_name().to_str().is_some_and(stale))
                .map(|e| e.path())
                .collect()
        })
        .unwrap_or_default()
}

fn sweep_cgroup(dir: &Path) {
    if let Ok(text) = fs::read_to_string(dir.join("cgroup.procs")) {
        for p in text.lines().filter_map(|l| l.trim().parse::<i32>().ok()) {
            let _ = kill(Pid::from_raw(p), Signal::SIGKILL);
        }
    }
    for _ in 0..50 {
        if fs::remove_dir(dir).is_ok() {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
}

/// Removes leftovers in the temporary directory and next to our cgroups.
pub fn once(cgroup_parents: &[PathBuf]) {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        for d in entries(&std::env::temp_dir()) {
            let _ = fs::remove_dir_all(d);
        }
        for parent in cgroup_parents {
            for d in entries(parent) {
                sweep_cgroup(&d);
            }
        }
    });
}
