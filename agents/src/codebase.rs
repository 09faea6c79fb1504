//! Codebases: the directory an agent edits between rounds.
//!
//! A codebase is read whole into a [`Snapshot`] (so a later edit of the
//! directory cannot change what was validated), checked against limits, and
//! named by a content hash, so identical versions are stored and compared
//! once whatever their directory was called.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Component, Path, PathBuf};

use sha2::{Digest, Sha256};

/// How large a codebase may be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Files, counting every file in every subdirectory.
    pub max_files: usize,
    /// Bytes of all files together.
    pub max_bytes: u64,
    /// Bytes of any one file.
    pub max_file_bytes: u64,
    /// Directory depth below the root.
    pub max_depth: usize,
}

impl Default for Limits {
    /// Generous for source code (CodeClash's starters are a few kB), small
    /// enough that a thousand versions fit in a database.
    fn default() -> Self {
        Limits {
            max_files: 1000,
            max_bytes: 10 << 20,
            max_file_bytes: 2 << 20,
            max_depth: 16,
        }
    }
}

/// One file of a codebase.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct File {
    pub bytes: Vec<u8>,
    /// Whether the owner may execute it (the only mode bit kept).
    pub executable: bool,
}

/// A codebase as it was read: relative paths (with `/`) to files.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Snapshot {
    files: BTreeMap<String, File>,
    hash: String,
}

/// Why a directory is not a valid codebase; each says what to change.
#[derive(Debug, thiserror::Error)]
pub enum CodebaseError {
    #[error("cannot read codebase {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("codebase has more than {max} files; remove build outputs and caches")]
    TooManyFiles { max: usize },
    #[error("codebase is larger than {max} bytes; remove build outputs, data and caches")]
    TooLarge { max: u64 },
    #[error("{path} is {size} bytes, over the {max}-byte limit for one file")]
    FileTooLarge { path: String, size: u64, max: u64 },
    #[error("{path} is nested deeper than {max} directories")]
    TooDeep { path: String, max: usize },
    #[error(
        "{path} is a symbolic link or special file; codebases may hold only regular files and directories"
    )]
    NotRegular { path: String },
    #[error("{path} has a name that is not valid UTF-8; rename it")]
    BadName { path: String },
}

impl Snapshot {
    /// Reads a directory, within `limits`.
    pub fn read(root: &Path, limits: &Limits) -> Result<Snapshot, CodebaseError> {
        Snapshot::read_excluding(root, limits, &[])
    }

    /// Reads a directory, within `limits`, leaving out the entries of its
    /// top level named in `skip` (folders the codebase's owner keeps beside
    /// the codebase, such as `.git`).
    pub fn read_excluding(
        root: &Path,
        limits: &Limits,
        skip: &[&str],
    ) -> Result<Snapshot, CodebaseError> {
        let mut files = BTreeMap::new();
        let mut total = 0u64;
        read_dir(root, root, 0, skip, limits, &mut files, &mut total)?;
        Ok(Snapshot::from_files(files))
    }

    /// A snapshot of files given in memory (paths are relative, with `/`).
    pub fn from_files(files: BTreeMap<String, File>) -> Snapshot {
        let hash = content_hash(&files);
        Snapshot { files, hash }
    }

    /// The content hash: SHA-256 over every path, mode and content, in
    /// path order, as lowercase hex.
    pub fn hash(&self) -> &str {
        &self.hash
    }

    /// The files, by relative path.
    pub fn files(&self) -> &BTreeMap<String, File> {
        &self.files
    }

    /// One file's bytes.
    pub fn get(&self, path: &str) -> Option<&[u8]> {
        self.files.get(path).map(|f| f.bytes.as_slice())
    }

    /// Bytes of all files.
    pub fn total_bytes(&self) -> u64 {
        self.files.values().map(|f| f.bytes.len() as u64).sum()
    }

    /// Writes the files under `dir` (which must exist), creating subdirectories.
    pub fn write_to(&self, dir: &Path) -> std::io::Result<()> {
        for (rel, file) in &self.files {
            let path = dir.join(rel);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::write(&path, &file.bytes)?;
            set_executable(&path, file.executable)?;
        }
        Ok(())
    }
}

fn read_dir(
    root: &Path,
    dir: &Path,
    depth: usize,
    skip: &[&str],
    limits: &Limits,
    files: &mut BTreeMap<String, File>,
    total: &mut u64,
) -> Result<(), CodebaseError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| CodebaseError::Io { path, source }
    };
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .map_err(io(dir))?
        .collect::<Result<_, _>>()
        .map_err(io(dir))?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        if skip.iter().any(|name| entry.file_name() == **name) {
            continue;
        }
        let path = entry.path();
        let rel = relative(root, &path)?;
        // symlink_metadata: a link is refused, never followed out of the codebase.
        let meta = std::fs::symlink_metadata(&path).map_err(io(&path))?;
        if meta.is_dir() {
            if depth + 1 > limits.max_depth {
                return Err(CodebaseError::TooDeep {
                    path: rel,
                    max: limits.max_depth,
                });
            }
            read_dir(root, &path, depth + 1, &[], limits, files, total)?;
        } else if meta.is_file() {
            if files.len() >= limits.max_files {
                return Err(CodebaseError::TooManyFiles {
                    max: limits.max_files,
                });
            }
            if meta.len() > limits.max_file_bytes {
                return Err(CodebaseError::FileTooLarge {
                    path: rel,
                    size: meta.len(),
                    max: limits.max_file_bytes,
                });
            }
            *total += meta.len();
            if *total > limits.max_bytes {
                return Err(CodebaseError::TooLarge {
                    max: limits.max_bytes,
                });
            }
            let bytes = std::fs::read(&path).map_err(io(&path))?;
            files.insert(
                rel,
                File {
                    bytes,
                    executable: is_executable(&meta),
                },
            );
        } else {
            return Err(CodebaseError::NotRegular { path: rel });
        }
    }
    Ok(())
}

/// `path` relative to `root`, with `/` separators.
fn relative(root: &Path, path: &Path) -> Result<String, CodebaseError> {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let mut out = String::new();
    for c in rel.components() {
        if let Component::Normal(part) = c {
            let part = part.to_str().ok_or_else(|| CodebaseError::BadName {
                path: rel.display().to_string(),
            })?;
            if !out.is_empty() {
                out.push('/');
            }
            out.push_str(part);
        }
    }
    Ok(out)
}

fn content_hash(files: &BTreeMap<String, File>) -> String {
    let mut h = Sha256::new();
    for (path, file) in files {
        // Length-prefixed fields, so no two codebases hash the same input.
        h.update((path.len() as u64).to_le_bytes());
        h.update(path.as_bytes());
        h.update([u8::from(file.executable)]);
        h.update((file.bytes.len() as u64).to_le_bytes());
        h.update(&file.bytes);
    }
    let mut hex = String::with_capacity(64);
    for byte in h.finalize() {
        let _ = write!(hex, "{byte:02x}");
    }
    hex
}

#[cfg(unix)]
fn is_executable(meta: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::PermissionsExt;
    meta.permissions().mode() & 0o100 != 0
}

#[cfg(not(unix))]
fn is_executable(_: &std::fs::Metadata) -> bool {
    false
}

#[cfg(unix)]
fn set_executable(path: &Path, executable: bool) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let mode = if executable { 0o755 } else { 0o644 };
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
}

#[cfg(not(unix))]
fn set_executable(_: &Path, _: bool) -> std::io::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("arena-codebase-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("temp dir");
        dir
    }

    #[test]
    fn hash_names_content_not_location() {
        let a = scratch("a");
        let b = scratch("b");
        for d in [&a, &b] {
            std::fs::create_dir_all(d.join("src")).expect("mkdir");
            std::fs::write(d.join("main.py"), "print(1)\n").expect("write");
            std::fs::write(d.join("src/util.py"), "x = 2\n").expect("write");
        }
        let limits = Limits::default();
        let sa = Snapshot::read(&a, &limits).expect("read a");
        let sb = Snapshot::read(&b, &limits).expect("read b");
        assert_eq!(sa.hash(), sb.hash());
        assert_eq!(sa.hash().len(), 64);
        std::fs::write(b.join("src/util.py"), "x = 3\n").expect("write");
        let sb = Snapshot::read(&b, &limits).expect("read b");
        assert_ne!(sa.hash(), sb.hash());
        assert_eq!(sa.get("src/util.py"), Some(&b"x = 2\n"[..]));
    }

    #[test]
    fn limits_are_enforced_with_a_reason() {
        let d = scratch("limits");
        std::fs::write(d.join("big.bin"), vec![0u8; 5000]).expect("write");
        let limits = Limits {
            max_file_bytes: 1000,
            ..Limits::default()
        };
        let err = Snapshot::read(&d, &limits).expect_err("too large");
        assert!(err.to_string().contains("big.bin"), "{err}");
        let limits = Limits {
            max_files: 0,
            ..Limits::default()
        };
        assert!(matches!(
            Snapshot::read(&d, &limits),
            Err(CodebaseError::TooManyFiles { .. })
        ));
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_are_refused() {
        let d = scratch("link");
        std::os::unix::fs::symlink("/etc/passwd", d.join("passwd")).expect("symlink");
        let err = Snapshot::read(&d, &Limits::default()).expect_err("symlink");
        assert!(matches!(err, CodebaseError::NotRegular { .. }), "{err}");
    }

    #[test]
    fn round_trip_through_a_directory() {
        let d = scratch("src");
        std::fs::create_dir_all(d.join("a/b")).expect("mkdir");
        std::fs::write(d.join("a/b/c.txt"), "deep").expect("write");
        let snap = Snapshot::read(&d, &Limits::default()).expect("read");
        let out = scratch("out");
        snap.write_to(&out).expect("write out");
        let again = Snapshot::read(&out, &Limits::default()).expect("read out");
        assert_eq!(snap, again);
    }
}
