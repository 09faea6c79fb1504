//! The launch chain: checking the tools, the bot's private copy of its
//! codebase and its uid, and the command line that confines it.
//!
//! Both backends start with `sh -c 'echo $$ > cgroup.procs...; exec "$@"'`
//! so that the bot is in its cgroup before it can fork (no `pre_exec`: the
//! workspace forbids `unsafe`), and end with `setpriv` dropping to the bot's
//! uid with no capabilities and `no_new_privs`.

use std::ffi::OsString;
use std::fs;
use std::os::unix::fs::{PermissionsExt, symlink};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicU32, Ordering};

use nix::unistd::{Gid, Uid, chown};

use super::limits::{Backend, Limits};

/// Tools each backend needs, with the Debian package that provides them.
fn required_tools(backend: Backend) -> &'static [(&'static str, &'static str)] {
    match backend {
        Backend::Bubblewrap => &[
            ("sh", "dash"),
            ("prlimit", "util-linux"),
            ("setpriv", "util-linux"),
            ("bwrap", "bubblewrap"),
        ],
        Backend::UtilLinux => &[
            ("sh", "dash"),
            ("prlimit", "util-linux"),
            ("setpriv", "util-linux"),
            ("unshare", "util-linux"),
            ("mount", "mount"),
        ],
    }
}

/// Whether `tool` is an executable on the `PATH` (or in the sbin folders).
pub fn has_tool(tool: &str) -> bool {
    find_in_path(tool).is_some()
}

fn find_in_path(tool: &str) -> Option<PathBuf> {
    let path =
        std::env::var_os("PATH").unwrap_or_else(|| OsString::from("/usr/sbin:/usr/bin:/sbin:/bin"));
    std::env::split_paths(&path)
        .chain(["/usr/sbin", "/sbin"].map(PathBuf::from))
        .map(|d| d.join(tool))
        .find(|p| fs::metadata(p).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0))
}

/// Checks that the backend can run here: its tools exist and we are root
/// (namespaces, `setpriv` to another uid, cgroups). The error says what to
/// install.
pub fn check(backend: Backend) -> Result<(), String> {
    let missing: Vec<String> = required_tools(backend)
        .iter()
        .filter(|(tool, _)| find_in_path(tool).is_none())
        .map(|(tool, pkg)| format!("`{tool}` (Debian package {pkg})"))
        .collect();
    if !missing.is_empty() {
        let pkgs: Vec<&str> = required_tools(backend)
            .iter()
            .filter(|(tool, _)| find_in_path(tool).is_none())
            .map(|(_, pkg)| *pkg)
            .collect();
        return Err(format!(
            "the {} sandbox needs {}: install with `apt-get install {}`",
            backend.name(),
            missing.join(", "),
            pkgs.join(" ")
        ));
    }
    if !Uid::effective().is_root() {
        return Err(format!(
            "the {} sandbox must run as root (namespaces, setpriv, cgroups)",
            backend.name()
        ));
    }
    Ok(())
}

/// A fresh uid (and gid of the same number) per bot, from a high range no
/// account uses, so that RLIMIT_NPROC counts this bot's processes only.
pub fn fresh_uid() -> u32 {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed) % 4096;
    let slot = std::process::id() % 4096;
    0x4000_0000 + slot * 4096 + n
}

/// Copies `src` into `dst` (which must not exist): files, directories and
/// symbolic links (as links); other kinds are skipped. Everything becomes
/// owned by `uid:uid`, so the bot can read and write its copy and nothing else.
pub fn copy_codebase(src: &Path, dst: &Path, uid: u32) -> std::io::Result<()> {
    let owner = (Some(Uid::from_raw(uid)), Some(Gid::from_raw(uid)));
    let meta = fs::symlink_metadata(src)?;
    let ft = meta.file_type();
    if ft.is_dir() {
        fs::create_dir(dst)?;
        fs::set_permissions(dst, fs::Permissions::from_mode(0o755))?;
        for entry in fs::read_dir(src)? {
            let entry = entry?;
            copy_codebase(&entry.path(), &dst.join(entry.file_name()), uid)?;
        }
    } else if ft.is_symlink() {
        symlink(fs::read_link(src)?, dst)?;
        nix::unistd::fchownat(
            nix::fcntl::AT_FDCWD,
            dst,
            owner.0,
            owner.1,
            nix::fcntl::AtFlags::AT_SYMLINK_NOFOLLOW,
        )
        .map_err(std::io::Error::from)?;
        return Ok(());
    } else if ft.is_file() {
        fs::copy(src, dst)?;
    } else {
        return Ok(());
    }
    chown(dst, owner.0, owner.1).map_err(std::io::Error::from)
}

/// The `PATH` inside the sandbox (a prepared environment's `bin/` goes
/// first). Tools the bots use are looked up here, not in the arena's own
/// `PATH`: a program under `/root` (pyenv, rustup) is out of a bot's reach.
pub const SANDBOX_PATH: &str = "/usr/local/bin:/usr/bin:/bin";

/// Where `tool` is on the sandbox's `PATH`, if anywhere.
pub fn find_in_sandbox_path(tool: &str) -> Option<PathBuf> {
    std::env::split_paths(SANDBOX_PATH)
        .map(|d| d.join(tool))
        .find(|p| fs::metadata(p).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0))
}

/// A prepared environment bound read-only into the sandbox.
pub struct EnvMount<'a> {
    /// The environment's folder (outside: under the arena's data directory).
    pub source: &'a Path,
    /// Where the bot sees it: an empty folder beside its working directory.
    pub target: &'a Path,
}

/// Everything the launch chain needs to know.
pub struct Launch<'a> {
    pub workdir: &'a Path,
    /// A prepared environment, read-only, its `bin/` first on `PATH`.
    pub environment: Option<EnvMount<'a>>,
    pub uid: u32,
    pub command: &'a [String],
    pub limits: &'a Limits,
    pub cgroup_procs: Vec<PathBuf>,
}

fn sh_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\\''"))
}

/// `prlimit` arguments for the limits (RLIMIT_CPU soft then SIGKILL 1 s later).
fn prlimit_args(l: &Limits) -> Vec<String> {
    let cpu = l.cpu_time.as_secs().max(1);
    let mut a = vec![
        "prlimit".to_string(),
        format!("--cpu={cpu}:{}", cpu + 1),
        format!("--nproc={}", l.processes),
        format!("--fsize={}", l.file_size_bytes),
        format!("--nofile={}", l.open_files),
        "--core=0".to_string(),
    ];
    if let Some(as_bytes) = l.address_space_bytes {
        a.push(format!("--as={as_bytes}"));
    }
    a.push("--".to_string());
    a
}

fn setpriv_args(uid: u32) -> Vec<String> {
    vec![
        "setpriv".to_string(),
        format!("--reuid={uid}"),
        format!("--regid={uid}"),
        "--clear-groups".to_string(),
        "--inh-caps=-all".to_string(),
        "--bounding-set=-all".to_string(),
        "--no-new-privs".to_string(),
        "--".to_string(),
    ]
}

/// The root shell that runs as PID 1 of the util-linux sandbox (in the
/// network namespace the spawner made, its loopback up): the working
/// directory its own (writable) mount, a prepared environment (if the
/// second and third arguments name one) bound at its place, every other
/// mount read-only; then the bot as PID 2 (so that it gets the signals a
/// PID 1 would ignore), its status passed on (128 + signal when killed).
const UTIL_LINUX_INIT: &str = r#"set -e
w="$1"; env_source="$2"; env_target="$3"; shift 3
mount --bind "$w" "$w"
[ -z "$env_source" ] || mount --bind "$env_source" "$env_target"
cd "$w"
for m in $(cut -d' ' -f5 /proc/self/mountinfo); do
  [ "$m" = "$w" ] || mount -o remount,bind,ro "$m" 2>/dev/null || true
done
set +e
"$@"
exit $?"#;

/// The whole command: the cgroup join, the backend, rlimits, the uid, the bot.
pub fn command(l: &Launch<'_>) -> Command {
    let w = l.workdir.to_string_lossy().into_owned();
    // bwrap creates missing parents of a bind target with mode 0700; the bot
    // must be able to walk through them.
    let parent = l
        .workdir
        .parent()
        .unwrap_or(l.workdir)
        .to_string_lossy()
        .into_owned();
    let mut join = String::new();
    for f in &l.cgroup_procs {
        join.push_str(&format!("echo $$ > {} && ", sh_quote(&f.to_string_lossy())));
    }
    join.push_str("exec \"$@\"");
    let mut argv: Vec<String> = vec!["-c".into(), join, "sh".into()];
    let (env_source, env_target) = match &l.environment {
        Some(e) => (
            e.source.to_string_lossy().into_owned(),
            e.target.to_string_lossy().into_owned(),
        ),
        None => (String::new(), String::new()),
    };
    match l.limits.backend {
        Backend::Bubblewrap => {
            argv.extend(prlimit_args(l.limits));
            argv.extend(
                [
                    "bwrap",
                    "--ro-bind",
                    "/",
                    "/",
                    "--tmpfs",
                    "/tmp",
                    "--perms",
                    "0711",
                    "--dir",
                    &parent,
                    "--bind",
                    &w,
                    &w,
                ]
                .map(String::from),
            );
            if l.environment.is_some() {
                argv.extend(["--ro-bind".into(), env_source.clone(), env_target.clone()]);
            }
            argv.extend(
                [
                    "--dev",
                    "/dev",
                    "--proc",
                    "/proc",
                    "--unshare-net",
                    "--unshare-pid",
                    "--unshare-ipc",
                    "--unshare-uts",
                    "--hostname",
                    "bot",
                    "--die-with-parent",
                    "--new-session",
                    "--chdir",
                    &w,
                    "--",
                ]
                .map(String::from),
            );
        }
        Backend::UtilLinux => {
            argv.extend(
                [
                    "unshare",
                    "--pid",
                    "--ipc",
                    "--uts",
                    "--mount",
                    "--propagation",
                    "private",
                    "--fork",
                    "--kill-child",
                    "--mount-proc",
                    "--",
                    "sh",
                    "-c",
                    UTIL_LINUX_INIT,
                    "sh",
                    &w,
                    &env_source,
                    &env_target,
                ]
                .map(String::from),
            );
            argv.extend(prlimit_args(l.limits));
        }
    }
    argv.extend(setpriv_args(l.uid));
    argv.extend(l.command.iter().cloned());

    let mut cmd = Command::new("sh");
    cmd.args(argv).current_dir(l.workdir).env_clear();
    match &l.environment {
        Some(_) => {
            cmd.env("PATH", format!("{env_target}/bin:{SANDBOX_PATH}"));
            cmd.env("VIRTUAL_ENV", &env_target);
        }
        None => {
            cmd.env("PATH", SANDBOX_PATH);
        }
    }
    cmd.env("HOME", l.workdir);
    cmd.env("LANG", "C.UTF-8");
    for (k, v) in &l.limits.env {
        cmd.env(k, v);
    }
    cmd
}
