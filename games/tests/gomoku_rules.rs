//! Gomoku as CodeClash-ai/Gomoku's `engine.py` plays it: exactly five wins
//! (in any of the four directions, at the edges too), an overline does not,
//! invalid moves and failed answers lose, a full board draws; colours come
//! from the seed; frames are deterministic and serialisable.

use arena_games::engine::{EndReason, Match, MatchResult, MatchRng, Seat};
use arena_games::gomoku::{
    Board, Ending, ForfeitReason, Gomoku, GomokuAction, GomokuFrame, GomokuMessage, GomokuRequest,
    GomokuSetup, Stone, parse_answer,
};
use serde_json::json;

type Cell = (i64, i64);

/// A 15x15 match where `black` plays black.
fn game(black: u8) -> Match<Gomoku> {
    let mut setup = GomokuSetup::new("first", "second");
    setup.black = Some(Seat(black));
    Match::new(1, setup)
}

fn place((row, col): Cell) -> GomokuAction {
    GomokuAction::Place { row, col }
}

/// The mover plays `action`; returns the frame.
fn act(m: &mut Match<Gomoku>, action: GomokuAction) -> GomokuFrame {
    let seat = Gomoku::to_move(m.world()).expect("the game is not over");
    m.step(vec![(seat, action)]).expect("the game was not over")
}

/// Plays the cells in turn (black, white, black, ...); returns every frame.
fn play(m: &mut Match<Gomoku>, cells: &[Cell]) -> Vec<GomokuFrame> {
    cells.iter().map(|&c| act(m, place(c))).collect()
}

/// Black's and White's cells interleaved, Black first.
fn alternate(black: &[Cell], white: &[Cell]) -> Vec<Cell> {
    let mut v = Vec::new();
    for i in 0..black.len().max(white.len()) {
        v.extend(black.get(i));
        v.extend(white.get(i));
    }
    v
}

fn result(m: &Match<Gomoku>) -> MatchResult {
    m.result().cloned().expect("the match is over")
}

/// Seat `winner` won 1-0 with `Won`; the other lost with `loser_reason`.
fn assert_won(m: &Match<Gomoku>, winner: u8, loser_reason: EndReason) {
    let r = result(m);
    let w = &r.players[usize::from(winner)];
    let l = &r.players[usize::from(1 - winner)];
    assert_eq!((w.placement, w.score, w.reason), (1, 1.0, EndReason::Won));
    assert_eq!((l.placement, l.score, l.reason), (2, 0.0, loser_reason));
}

fn sorted_line(frame: &GomokuFrame) -> Vec<[usize; 2]> {
    let mut line = frame.line.expect("a winning line").to_vec();
    line.sort();
    line
}

/// White's filler stones: scattered, never four in a line, far from row 7.
const FILLER: [Cell; 5] = [(0, 0), (0, 2), (2, 0), (2, 2), (0, 4)];

#[test]
fn five_in_each_direction_wins() {
    let lines: [(&str, [Cell; 5]); 4] = [
        ("horizontal", [(7, 5), (7, 6), (7, 7), (7, 8), (7, 9)]),
        ("vertical", [(5, 7), (6, 7), (7, 7), (8, 7), (9, 7)]),
        ("diagonal", [(5, 5), (6, 6), (7, 7), (8, 8), (9, 9)]),
        ("anti-diagonal", [(5, 9), (6, 8), (7, 7), (8, 6), (9, 5)]),
    ];
    for (name, line) in lines {
        // The middle stone last, so the five closes from both sides.
        let order = [line[0], line[4], line[1], line[3], line[2]];
        let mut m = game(0);
        let frames = play(&mut m, &alternate(&order, &FILLER[..4]));
        assert!(m.is_over(), "{name}");
        assert_eq!(m.turns(), 9, "{name}");
        assert_won(&m, 0, EndReason::Outscored);
        let last = frames.last().expect("frames");
        let want: Vec<[usize; 2]> = line
            .iter()
            .map(|&(r, c)| [r as usize, c as usize])
            .collect();
        assert_eq!(sorted_line(last), want, "{name}");
        assert_eq!(last.next, None);
        // No frame before the last shows a line.
        assert!(frames[..8].iter().all(|f| f.line.is_none()), "{name}");
    }
}

#[test]
fn five_at_edges_and_corners_wins() {
    let lines: [[Cell; 5]; 6] = [
        [(0, 10), (0, 11), (0, 12), (0, 13), (0, 14)],
        [(14, 0), (14, 1), (14, 2), (14, 3), (14, 4)],
        [(10, 14), (11, 14), (12, 14), (13, 14), (14, 14)],
        [(10, 10), (11, 11), (12, 12), (13, 13), (14, 14)],
        [(0, 14), (1, 13), (2, 12), (3, 11), (4, 10)],
        [(10, 4), (11, 3), (12, 2), (13, 1), (14, 0)],
    ];
    let filler: [Cell; 4] = [(7, 5), (7, 7), (5, 7), (9, 9)];
    for line in lines {
        let mut m = game(1);
        let frames = play(&mut m, &alternate(&line, &filler));
        assert_won(&m, 1, EndReason::Outscored);
        let want: Vec<[usize; 2]> = line
            .iter()
            .map(|&(r, c)| [r as usize, c as usize])
            .collect();
        assert_eq!(sorted_line(frames.last().expect("frames")), want);
    }
}

#[test]
fn white_can_win() {
    let white = [(3, 3), (3, 4), (3, 5), (3, 6), (3, 7)];
    let black = [(7, 7), (9, 1), (11, 11), (13, 5), (1, 13), (12, 0)];
    let mut m = game(0);
    play(&mut m, &alternate(&black, &white)[..10]);
    assert_won(&m, 1, EndReason::Outscored);
    assert!(matches!(
        Gomoku::ending(m.world()),
        Some(Ending::Five { seat: Seat(1), .. })
    ));
}

#[test]
fn overline_does_not_win_and_the_game_goes_on() {
    // Black: 7,0-2 and 7,4-5, then 7,3 makes six in a row.
    let black = [(7, 0), (7, 1), (7, 2), (7, 4), (7, 5), (7, 3)];
    let white = [(0, 0), (0, 2), (2, 0), (2, 2), (0, 4), (2, 4)];
    let mut m = game(0);
    let frames = play(&mut m, &alternate(&black, &white)[..11]);
    assert!(!m.is_over(), "six in a row is no win");
    assert_eq!(frames.last().and_then(|f| f.line), None);
    assert_eq!(Gomoku::to_move(m.world()), Some(Seat(1)));
    // A seventh stone is no win either; White then plays on.
    play(&mut m, &[(2, 4), (7, 6)]);
    assert!(!m.is_over(), "seven in a row is no win");
    play(&mut m, &[(2, 6)]);
    assert!(!m.is_over());
}

#[test]
fn overline_in_one_direction_and_five_in_another_wins() {
    // (7,3) closes six on row 7 and five on column 3 at once: engine.py
    // checks each direction and wins on any count of exactly five.
    let black = [
        (7, 0),
        (7, 1),
        (7, 2),
        (7, 4),
        (7, 5),
        (3, 3),
        (4, 3),
        (5, 3),
        (6, 3),
        (7, 3),
    ];
    let white = [
        (0, 0),
        (0, 2),
        (2, 0),
        (2, 2),
        (0, 4),
        (2, 4),
        (0, 6),
        (2, 6),
        (0, 8),
    ];
    let mut m = game(1);
    let frames = play(&mut m, &alternate(&black, &white));
    assert_won(&m, 1, EndReason::Outscored);
    assert_eq!(
        sorted_line(frames.last().expect("frames")),
        vec![[3, 3], [4, 3], [5, 3], [6, 3], [7, 3]]
    );
}

/// A full board with no run longer than two in any direction: black on the
/// 113 cells where `(col / 2 + row)` is even, white on the other 112.
fn drawn_fill() -> Vec<Cell> {
    let mut black = Vec::new();
    let mut white = Vec::new();
    for row in 0..15 {
        for col in 0..15 {
            if (col / 2 + row) % 2 == 0 {
                black.push((row, col));
            } else {
                white.push((row, col));
            }
        }
    }
    assert_eq!((black.len(), white.len()), (113, 112));
    alternate(&black, &white)
}

#[test]
fn full_board_draws() {
    let mut m = game(1);
    let frames = play(&mut m, &drawn_fill());
    assert_eq!(frames.len(), 225);
    assert!(frames[..224].iter().all(|f| f.next.is_some()));
    assert!(m.is_over());
    let r = result(&m);
    assert_eq!(r.turns, 225);
    for p in &r.players {
        assert_eq!((p.placement, p.score, p.reason), (1, 0.5, EndReason::Drew));
    }
    let last = frames.last().expect("frames");
    assert!(last.draw && last.line.is_none() && last.next.is_none());
    assert!(!last.board.contains('.'));
    assert_eq!(json!(last)["draw"], json!(true));
}

#[test]
fn last_stone_on_a_full_board_may_still_win() {
    // A 5x5 board whose 25th stone (black's) completes row 0: engine.py
    // checks the five before the loop stops on a full board.
    //   B B B B B   <- (0, 2) last
    //   W B W B W
    //   W B W B W
    //   B W B W B
    //   W W B W W
    let rows = ["BBBBB", "WBWBW", "WBWBW", "BWBWB", "WWBWW"];
    let mut black = Vec::new();
    let mut white = Vec::new();
    for (r, row) in rows.iter().enumerate().rev() {
        for (c, letter) in row.chars().enumerate() {
            let cell = (r as i64, c as i64);
            if cell == (0, 2) {
                continue;
            }
            match letter {
                'B' => black.push(cell),
                _ => white.push(cell),
            }
        }
    }
    black.push((0, 2));
    let mut setup = GomokuSetup::new("first", "second");
    setup.board_size = 5;
    setup.black = Some(Seat(0));
    let mut m = Match::<Gomoku>::new(3, setup);
    let frames = play(&mut m, &alternate(&black, &white));
    assert_eq!(frames.len(), 25);
    assert_won(&m, 0, EndReason::Outscored);
    let last = frames.last().expect("frames");
    assert!(!last.draw);
    assert_eq!(last.board, rows.concat());
}

/// Plays two good stones, then `action` by Black (seat 1): Black loses.
fn black_fails(action: GomokuAction) -> (Match<Gomoku>, GomokuFrame) {
    let mut m = game(1);
    play(&mut m, &[(7, 7), (7, 8)]);
    let frame = act(&mut m, action);
    assert!(m.is_over());
    (m, frame)
}

#[test]
fn invalid_moves_and_failed_answers_lose_for_the_mover() {
    let cases: Vec<(GomokuAction, ForfeitReason, EndReason)> = vec![
        (
            place((7, 8)),
            ForfeitReason::Occupied { row: 7, col: 8 },
            EndReason::Invalid,
        ),
        (
            place((7, 7)),
            ForfeitReason::Occupied { row: 7, col: 7 },
            EndReason::Invalid,
        ),
        (
            place((15, 0)),
            ForfeitReason::OffBoard { row: 15, col: 0 },
            EndReason::Invalid,
        ),
        (
            place((-1, 3)),
            ForfeitReason::OffBoard { row: -1, col: 3 },
            EndReason::Invalid,
        ),
        (
            place((3, i64::MAX)),
            ForfeitReason::OffBoard {
                row: 3,
                col: i64::MAX,
            },
            EndReason::Invalid,
        ),
        (
            parse_answer(&json!("(7, 7)")),
            ForfeitReason::Malformed {
                message: "answer is not a JSON object: \"(7, 7)\"".into(),
            },
            EndReason::Invalid,
        ),
        (
            parse_answer(&json!({"error": {"kind": "exception", "message": "ValueError: no"}})),
            ForfeitReason::Exception {
                message: "ValueError: no".into(),
            },
            EndReason::Invalid,
        ),
        (
            parse_answer(&json!({"error": {"kind": "import", "message": "SyntaxError"}})),
            ForfeitReason::LoadFailed {
                message: "SyntaxError".into(),
            },
            EndReason::Invalid,
        ),
        (
            GomokuAction::Forfeit(ForfeitReason::Timeout),
            ForfeitReason::Timeout,
            EndReason::Timeout,
        ),
        (
            parse_answer(&json!({"error": {"kind": "crash", "message": "killed by signal 9"}})),
            ForfeitReason::Crashed {
                message: "killed by signal 9".into(),
            },
            EndReason::Crashed,
        ),
    ];
    for (action, reason, end) in cases {
        let (m, frame) = black_fails(action);
        assert_won(&m, 0, end);
        assert_eq!(m.turns(), 3);
        let forfeit = frame.forfeit.expect("the final frame names the forfeit");
        assert_eq!((forfeit.seat, forfeit.reason), (1, reason));
        assert_eq!(frame.next, None);
        // The refused stone is not on the board.
        assert_eq!(frame.board.matches(['B', 'W']).count(), 2);
    }
}

#[test]
fn a_turn_without_the_movers_action_is_a_timeout() {
    let mut m = game(0);
    // Only the seat not to move answers: ignored, and the mover timed out.
    m.step(vec![(Seat(1), place((7, 7)))]);
    assert_won(&m, 1, EndReason::Timeout);
}

#[test]
fn the_other_seats_action_is_ignored() {
    let mut m = game(0);
    let frame = m
        .step(vec![(Seat(1), place((0, 0))), (Seat(0), place((7, 7)))])
        .expect("frame");
    assert_eq!(frame.board.find('B'), Some(7 * 15 + 7));
    assert_eq!(frame.board.matches('W').count(), 0);
    assert_eq!(frame.next, Some(1));
}

#[test]
fn black_moves_first_and_is_asked_with_engine_py_arguments() {
    for black in [0, 1] {
        let mut m = game(black);
        let world = m.world_mut();
        assert_eq!(Gomoku::to_move(world), Some(Seat(black)));
        assert_eq!(Gomoku::request(world, Seat(1 - black)), None);
        let request = Gomoku::request(world, Seat(black)).expect("black's turn");
        assert_eq!(request.color, Stone::Black);
        assert_eq!(request.board, vec![vec![0u8; 15]; 15]);
        act(&mut m, place((2, 3)));
        let world = m.world_mut();
        assert_eq!(Gomoku::to_move(world), Some(Seat(1 - black)));
        let request = Gomoku::request(world, Seat(1 - black)).expect("white's turn");
        assert_eq!(request.color, Stone::White);
        // board[row][col], black = 1.
        assert_eq!(request.board[2][3], 1);
        act(&mut m, place((3, 2)));
        let request = Gomoku::request(m.world(), Seat(black)).expect("black again");
        assert_eq!(request.board[3][2], 2);
    }
}

#[test]
fn request_json_is_get_moves_arguments() {
    let mut m = game(0);
    play(&mut m, &[(0, 1)]);
    let request = Gomoku::request(m.world(), Seat(1)).expect("white's turn");
    let value = json!(GomokuMessage::Move(request.clone()));
    assert_eq!(value["type"], "move");
    assert_eq!(value["color"], "white");
    assert_eq!(value["board"][0][1], 1);
    assert_eq!(value["board"].as_array().map(Vec::len), Some(15));
    let back: GomokuRequest = serde_json::from_value(value).expect("round trip");
    assert_eq!(back, request);
    let start = GomokuMessage::Start {
        color: Stone::Black,
        board_size: 15,
    };
    assert_eq!(
        json!(start),
        json!({"type": "start", "color": "black", "board_size": 15})
    );
    assert_eq!(json!(GomokuMessage::End), json!({"type": "end"}));
}

#[test]
fn colours_are_a_pure_function_of_the_seed() {
    let mut blacks = [0; 2];
    for seed in 0..200u64 {
        let black = |seed| {
            let mut m = Match::<Gomoku>::new(seed, GomokuSetup::new("a", "b"));
            let world = m.world_mut();
            let seat = Gomoku::seat_of(world, Stone::Black).expect("a black seat");
            assert_eq!(Gomoku::to_move(world), Some(seat));
            assert_eq!(Gomoku::colour(world, Seat(1 - seat.0)), Some(Stone::White));
            seat
        };
        let seat = black(seed);
        assert_eq!(seat, black(seed));
        assert_eq!(u64::from(seat.0), MatchRng::new(seed).below(2));
        blacks[usize::from(seat.0)] += 1;
    }
    // Both assignments occur, neither overwhelmingly (200 fair coin flips
    // land within 100 +- 40 with probability 1 - 1e-8).
    assert!(blacks.iter().all(|&n| n > 60), "{blacks:?}");
}

#[test]
fn frames_serialise_small_and_the_last_shows_the_line() {
    let mut m = game(0);
    let frames = play(
        &mut m,
        &alternate(
            &[(1, 1), (2, 2), (3, 3), (4, 4), (5, 5)],
            &[(0, 5), (0, 7), (0, 9), (0, 11)],
        ),
    );
    let first = json!(frames[0]);
    assert_eq!(
        first,
        json!({
            "size": 15,
            "board": format!("{}B{}", ".".repeat(16), ".".repeat(208)),
            "last": {"seat": 0, "stone": "black", "row": 1, "col": 1},
            "next": 1,
        })
    );
    let last = json!(frames.last().expect("frames"));
    assert_eq!(
        last["line"],
        json!([[1, 1], [2, 2], [3, 3], [4, 4], [5, 5]])
    );
    assert_eq!(
        last["last"],
        json!({"seat": 0, "stone": "black", "row": 5, "col": 5})
    );
    assert!(last.get("next").is_none());
    // The 225-letter board plus a few small fields.
    assert!(serde_json::to_string(&frames[4]).expect("json").len() < 225 + 100);
    assert!(serde_json::to_string(&last).expect("json").len() < 225 + 150);
}

#[test]
fn same_seed_same_moves_same_frames() {
    let run = |seed: u64| {
        let mut m = Match::<Gomoku>::new(seed, GomokuSetup::new("a", "b"));
        let mut policy = MatchRng::new(seed ^ 0x5eed);
        let mut frames = Vec::new();
        while let Some(seat) = Gomoku::to_move(m.world()) {
            let cell = random_move(Gomoku::board(m.world()), &mut policy);
            frames.push(m.step(vec![(seat, place(cell))]).expect("frame"));
        }
        (frames, result(&m))
    };
    for seed in [0, 1, 42] {
        let (frames, r) = run(seed);
        assert_eq!(run(seed), (frames.clone(), r));
        assert_eq!(
            serde_json::to_string(&frames).expect("json"),
            serde_json::to_string(&run(seed).0).expect("json")
        );
    }
    assert_ne!(run(1).0, run(2).0);
}

#[test]
fn parse_answer_reads_moves_and_errors() {
    let cases = [
        (json!({"move": [3, 4]}), place((3, 4))),
        (json!({"move": [3.0, 4]}), place((3, 4))),
        (json!({"move": [-1, 4]}), place((-1, 4))),
        (json!({"move": [u64::MAX, 4]}), place((i64::MAX, 4))),
        (json!({"move": [1e30, 4]}), place((i64::MAX, 4))),
        (json!({"move": [3, 4], "note": "hi"}), place((3, 4))),
    ];
    for (answer, action) in cases {
        assert_eq!(parse_answer(&answer), action, "{answer}");
    }
    let forfeit = |answer: serde_json::Value| match parse_answer(&answer) {
        GomokuAction::Forfeit(reason) => reason,
        other => panic!("{answer} parsed as {other:?}"),
    };
    for bad in [
        json!({}),
        json!(null),
        json!([3, 4]),
        json!({"move": [3]}),
        json!({"move": [3, 4, 5]}),
        json!({"move": [3.5, 4]}),
        json!({"move": ["3", 4]}),
        json!({"move": {"row": 3, "col": 4}}),
        json!({"move": [3, 4], "error": {"kind": "exception"}}),
        json!({"error": {"kind": "no_such_kind", "message": "?"}}),
        json!({"error": "boom"}),
        json!({"error": {"kind": "bad_return", "message": "None"}}),
        json!({"error": {"kind": "malformed"}}),
    ] {
        assert!(
            matches!(forfeit(bad.clone()), ForfeitReason::Malformed { .. }),
            "{bad}"
        );
    }
    assert_eq!(
        forfeit(json!({"error": {"kind": "missing_function", "message": "m"}})),
        ForfeitReason::LoadFailed {
            message: "m".into()
        }
    );
    assert_eq!(
        forfeit(json!({"error": {"kind": "timeout"}})),
        ForfeitReason::Timeout
    );
    assert_eq!(
        forfeit(json!({"error": {"kind": "exception"}})),
        ForfeitReason::Exception {
            message: String::new()
        }
    );
}

// --- Statistics: two in-process policies over seeded games. ---

/// A uniformly random empty cell (rejection sampling: the board is never
/// full while a move is asked for).
fn random_move(board: &Board, rng: &mut MatchRng) -> Cell {
    let n = board.size() as u64;
    loop {
        let (r, c) = (rng.below(n) as usize, rng.below(n) as usize);
        if board.get((r, c)).is_none() {
            return (r as i64, c as i64);
        }
    }
}

/// The board with a one-cell border of 3s, so line scans need no bounds.
struct Padded {
    width: usize,
    cells: Vec<u8>,
}

impl Padded {
    fn new(board: &Board) -> Self {
        let width = board.size() + 2;
        let mut cells = vec![3u8; width * width];
        for r in 0..board.size() {
            for c in 0..board.size() {
                cells[(r + 1) * width + c + 1] = board.get((r, c)).map_or(0, Stone::value);
            }
        }
        Padded { width, cells }
    }

    /// Whether `stone` on the empty cell at `at` would make exactly five.
    fn makes_five(&self, at: usize, stone: u8) -> bool {
        let w = self.width as isize;
        [w, 1, w + 1, w - 1].iter().any(|&step| {
            let run = |step: isize| {
                let mut k = 0;
                let mut i = at as isize + step;
                while self.cells[i as usize] == stone {
                    k += 1;
                    i += step;
                }
                k
            };
            1 + run(step) + run(-step) == 5
        })
    }
}

/// Win if it can, else block the opponent's five, else random.
fn greedy_move(board: &Board, me: Stone, rng: &mut MatchRng) -> Cell {
    let padded = Padded::new(board);
    for stone in [me, me.opponent()] {
        let found = (0..padded.cells.len())
            .find(|&i| padded.cells[i] == 0 && padded.makes_five(i, stone.value()));
        if let Some(i) = found {
            let (r, c) = (i / padded.width - 1, i % padded.width - 1);
            return (r as i64, c as i64);
        }
    }
    random_move(board, rng)
}

/// Plays one seeded game; `greedy[seat]` picks each seat's policy. Returns
/// the result and the black seat.
fn policy_game(seed: u64, greedy: [bool; 2]) -> (MatchResult, Seat) {
    let mut m = Match::<Gomoku>::new(seed, GomokuSetup::new("a", "b"));
    let black = Gomoku::seat_of(m.world_mut(), Stone::Black).expect("black");
    let mut rng = MatchRng::new(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ 1);
    while let Some(seat) = Gomoku::to_move(m.world()) {
        let me = if seat == black {
            Stone::Black
        } else {
            Stone::White
        };
        let board = Gomoku::board(m.world());
        let cell = if greedy[usize::from(seat.0)] {
            greedy_move(board, me, &mut rng)
        } else {
            random_move(board, &mut rng)
        };
        m.step(vec![(seat, place(cell))]);
    }
    (result(&m), black)
}

const GAMES: u64 = 400;
/// Fewer for greedy: its scans cost more, and its edge is huge.
const GREEDY_GAMES: u64 = 200;

#[test]
fn greedy_beats_random() {
    let mut greedy_wins = 0;
    let mut greedy_black = 0;
    for seed in 0..GREEDY_GAMES {
        // Greedy sits in seat 0 for even seeds, seat 1 for odd ones.
        let seat = (seed % 2) as usize;
        let mut who = [false; 2];
        who[seat] = true;
        let (r, black) = policy_game(seed, who);
        if r.players[seat].reason == EndReason::Won {
            greedy_wins += 1;
        }
        greedy_black += usize::from(usize::from(black.0) == seat);
    }
    let rate = f64::from(greedy_wins) / GREEDY_GAMES as f64;
    eprintln!("greedy beat random in {greedy_wins}/{GREEDY_GAMES} games ({greedy_black} as black)");
    // Random play never blocks and stumbles into its own fives only by
    // chance, so greedy wins nearly always (200/200 here, 400/400 over 400
    // seeds). The bar of 80% is far below that yet far above the 50% a
    // rules bug crediting wins to the wrong seat would give: a fair coin
    // reaches 160 of 200 with probability below 1e-17.
    assert!(rate > 0.8, "greedy won only {rate}");
}

#[test]
fn random_vs_random_first_move_advantage_is_modest() {
    let (mut black_wins, mut white_wins, mut draws) = (0u32, 0u32, 0u32);
    for seed in 0..GAMES {
        let (r, black) = policy_game(seed, [false, false]);
        match r.players.iter().find(|p| p.reason == EndReason::Won) {
            Some(p) if p.seat == black.0 => black_wins += 1,
            Some(_) => white_wins += 1,
            None => draws += 1,
        }
    }
    eprintln!("random vs random: black {black_wins}, white {white_wins}, draws {draws}");
    let decided = f64::from(black_wins + white_wins);
    let black_rate = f64::from(black_wins) / decided;
    // Between random players Black's extra stone is worth little: Black
    // won 198 of 400 here, and the stone-count edge alone would put the
    // true rate a little above 1/2 (random play wastes most stones). With
    // 400 decided games the standard error of the rate is at most
    // sqrt(0.25 / 400) = 0.025, so [0.35, 0.75] holds any true rate in
    // [0.45, 0.65] by more than 4 standard errors (a false alarm below 1 in
    // 30,000), while a bug that starved one colour of moves or of wins
    // (Black 0% or 100%) lands far outside.
    assert!(
        (0.35..=0.75).contains(&black_rate),
        "black won {black_rate} of decided games"
    );
    assert!(decided >= GAMES as f64 * 0.9, "{draws} draws");
}

/// Games played by engine.py's own `GomokuGame` (see
/// data/gomoku/make_engine_games.py): every move is replayed here, the game
/// must not end early, and must end as engine.py's did.
#[test]
fn replays_engine_py_games_to_the_same_end() {
    let data: serde_json::Value =
        serde_json::from_str(include_str!("data/gomoku/engine_py_games.json")).expect("json");
    let games = data["games"].as_array().expect("games");
    assert_eq!(games.len(), 90);
    for g in games {
        let seed = g["seed"].as_u64().expect("seed");
        let mut setup = GomokuSetup::new("black", "white");
        setup.board_size = g["size"].as_u64().expect("size") as usize;
        setup.black = Some(Seat(0));
        let mut m = Match::<Gomoku>::new(seed, setup);
        let moves = g["moves"].as_array().expect("moves");
        for (i, mv) in moves.iter().enumerate() {
            assert!(!m.is_over(), "seed {seed}: over before move {i}");
            act(&mut m, parse_answer(&json!({ "move": mv })));
        }
        assert!(
            m.is_over(),
            "seed {seed}: not over after {} moves",
            moves.len()
        );
        let r = result(&m);
        assert_eq!(r.turns, moves.len() as u64);
        let outcome = &g["outcome"];
        let seat_of = |colour: &serde_json::Value| u8::from(colour != "black");
        if outcome["draw"] == true {
            assert!(
                r.players.iter().all(|p| p.reason == EndReason::Drew),
                "seed {seed}"
            );
        } else if outcome["winner"].is_string() {
            assert_won(&m, seat_of(&outcome["winner"]), EndReason::Outscored);
        } else {
            let loser = seat_of(&outcome["invalid"]);
            assert_won(&m, 1 - loser, EndReason::Invalid);
            assert!(matches!(
                Gomoku::ending(m.world()),
                Some(Ending::Forfeit {
                    reason: ForfeitReason::Occupied { .. } | ForfeitReason::OffBoard { .. },
                    ..
                })
            ));
        }
    }
}
