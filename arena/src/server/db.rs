//! Reads from the SQLite database off the async runtime: each read opens a
//! short-lived read-only [`Store`] on a blocking thread.

use std::path::Path;

use crate::store::Store;

use super::http::ApiError;

/// Runs `f` on a blocking thread with a read-only store (`None` when there
/// is no database yet).
pub(crate) async fn read<T, F>(data_dir: &Path, f: F) -> Result<T, ApiError>
where
    T: Send + 'static,
    F: FnOnce(Option<&Store>) -> Result<T, ApiError> + Send + 'static,
{
    let dir = data_dir.to_path_buf();
    tokio::task::spawn_blocking(move || {
        let store = Store::open_read_only(&dir).map_err(ApiError::internal)?;
        f(store.as_ref())
    })
    .await
    .map_err(ApiError::internal)?
}

impl From<crate::store::StoreError> for ApiError {
    fn from(e: crate::store::StoreError) -> Self {
        ApiError::internal(e)
    }
}
