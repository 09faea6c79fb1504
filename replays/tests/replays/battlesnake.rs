//! A BattleSnake game recorded live and read back.

use arena_games::battlesnake::{BattleSnake, BattleSnakeSetup, Move, RulesetName};
use arena_games::engine::{Game, Match, MatchRng, Seat};
use arena_replays::store::LiveReplay;
use arena_replays::{Replay, ReplayHeader, ReplayPlayer, export_json, import_json};
use serde_json::Value;

use super::common::open_db;

#[test]
fn a_game_recorded_and_read_back() {
    let dir = tempfile::tempdir().expect("tempdir");
    let conn = open_db(&dir.path().join("arena.db"));
    let names = ["a", "b", "c", "d"];
    let setup = BattleSnakeSetup::new(RulesetName::Standard, 11, 11, &names);
    let players = names
        .iter()
        .enumerate()
        .map(|(s, n)| ReplayPlayer {
            seat: s as u8,
            name: n.to_string(),
            codebase_hash: String::new(),
        })
        .collect();
    let settings = serde_json::json!({"ruleset": "standard", "width": 11, "height": 11});
    let mut header = ReplayHeader::new(BattleSnake::NAME, "rules-1.2", 5, players, settings);

    let mut m = Match::<BattleSnake>::new(5, setup);
    let mut rng = MatchRng::new(77);
    let mut live = LiveReplay::begin(&conn, 1, &header, 8).expect("begin");
    let mut frames = vec![serde_json::to_value(BattleSnake::frame(m.world_mut())).expect("frame")];
    live.push(&conn, &frames[0]).expect("turn 0");
    while !m.is_over() {
        let actions = (0..names.len() as u8)
            .map(|s| (Seat(s), Move::ALL[rng.below(4) as usize]))
            .collect();
        let Some(frame) = m.step(actions) else { break };
        live.push_frame(&conn, &frame).expect("push");
        frames.push(serde_json::to_value(&frame).expect("frame"));
    }
    header.result = m.result().cloned();
    live.finish(&conn, &header).expect("finish");
    assert!(frames.len() > 2, "a game of several turns");

    let replay = Replay::open(&conn, 1).expect("open");
    assert_eq!(replay.frame_count(), frames.len() as u64);
    assert_eq!(replay.header(), &header);
    for (t, f) in frames.iter().enumerate().rev() {
        assert_eq!(&replay.frame(t as u64).expect("frame"), f, "turn {t}");
        assert_eq!(f["turn"], t as u64);
    }
    let last: Value = replay.frame(frames.len() as u64 - 1).expect("last");
    assert!(last["eliminated"].as_array().is_some_and(|e| e.len() >= 3));
    let mut out = Vec::new();
    export_json(&replay, &mut out).expect("export");
    assert_eq!(
        import_json(out.as_slice()).expect("import"),
        (header, frames)
    );
}
