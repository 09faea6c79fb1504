//! Reading `/proc`: a process's descendants, which of them is in another
//! network namespace, CPU time and peak memory of a tree, processes of a uid.

use std::fs;
use std::path::PathBuf;
use std::time::Duration;

/// Direct children of `pid` (all its threads' `children` files).
fn children(pid: i32) -> Vec<i32> {
    let mut out = Vec::new();
    if let Ok(tasks) = fs::read_dir(format!("/proc/{pid}/task")) {
        for t in tasks.flatten() {
            if let Ok(text) = fs::read_to_string(t.path().join("children")) {
                out.extend(
                    text.split_whitespace()
                        .filter_map(|s| s.parse::<i32>().ok()),
                );
            }
        }
    }
    out
}

/// `pid` and all its descendants, parents first.
pub fn tree(pid: i32) -> Vec<i32> {
    let mut out = vec![pid];
    let mut i = 0;
    while let Some(&p) = out.get(i) {
        out.extend(children(p));
        i += 1;
        if out.len() > 100_000 {
            break;
        }
    }
    out
}

fn netns_inode(pid: &str) -> Option<PathBuf> {
    fs::read_link(format!("/proc/{pid}/ns/net")).ok()
}

/// The first process in the tree of `pid` whose network namespace is not
/// ours: the sandbox's namespace, ready once the launcher has unshared it.
pub fn sandbox_netns_pid(pid: i32) -> Option<i32> {
    let ours = netns_inode("self")?;
    tree(pid)
        .into_iter()
        .find(|p| netns_inode(&p.to_string()).is_some_and(|n| n != ours))
}

fn clock_ticks() -> u64 {
    nix::unistd::sysconf(nix::unistd::SysconfVar::CLK_TCK)
        .ok()
        .flatten()
        .and_then(|t| u64::try_from(t).ok())
        .filter(|t| *t > 0)
        .unwrap_or(100)
}

/// utime + stime + cutime + cstime of one process, in ticks.
fn cpu_ticks(pid: i32) -> Option<u64> {
    let stat = fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name may hold spaces and parentheses: fields follow the last ')'.
    let rest = stat.get(stat.rfind(')')? + 2..)?;
    let f: Vec<&str> = rest.split_whitespace().collect();
    // After the name: state(0) ... utime(11) stime(12) cutime(13) cstime(14).
    let sum = (11..=14)
        .filter_map(|i| f.get(i)?.parse::<u64>().ok())
        .sum();
    Some(sum)
}

/// CPU time of a tree of processes, as far as `/proc` tells (children that
/// were reaped count through their parent's cutime/cstime).
pub fn tree_cpu_time(pid: i32) -> Option<Duration> {
    let ticks: u64 = tree(pid).into_iter().filter_map(cpu_ticks).sum();
    Some(Duration::from_micros(
        ticks.saturating_mul(1_000_000) / clock_ticks(),
    ))
}

fn status_field(pid: i32, key: &str) -> Option<u64> {
    let text = fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    text.lines().find_map(|l| {
        let v = l.strip_prefix(key)?.trim().trim_end_matches("kB").trim();
        v.parse::<u64>().ok()
    })
}

/// The largest peak resident set (VmHWM) in the tree, in bytes.
pub fn tree_peak_memory(pid: i32) -> Option<u64> {
    tree(pid)
        .into_iter()
        .filter_map(|p| status_field(p, "VmHWM:"))
        .max()
        .map(|kb| kb * 1024)
}

/// Pids of every process whose real uid is `uid` (to check nothing of a bot
/// survives it).
pub fn processes_of_uid(uid: u32) -> Vec<i32> {
    let Ok(dir) = fs::read_dir("/proc") else {
        return Vec::new();
    };
    dir.flatten()
        .filter_map(|e| e.file_name().to_str()?.parse::<i32>().ok())
        .filter(|&p| {
            fs::read_to_string(format!("/proc/{p}/status"))
                .ok()
                .is_some_and(|s| {
                    s.lines().any(|l| {
                        l.strip_prefix("Uid:")
                            .and_then(|v| v.split_whitespace().next())
                            .is_some_and(|v| v == uid.to_string())
                    })
                })
        })
        .collect()
}
