//! File-tree chores: folders every bot's uid can walk, and an
//! environment's size.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

/// Creates `dir` and its missing parents, and makes `dir` itself
/// readable and searchable by everyone (a bot's uid reads environments).
pub fn create_open_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let mode = std::fs::metadata(dir)?.permissions().mode();
    if mode & 0o055 != 0o055 {
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(mode | 0o755))?;
    }
    Ok(())
}

/// Makes everything under `dir` readable by everyone (and folders and
/// programs searchable and runnable), whatever the umask the installer ran
/// with, since bots run as a uid of their own; returns the bytes of all
/// files. Symbolic links are counted as links, never followed.
pub fn open_up(dir: &Path) -> std::io::Result<u64> {
    let meta = std::fs::symlink_metadata(dir)?;
    if meta.file_type().is_symlink() {
        return Ok(0);
    }
    let mode = meta.permissions().mode();
    let wanted = if meta.is_dir() || mode & 0o100 != 0 {
        mode | 0o555
    } else {
        mode | 0o444
    };
    if wanted != mode {
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(wanted))?;
    }
    if !meta.is_dir() {
        return Ok(meta.len());
    }
    let mut total = 0;
    for entry in std::fs::read_dir(dir)? {
        total += open_up(&entry?.path())?;
    }
    Ok(total)
}
