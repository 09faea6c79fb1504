//! Reads from the SQLite database off the async runtime: each read opens a
//! short-lived read-only connection on a blocking thread.

use std::path::Path;

use rusqlite::{Connection, OpenFlags};

use super::http::ApiError;

/// Opens the database read-only; `None` if no tournament was ever stored.
pub(crate) fn open(data_dir: &Path) -> Result<Option<Connection>, ApiError> {
    let path = data_dir.join(crate::store::DB_FILE);
    if !path.exists() {
        return Ok(None);
    }
    let conn = Connection::open_with_flags(
        &path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(ApiError::internal)?;
    conn.busy_timeout(std::time::Duration::from_secs(5))
        .map_err(ApiError::internal)?;
    Ok(Some(conn))
}

/// Runs `f` on a blocking thread with a read-only connection (`None` when
/// there is no database yet).
pub(crate) async fn read<T, F>(data_dir: &Path, f: F) -> Result<T, ApiError>
where
    T: Send + 'static,
    F: FnOnce(Option<&Connection>) -> Result<T, ApiError> + Send + 'static,
{
    let dir = data_dir.to_path_buf();
    tokio::task::spawn_blocking(move || {
        let conn = open(&dir)?;
        f(conn.as_ref())
    })
    .await
    .map_err(ApiError::internal)?
}
