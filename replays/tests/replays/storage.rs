//! Writing, reading, seeking, exporting and corrupting replays.

use arena_replays::store::{self, LiveReplay};
use arena_replays::{Replay, ReplayError, export_json, import_json, import_json_into, write};
use rusqlite::Connection;
use serde_json::{Value, json};

use super::common::{Lcg, frames, header, open_db};

const K: usize = 64;

/// A chunk row: chunk, first_frame, frames, data.
type ChunkRow = (i64, i64, i64, Vec<u8>);

/// A replay's stored header and chunk rows, byte for byte.
fn stored(conn: &Connection, match_id: i64) -> (String, Vec<ChunkRow>) {
    let header: String = conn
        .query_row(
            "SELECT header FROM replays WHERE match_id = ?1",
            [match_id],
            |r| r.get(0),
        )
        .expect("header row");
    let mut stmt = conn
        .prepare("SELECT chunk, first_frame, frames, data FROM replay_chunks WHERE match_id = ?1 ORDER BY chunk")
        .expect("prepare");
    let chunks = stmt
        .query_map([match_id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })
        .expect("query")
        .collect::<Result<Vec<_>, _>>()
        .expect("rows");
    (header, chunks)
}

#[test]
fn round_trip_in_one_transaction() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut conn = open_db(&dir.path().join("arena.db"));
    let mut h = header("dice");
    h.result = Some(arena_games::engine::MatchResult {
        turns: 300,
        players: Vec::new(),
    });
    let original = frames(300, 1);
    let tx = conn.transaction().expect("begin");
    write(&tx, 7, &h, &original, K).expect("write");
    tx.commit().expect("commit");

    let replay = Replay::open(&conn, 7).expect("open");
    assert_eq!(replay.header(), &h);
    assert_eq!(replay.frame_count(), 300);
    assert_eq!(replay.chunk_count(), 5);
    assert!(replay.is_finished());
    let all: Vec<Value> = replay.frames(..).collect::<Result<_, _>>().expect("frames");
    assert_eq!(all, original);
    let middle: Vec<Value> = replay
        .frames(60..=70)
        .collect::<Result<_, _>>()
        .expect("frames");
    assert_eq!(middle, original[60..=70]);
    assert_eq!(
        replay.frames(290..1000).count(),
        10,
        "clamped to the stored frames"
    );
}

#[test]
fn a_rolled_back_transaction_stores_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut conn = open_db(&dir.path().join("arena.db"));
    let tx = conn.transaction().expect("begin");
    write(&tx, 1, &header("dice"), &frames(100, 1), K).expect("write");
    tx.rollback().expect("rollback");
    assert!(matches!(
        Replay::open(&conn, 1),
        Err(ReplayError::NotFound(1))
    ));
    let err = Replay::open(&conn, 1).expect_err("none");
    assert_eq!(err.to_string(), "no replay for match 1");
    write(&conn, 1, &header("dice"), &frames(3, 1), K).expect("write");
    assert!(
        write(&conn, 1, &header("dice"), &frames(3, 1), K).is_err(),
        "one replay per match"
    );
}

#[test]
fn seek_to_random_turns() {
    let dir = tempfile::tempdir().expect("tempdir");
    let conn = open_db(&dir.path().join("arena.db"));
    let original = frames(1000, 2);
    write(&conn, 3, &header("dice"), &original, 50).expect("write");
    let replay = Replay::open(&conn, 3).expect("open");
    let mut rng = Lcg(9);
    for _ in 0..500 {
        let t = rng.below(1000);
        assert_eq!(
            replay.frame(t).expect("frame"),
            original[t as usize],
            "turn {t}"
        );
    }
    let err = replay.frame(1000).expect_err("past the end");
    assert!(matches!(
        err,
        ReplayError::TurnOutOfRange {
            turn: 1000,
            frames: 1000,
            ..
        }
    ));
}

#[test]
fn chunk_boundaries() {
    let dir = tempfile::tempdir().expect("tempdir");
    let conn = open_db(&dir.path().join("arena.db"));
    for (id, n) in [
        (1i64, 3 * K as u64 + 5),
        (2, 2 * K as u64),
        (3, 1),
        (4, K as u64 - 1),
        (5, K as u64 + 1),
    ] {
        let original = frames(n, id as u64);
        write(&conn, id, &header("dice"), &original, K).expect("write");
        let replay = Replay::open(&conn, id).expect("open");
        assert_eq!(replay.chunk_count(), n.div_ceil(K as u64));
        let k = K as u64;
        for t in [0, k - 1, k, k + 1, n - 1] {
            if t < n {
                assert_eq!(
                    replay.frame(t).expect("frame"),
                    original[t as usize],
                    "n={n} t={t}"
                );
            }
        }
        // Backwards, so every read is a chunk change.
        for t in (0..n).rev() {
            assert_eq!(replay.frame(t).expect("frame"), original[t as usize]);
        }
    }
    let rows: i64 = conn
        .query_row(
            "SELECT frames FROM replay_chunks WHERE match_id = 1 AND chunk = 3",
            [],
            |r| r.get(0),
        )
        .expect("last chunk");
    assert_eq!(rows, 5);
}

#[test]
fn empty_replay() {
    let dir = tempfile::tempdir().expect("tempdir");
    let conn = open_db(&dir.path().join("arena.db"));
    write(&conn, 1, &header("dice"), &[], K).expect("write");
    let replay = Replay::open(&conn, 1).expect("open");
    assert_eq!(replay.frame_count(), 0);
    assert_eq!(replay.chunk_count(), 0);
    assert!(replay.is_finished());
    assert!(replay.frames(..).next().is_none());
    assert!(replay.frame(0).is_err());
    let mut out = Vec::new();
    export_json(&replay, &mut out).expect("export");
    let (h, f) = import_json(out.as_slice()).expect("import");
    assert_eq!((h, f), (header("dice"), Vec::new()));
}

/// A stored result this build cannot read (written by another version,
/// or edited) leaves the replay readable, without its result.
#[test]
fn an_unreadable_stored_result_reads_as_none_and_keeps_the_frames() {
    let dir = tempfile::tempdir().expect("tempdir");
    let conn = open_db(&dir.path().join("arena.db"));
    let original = frames(20, 5);
    write(&conn, 3, &header("dice"), &original, K).expect("write");
    let stored: String = conn
        .query_row("SELECT header FROM replays WHERE match_id = 3", [], |r| {
            r.get(0)
        })
        .expect("header");
    let mut edited: Value = serde_json::from_str(&stored).expect("header JSON");
    edited["result"] = json!({"winner": 1});
    conn.execute(
        "UPDATE replays SET header = ?1 WHERE match_id = 3",
        [edited.to_string()],
    )
    .expect("edit");
    let replay = Replay::open(&conn, 3).expect("still opens");
    assert_eq!(replay.header().result, None);
    let all: Vec<Value> = replay.frames(..).collect::<Result<_, _>>().expect("frames");
    assert_eq!(all, original);
}

#[test]
fn export_import_round_trip() {
    let dir = tempfile::tempdir().expect("tempdir");
    let conn = open_db(&dir.path().join("arena.db"));
    let mut h = header("dice");
    h.result = Some(arena_games::engine::MatchResult {
        turns: 200,
        players: Vec::new(),
    });
    let original = frames(200, 3);
    write(&conn, 1, &h, &original, 16).expect("write");
    let mut out = Vec::new();
    export_json(&Replay::open(&conn, 1).expect("open"), &mut out).expect("export");
    let doc: Value = serde_json::from_slice(&out).expect("one JSON document");
    assert_eq!(doc["frames"].as_array().map(Vec::len), Some(200));
    assert_eq!(doc["header"]["players"][1]["name"], "bob");
    let (h2, f2) = import_json(out.as_slice()).expect("import");
    assert_eq!((&h2, &f2), (&h, &original));
    // Imported into another match with the same chunking: the same bytes.
    import_json_into(&conn, 2, out.as_slice(), 16).expect("import into");
    assert_eq!(stored(&conn, 1), stored(&conn, 2));
    for bad in [
        &b"{}"[..],
        b"[]",
        b"{\"header\": 1, \"frames\": []}",
        b"not json",
    ] {
        assert!(matches!(import_json(bad), Err(ReplayError::BadExport(_))));
    }
}

#[test]
fn same_input_same_bytes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let original = frames(500, 4);
    let mut dbs = Vec::new();
    for name in ["a.db", "b.db"] {
        let path = dir.path().join(name);
        let conn = open_db(&path);
        // Keys in another order must not change the bytes.
        let mut h = header("dice");
        h.settings = serde_json::from_str(
            r#"{"notes": "déjà vu \n \"quoted\"", "height": 11, "width": 11}"#,
        )
        .expect("settings");
        if name == "a.db" {
            h = header("dice");
        }
        write(&conn, 9, &h, &original, K).expect("write");
        dbs.push(stored(&conn, 9));
        conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)")
            .expect("checkpoint");
        drop(conn);
    }
    assert_eq!(dbs[0], dbs[1]);
    let a = std::fs::read(dir.path().join("a.db")).expect("a");
    let b = std::fs::read(dir.path().join("b.db")).expect("b");
    assert!(a == b, "the database files differ");
}

#[test]
fn corruption_is_an_error_not_a_panic() {
    let dir = tempfile::tempdir().expect("tempdir");
    let conn = open_db(&dir.path().join("arena.db"));
    let original = frames(200, 5);
    write(&conn, 4, &header("dice"), &original, K).expect("write");

    conn.execute(
        "UPDATE replay_chunks SET data = x'28b52ffd0011223344' WHERE match_id = 4 AND chunk = 1",
        [],
    )
    .expect("corrupt");
    let replay = Replay::open(&conn, 4).expect("open");
    assert_eq!(replay.frame(10).expect("chunk 0 is fine"), original[10]);
    let err = replay.frame(K as u64).expect_err("chunk 1 is corrupt");
    assert!(
        matches!(
            err,
            ReplayError::CorruptChunk {
                match_id: 4,
                chunk: 1,
                ..
            }
        ),
        "{err}"
    );
    assert!(
        err.to_string().starts_with("corrupt chunk 1 of match 4: "),
        "{err}"
    );
    let results: Vec<_> = replay.frames(..).collect();
    assert_eq!(results.len(), K + 1, "iteration stops at the error");
    assert!(results[K].is_err());

    // Valid zstd, wrong contents.
    let garbage = zstd::bulk::compress(b"{\"a\":1}\n", 3).expect("zstd");
    conn.execute(
        "UPDATE replay_chunks SET data = ?1 WHERE match_id = 4 AND chunk = 2",
        [garbage],
    )
    .expect("corrupt");
    let err = replay.frame(2 * K as u64).expect_err("one frame, not 64");
    assert!(
        err.to_string().contains("holds 1 frames, expected 64"),
        "{err}"
    );

    conn.execute(
        "UPDATE replay_chunks SET frames = 3 WHERE match_id = 4 AND chunk = 0",
        [],
    )
    .expect("corrupt");
    let fresh = Replay::open(&conn, 4).expect("open");
    assert!(matches!(
        fresh.frame(0),
        Err(ReplayError::CorruptChunk { chunk: 0, .. })
    ));

    conn.execute(
        "DELETE FROM replay_chunks WHERE match_id = 4 AND chunk = 3",
        [],
    )
    .expect("delete");
    let err = fresh.frame(199).expect_err("missing");
    assert_eq!(
        err.to_string(),
        "missing chunk 3 of match 4 (it should hold frames 192..200)"
    );

    conn.execute(
        "UPDATE replays SET header = '{\"game\": 3}' WHERE match_id = 4",
        [],
    )
    .expect("corrupt");
    let err = Replay::open(&conn, 4).expect_err("bad header");
    assert!(
        matches!(err, ReplayError::CorruptHeader { match_id: 4, .. }),
        "{err}"
    );
}

#[test]
fn live_replay_grows_chunk_by_chunk() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("arena.db");
    let conn = open_db(&path);
    let reader_conn = Connection::open(&path).expect("second connection");
    let original = frames(150, 6);
    let mut live = LiveReplay::begin(&conn, 1, &header("dice"), K).expect("begin");
    let mut replay = Replay::open(&reader_conn, 1).expect("open while live");
    assert_eq!(replay.frame_count(), 0);
    for (t, f) in original.iter().enumerate() {
        live.push(&conn, f).expect("push");
        replay.refresh().expect("refresh");
        assert_eq!(replay.frame_count(), (t as u64 + 1) / K as u64 * K as u64);
        assert!(!replay.is_finished());
    }
    let mut h = header("dice");
    let done = arena_games::engine::MatchResult {
        turns: 40,
        players: Vec::new(),
    };
    h.result = Some(done.clone());
    live.finish(&conn, &h).expect("finish");
    replay.refresh().expect("refresh");
    assert!(replay.is_finished());
    assert_eq!(replay.header().result, Some(done));
    assert_eq!(replay.frame(149).expect("last"), original[149]);
    // The same bytes as writing the finished game at once.
    write(&conn, 2, &h, &original, K).expect("write");
    assert_eq!(stored(&conn, 1), stored(&conn, 2));
    assert!(store::delete(&conn, 1).expect("delete"));
}
