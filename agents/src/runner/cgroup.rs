//! A cgroup per bot, v2 or v1, when one can be made: `pids.max`, the memory
//! limit, and the counters the stop reasons need (OOM kills, CPU time, peak
//! memory). Everything here is best effort: when no cgroup can be created the
//! runner falls back on rlimits and says so in its debug log.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;

const ROOT: &str = "/sys/fs/cgroup";

#[derive(Debug)]
enum Kind {
    /// One directory in the unified hierarchy.
    V2(PathBuf),
    /// One directory per controller hierarchy that we could use.
    V1 {
        pids: Option<PathBuf>,
        memory: Option<PathBuf>,
        cpuacct: Option<PathBuf>,
    },
}

/// Whether a bot's cgroup can be made here: `Ok` says which kind (and
/// which controllers, for v1), `Err` why not. Makes one and removes it.
pub fn probe() -> Result<String, String> {
    let name = format!("{}{}-probe", super::sweep::PREFIX, std::process::id());
    match Cgroup::create(&name, 16, 64 << 20) {
        Some(cg) => Ok(match &cg.kind {
            Kind::V2(dir) => format!("cgroup v2 ({})", dir.parent().unwrap_or(dir).display()),
            Kind::V1 {
                pids,
                memory,
                cpuacct,
            } => {
                let have: Vec<&str> = [("pids", pids), ("memory", memory), ("cpuacct", cpuacct)]
                    .iter()
                    .filter(|(_, d)| d.is_some())
                    .map(|(n, _)| *n)
                    .collect();
                format!("cgroup v1 ({})", have.join(", "))
            }
        }),
        None => Err(format!(
            "no cgroup can be made under {ROOT} (not root, or cgroups not mounted writable): bots run under rlimits only, and a memory limit is RLIMIT_AS"
        )),
    }
}

/// The bot's cgroup; removed on drop (after its processes are killed).
#[derive(Debug)]
pub struct Cgroup {
    kind: Kind,
}

/// The path of this process's cgroup in the hierarchy holding `controller`
/// (`""` for v2's unified line).
fn own_path(controller: &str) -> Option<String> {
    let text = fs::read_to_string("/proc/self/cgroup").ok()?;
    text.lines().find_map(|line| {
        let mut parts = line.splitn(3, ':');
        let _id = parts.next()?;
        let ctrls = parts.next()?;
        let path = parts.next()?;
        let hit = if controller.is_empty() {
            ctrls.is_empty()
        } else {
            ctrls.split(',').any(|c| c == controller)
        };
        hit.then(|| path.trim_start_matches('/').to_string())
    })
}

fn write(path: &Path, value: &str) -> std::io::Result<()> {
    fs::write(path, value)
}

fn read_u64(path: &Path) -> Option<u64> {
    fs::read_to_string(path).ok()?.trim().parse().ok()
}

/// `key value` lines (memory.events, cpu.stat, memory.oom_control).
fn read_key(path: &Path, key: &str) -> Option<u64> {
    let text = fs::read_to_string(path).ok()?;
    text.lines().find_map(|l| {
        let (k, v) = l.split_once(' ')?;
        (k == key).then(|| v.trim().parse().ok()).flatten()
    })
}

fn v1_dir(controller: &str, name: &str) -> Option<PathBuf> {
    let mount = Path::new(ROOT).join(controller);
    if !mount.join("cgroup.procs").exists() {
        return None;
    }
    let dir = mount.join(own_path(controller)?).join(name);
    fs::create_dir(&dir).ok()?;
    Some(dir)
}

/// The directories where this process's bot cgroups are made.
pub fn parents() -> Vec<PathBuf> {
    let unified = Path::new(ROOT);
    if unified.join("cgroup.controllers").exists() {
        return own_path("").map(|p| unified.join(p)).into_iter().collect();
    }
    ["pids", "memory", "cpuacct"]
        .into_iter()
        .filter_map(|c| Some(unified.join(c).join(own_path(c)?)))
        .collect()
}

impl Cgroup {
    /// Makes a cgroup named `name` next to (under) this process's own, with
    /// the given limits. `None` when there is no usable cgroup file system.
    pub fn create(name: &str, pids_max: u64, memory_max: u64) -> Option<Cgroup> {
        let unified = Path::new(ROOT);
        if unified.join("cgroup.controllers").exists() {
            return Self::create_v2(name, pids_max, memory_max);
        }
        let pids = v1_dir("pids", name);
        let memory = v1_dir("memory", name);
        let cpuacct = v1_dir("cpuacct", name);
        if pids.is_none() && memory.is_none() {
            for d in [&pids, &memory, &cpuacct].into_iter().flatten() {
                let _ = fs::remove_dir(d);
            }
            return None;
        }
        let cg = Cgroup {
            kind: Kind::V1 {
                pids,
                memory,
                cpuacct,
            },
        };
        if let Kind::V1 { pids, memory, .. } = &cg.kind {
            let ok_pids = pids
                .as_ref()
                .is_none_or(|d| write(&d.join("pids.max"), &pids_max.to_string()).is_ok());
            let ok_mem = memory.as_ref().is_none_or(|d| {
                let limit = memory_max.to_string();
                let ok = write(&d.join("memory.limit_in_bytes"), &limit).is_ok();
                // No swap either, where swap accounting exists.
                let _ = write(&d.join("memory.memsw.limit_in_bytes"), &limit);
                ok
            });
            if !(ok_pids && ok_mem) {
                return None; // dropped: removed
            }
        }
        Some(cg)
    }

    fn create_v2(name: &str, pids_max: u64, memory_max: u64) -> Option<Cgroup> {
        let parent = Path::new(ROOT).join(own_path("")?);
        // Controllers must be enabled in the parent; this fails when the
        // parent holds processes itself (the "no internal processes" rule).
        let wanted = fs::read_to_string(parent.join("cgroup.subtree_control")).ok()?;
        if !(wanted.contains("pids") && wanted.contains("memory")) {
            write(&parent.join("cgroup.subtree_control"), "+pids +memory").ok()?;
        }
        let dir = parent.join(name);
        fs::create_dir(&dir).ok()?;
        let cg = Cgroup {
            kind: Kind::V2(dir.clone()),
        };
        write(&dir.join("pids.max"), &pids_max.to_string()).ok()?;
        write(&dir.join("memory.max"), &memory_max.to_string()).ok()?;
        let _ = write(&dir.join("memory.swap.max"), "0");
        Some(cg)
    }

    /// The `cgroup.procs` files a launcher must write its pid into.
    pub fn procs_files(&self) -> Vec<PathBuf> {
        match &self.kind {
            Kind::V2(d) => vec![d.join("cgroup.procs")],
            Kind::V1 {
                pids,
                memory,
                cpuacct,
            } => [pids, memory, cpuacct]
                .into_iter()
                .flatten()
                .map(|d| d.join("cgroup.procs"))
                .collect(),
        }
    }

    /// How many times the kernel's OOM killer fired in this cgroup.
    pub fn oom_kills(&self) -> u64 {
        match &self.kind {
            Kind::V2(d) => read_key(&d.join("memory.events"), "oom_kill").unwrap_or(0),
            Kind::V1 {
                memory: Some(d), ..
            } => read_key(&d.join("memory.oom_control"), "oom_kill")
                .or_else(|| read_u64(&d.join("memory.failcnt")))
                .unwrap_or(0),
            Kind::V1 { .. } => 0,
        }
    }

    /// CPU time of everything that ran in the cgroup.
    pub fn cpu_time(&self) -> Option<Duration> {
        match &self.kind {
            Kind::V2(d) => read_key(&d.join("cpu.stat"), "usage_usec").map(Duration::from_micros),
            Kind::V1 {
                cpuacct: Some(d), ..
            } => read_u64(&d.join("cpuacct.usage")).map(Duration::from_nanos),
            Kind::V1 { .. } => None,
        }
    }

    pub fn peak_memory(&self) -> Option<u64> {
        match &self.kind {
            Kind::V2(d) => read_u64(&d.join("memory.peak")),
            Kind::V1 {
                memory: Some(d), ..
            } => read_u64(&d.join("memory.max_usage_in_bytes")),
            Kind::V1 { .. } => None,
        }
    }

    fn pids(&self) -> Vec<i32> {
        let mut out = Vec::new();
        for f in self.procs_files() {
            if let Ok(text) = fs::read_to_string(&f) {
                out.extend(text.lines().filter_map(|l| l.trim().parse::<i32>().ok()));
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    /// SIGKILLs every process in the cgroup until it is empty (or `within`
    /// passes). True when it is empty.
    pub fn kill_all(&self, within: Duration) -> bool {
        if let Kind::V2(d) = &self.kind {
            let _ = write(&d.join("cgroup.kill"), "1");
        }
        let end = Instant::now() + within;
        loop {
            let pids = self.pids();
            if pids.is_empty() {
                return true;
            }
            for p in pids {
                let _ = kill(Pid::from_raw(p), Signal::SIGKILL);
            }
            if Instant::now() >= end {
                return false;
            }
            std::thread::sleep(Duration::from_millis(2));
        }
    }
}

impl Drop for Cgroup {
    fn drop(&mut self) {
        self.kill_all(Duration::from_secs(2));
        let dirs: Vec<PathBuf> = match &self.kind {
            Kind::V2(d) => vec![d.clone()],
            Kind::V1 {
                pids,
                memory,
                cpuacct,
            } => [pids, memory, cpuacct]
                .into_iter()
                .flatten()
                .cloned()
                .collect(),
        };
        for d in dirs {
            // A just-killed process can linger a moment in the accounting.
            for _ in 0..100 {
                if fs::remove_dir(&d).is_ok() {
                    break;
                }
                std::thread::sleep(Duration::from_millis(5));
            }
        }
    }
}
