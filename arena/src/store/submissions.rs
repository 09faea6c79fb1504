//! `submissions`, the `codebases` they name (deduplicated by hash,
//! zstd-compressed) and the `logs` each agent was shown before its edit.

use std::collections::BTreeMap;

use arena_agents::codebase::{File, Snapshot};
use rusqlite::{Connection, OptionalExtension, Transaction, params};

use super::{Result, Store, StoreError, StoreResult, Write};

/// A submission the validator refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvalidSubmission {
    pub round: u32,
    pub player_id: i64,
    pub reason: String,
}

/// A submission as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Submission {
    pub hash: String,
    pub valid: bool,
    pub reason: String,
}

/// A submission to store.
pub struct NewSubmission<'a> {
    pub round: u32,
    pub codebase: &'a Snapshot,
    pub valid: bool,
    /// The validator's reason, or the agent's note when valid.
    pub reason: &'a str,
    /// The logs the agent was shown before its edit.
    pub logs_shown: &'a str,
}

impl Store {
    /// Every refused submission, by round and player.
    pub fn invalid_submissions(&self, tournament: i64) -> StoreResult<Vec<InvalidSubmission>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT round, player_id, reason FROM submissions WHERE tournament_id = ?1 AND valid = 0 ORDER BY round, player_id",
        )?;
        let rows = stmt
            .query_map([tournament], |r| {
                Ok(InvalidSubmission {
                    round: r.get(0)?,
                    player_id: r.get(1)?,
                    reason: r.get(2)?,
                })
            })?
            .collect::<Result<_, _>>()?;
        Ok(rows)
    }

    /// The last round a player has a submission for, if any.
    pub fn last_submitted_round(&self, tournament: i64, player: i64) -> StoreResult<Option<u32>> {
        Ok(self.conn().query_row(
            "SELECT MAX(round) FROM submissions WHERE tournament_id = ?1 AND player_id = ?2",
            params![tournament, player],
            |r| r.get(0),
        )?)
    }

    /// The stored submission of a player for a round.
    pub fn submission(
        &self,
        tournament: i64,
        player: i64,
        round: u32,
    ) -> Result<Option<Submission>> {
        read_submission(&self.conn(), tournament, player, round)
    }

    /// Stores a submission and its codebase (once per hash), with the logs
    /// the agent was shown, in one transaction.
    pub fn put_submission(
        &mut self,
        tournament: i64,
        player: i64,
        sub: &NewSubmission,
    ) -> Result<()> {
        self.write(|w| w.put_submission(tournament, player, sub))
    }

    /// A stored codebase version.
    pub fn codebase(&self, hash: &str) -> Result<Snapshot> {
        let data: Vec<u8> = self
            .conn()
            .query_row(
                "SELECT data FROM codebases WHERE hash = ?1",
                params![hash],
                |r| r.get(0),
            )
            .optional()?
            .ok_or_else(|| StoreError::Missing(format!("codebase {hash}")))?;
        let snapshot = decode_snapshot(&data).map_err(|e| StoreError::Corrupt {
            what: format!("codebase {hash}"),
            detail: e.to_string(),
        })?;
        if snapshot.hash() != hash {
            return Err(StoreError::Corrupt {
                what: format!("codebase {hash}"),
                detail: format!("its content hashes to {}", snapshot.hash()),
            });
        }
        Ok(snapshot)
    }

    /// The last valid codebase a player played (or will play) up to `round`.
    pub fn latest_valid_codebase(&self, player: i64, round: u32) -> Result<Option<String>> {
        Ok(self
            .conn()
            .query_row(
                "SELECT hash FROM submissions WHERE player_id = ?1 AND round <= ?2 AND valid ORDER BY round DESC LIMIT 1",
                params![player, round],
                |r| r.get(0),
            )
            .optional()?)
    }
}

impl Write<'_> {
    /// The stored submission of a player for a round.
    pub fn submission(
        &self,
        tournament: i64,
        player: i64,
        round: u32,
    ) -> Result<Option<Submission>> {
        read_submission(self.tx, tournament, player, round)
    }

    /// Stores a submission and its codebase (once per hash), with the logs
    /// the agent was shown.
    pub fn put_submission(&self, tournament: i64, player: i64, sub: &NewSubmission) -> Result<()> {
        put_codebase(self.tx, sub.codebase)?;
        self.tx.execute(
            "INSERT OR REPLACE INTO submissions (tournament_id, player_id, round, hash, valid, reason) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![tournament, player, sub.round, sub.codebase.hash(), sub.valid, sub.reason],
        )?;
        self.tx.execute(
            "INSERT OR REPLACE INTO logs (tournament_id, round, player_id, text) VALUES (?1, ?2, ?3, ?4)",
            params![tournament, sub.round, player, sub.logs_shown],
        )?;
        Ok(())
    }
}

fn read_submission(
    conn: &Connection,
    tournament: i64,
    player: i64,
    round: u32,
) -> Result<Option<Submission>> {
    Ok(conn
        .query_row(
            "SELECT hash, valid, reason FROM submissions WHERE tournament_id = ?1 AND player_id = ?2 AND round = ?3",
            params![tournament, player, round],
            |r| {
                Ok(Submission {
                    hash: r.get(0)?,
                    valid: r.get::<_, i64>(1)? != 0,
                    reason: r.get(2)?,
                })
            },
        )
        .optional()?)
}

fn put_codebase(tx: &Transaction, s: &Snapshot) -> Result<()> {
    let data = encode_snapshot(s)?;
    tx.execute(
        "INSERT OR IGNORE INTO codebases (hash, files, bytes, data) VALUES (?1, ?2, ?3, ?4)",
        params![
            s.hash(),
            s.files().len() as i64,
            s.total_bytes() as i64,
            data
        ],
    )?;
    Ok(())
}

/// Every file as `path length, path, executable flag, content length,
/// content`, in path order, zstd-compressed: the same codebase always
/// gives the same bytes.
/// A codebase as the store (and a worker's cache) keeps it: every file,
/// zstd-compressed.
pub fn encode_snapshot(s: &Snapshot) -> Result<Vec<u8>> {
    let mut raw = Vec::with_capacity(s.total_bytes() as usize + 64 * s.files().len());
    for (path, file) in s.files() {
        raw.extend_from_slice(&(path.len() as u32).to_le_bytes());
        raw.extend_from_slice(path.as_bytes());
        raw.push(u8::from(file.executable));
        raw.extend_from_slice(&(file.bytes.len() as u64).to_le_bytes());
        raw.extend_from_slice(&file.bytes);
    }
    zstd::encode_all(raw.as_slice(), 3).map_err(StoreError::Compress)
}

/// A codebase from [`encode_snapshot`]'s bytes (check its hash).
pub fn decode_snapshot(data: &[u8]) -> Result<Snapshot> {
    let corrupt = |detail: String| StoreError::Corrupt {
        what: "a codebase's bytes".into(),
        detail,
    };
    let raw = zstd::decode_all(data).map_err(|e| corrupt(e.to_string()))?;
    let mut files = BTreeMap::new();
    let mut at = 0usize;
    let take = |at: &mut usize, n: usize| -> Result<&[u8]> {
        let end = at
            .checked_add(n)
            .filter(|&e| e <= raw.len())
            .ok_or_else(|| corrupt("truncated".into()))?;
        let s = &raw[*at..end];
        *at = end;
        Ok(s)
    };
    fn array<const N: usize>(bytes: &[u8]) -> [u8; N] {
        let mut out = [0u8; N];
        out.copy_from_slice(bytes);
        out
    }
    while at < raw.len() {
        let n = u32::from_le_bytes(array(take(&mut at, 4)?)) as usize;
        let path = String::from_utf8(take(&mut at, n)?.to_vec())
            .map_err(|_| corrupt("a path that is not UTF-8".into()))?;
        let executable = take(&mut at, 1)?[0] != 0;
        let len = usize::try_from(u64::from_le_bytes(array(take(&mut at, 8)?)))
            .map_err(|_| corrupt("a file longer than memory".into()))?;
        let bytes = take(&mut at, len)?.to_vec();
        files.insert(path, File { bytes, executable });
    }
    Ok(Snapshot::from_files(files))
}

#[cfg(test)]
mod tests {
    use super::*;
    use arena_agents::builtin::AgentKind;
    use arena_agents::protocol::TournamentState;

    #[test]
    fn codebases_round_trip_and_are_deduplicated() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut store = Store::open(dir.path()).expect("open");
        let files = BTreeMap::from([(
            "warrior.red".to_string(),
            File {
                bytes: b"imp mov.i 0, 1\n".to_vec(),
                executable: false,
            },
        )]);
        let snap = Snapshot::from_files(files);
        let t = store
            .tournament("t", "corewar", "1", 1, "cfg", TournamentState::Running)
            .expect("tournament");
        let ids = store
            .players(
                t,
                &[
                    ("a".into(), AgentKind::Static),
                    ("b".into(), AgentKind::Static),
                ],
            )
            .expect("players");
        for &p in &ids {
            let sub = NewSubmission {
                round: 0,
                codebase: &snap,
                valid: true,
                reason: "",
                logs_shown: "",
            };
            store.put_submission(t, p, &sub).expect("submission");
        }
        let n: i64 = store
            .conn()
            .query_row("SELECT COUNT(*) FROM codebases", [], |r| r.get(0))
            .expect("count");
        assert_eq!(n, 1);
        assert_eq!(store.codebase(snap.hash()).expect("read back"), snap);
        // Reopening keeps everything and runs no migration twice.
        drop(store);
        let store = Store::open(dir.path()).expect("reopen");
        assert_eq!(
            store
                .submission(t, ids[0], 0)
                .expect("query")
                .map(|s| s.valid),
            Some(true)
        );
    }
}
