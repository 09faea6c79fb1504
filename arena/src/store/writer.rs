//! `arena serve`'s one writer: a thread that owns the server's writing
//! [`Store`] and runs the requests a channel brings it, one at a time, each
//! answered on its own oneshot.
//!
//! Why one: every write a server makes (a tournament created, a token
//! issued, a state changed) goes through this thread's connection, and the
//! tournament runners write on the same connection ([`Writer::store`]
//! hands them a [`Store::share`]d handle; its lock lets one transaction
//! run at a time). So no two connections of the server ever contend for
//! SQLite's write lock: no `SQLITE_BUSY` beside a running tournament, and
//! an agent's `hello` or an HTTP read (read-only connections) writes
//! nothing.

use std::path::Path;
use std::sync::mpsc;

use tokio::sync::oneshot;

use super::{Store, StoreError};

/// A request: runs on the writer thread with its store.
type Job = Box<dyn FnOnce(&mut Store) + Send>;

/// The handle requests go through (cheap to clone).
#[derive(Clone)]
pub struct Writer {
    /// To the writer thread; it stops once every handle is dropped.
    jobs: mpsc::Sender<Job>,
    /// The store the thread writes on, for runners to share.
    store: std::sync::Arc<Store>,
}

impl Writer {
    /// Opens (creating and migrating if needed) the database in `data_dir`
    /// and starts the writer thread.
    pub fn start(data_dir: &Path) -> Result<Writer, StoreError> {
        let store = Store::open(data_dir)?;
        let mut mine = store.share();
        let (jobs, queue) = mpsc::channel::<Job>();
        std::thread::Builder::new()
            .name("store-writer".into())
            .spawn(move || {
                for job in queue {
                    job(&mut mine);
                }
            })
            .map_err(StoreError::WriterThread)?;
        Ok(Writer {
            jobs,
            store: std::sync::Arc::new(store),
        })
    }

    /// A handle on the writer's connection for a tournament runner thread
    /// (its transactions take turns with the writer thread's).
    pub fn store(&self) -> Store {
        self.store.share()
    }

    /// Sends `f` to the writer thread and returns its oneshot. `f` fails
    /// with its own error type, one a [`StoreError`] turns into.
    fn send<T, E, F>(&self, f: F) -> Result<oneshot::Receiver<Result<T, E>>, E>
    where
        T: Send + 'static,
        E: From<StoreError> + Send + 'static,
        F: FnOnce(&mut Store) -> Result<T, E> + Send + 'static,
    {
        let (reply, answer) = oneshot::channel();
        self.jobs
            .send(Box::new(move |store: &mut Store| {
                // The asker may have gone (a closed connection): nothing to tell.
                let _ = reply.send(f(store));
            }))
            .map_err(|_| {
                StoreError::WriterStopped(
                    "the store's writer thread has stopped; restart the server",
                )
            })?;
        Ok(answer)
    }

    /// Runs `f` on the writer thread and waits for its answer (from a
    /// blocking thread: never call it on the async runtime's workers).
    pub fn call<T, E, F>(&self, f: F) -> Result<T, E>
    where
        T: Send + 'static,
        E: From<StoreError> + Send + 'static,
        F: FnOnce(&mut Store) -> Result<T, E> + Send + 'static,
    {
        self.send(f)?.blocking_recv().map_err(|_| {
            StoreError::WriterStopped("the store's writer thread stopped during a write")
        })?
    }

    /// Runs `f` on the writer thread and awaits its answer.
    pub async fn request<T, E, F>(&self, f: F) -> Result<T, E>
    where
        T: Send + 'static,
        E: From<StoreError> + Send + 'static,
        F: FnOnce(&mut Store) -> Result<T, E> + Send + 'static,
    {
        self.send(f)?.await.map_err(|_| {
            StoreError::WriterStopped("the store's writer thread stopped during a write")
        })?
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use arena_agents::protocol::TournamentState;

    #[test]
    fn writes_through_the_thread_are_seen_by_readers_and_runners() {
        let dir = tempfile::tempdir().expect("tempdir");
        let writer = Writer::start(dir.path()).expect("start");
        let id = writer
            .call(|s| s.tournament("t", "corewar", "1", 1, "cfg", TournamentState::Created))
            .expect("create");
        let runner = writer.store();
        assert_eq!(
            runner.tournament_state(id).expect("read"),
            Some(TournamentState::Created)
        );
        writer
            .call(move |s| s.set_tournament_state(id, TournamentState::Running))
            .expect("state");
        let reader = Store::open_read_only(dir.path())
            .expect("open")
            .expect("exists");
        assert_eq!(
            reader.tournament_state(id).expect("read"),
            Some(TournamentState::Running)
        );
    }

    #[test]
    fn opening_a_current_schema_writes_nothing() {
        let dir = tempfile::tempdir().expect("tempdir");
        drop(Store::open(dir.path()).expect("create"));
        // Another connection holds the write lock: an open that wrote
        // would wait out its busy timeout and fail.
        let path = dir.path().join(super::super::DB_FILE);
        let other = rusqlite::Connection::open(&path).expect("other");
        other
            .execute_batch("BEGIN IMMEDIATE")
            .expect("hold the write lock");
        let mut again = Store::open(dir.path()).expect("reopen beside a writer");
        // ...and a write from it now waits (and here fails) as it should.
        again
            .conn()
            .busy_timeout(std::time::Duration::ZERO)
            .expect("timeout");
        assert!(
            again
                .set_tournament_state(1, TournamentState::Running)
                .is_err()
        );
    }
}
