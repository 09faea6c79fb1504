use super::*;

fn pair(a: &str, b: &str, a_wins: u64, b_wins: u64, draws: u64) -> PairResults {
    PairResults {
        a: a.into(),
        b: b.into(),
        a_wins,
        b_wins,
        draws,
    }
}

fn no_penalty() -> Config {
    Config {
        penalty: 0.0,
        ..Config::default()
    }
}

fn player<'a>(fit: &'a Fit, name: &str) -> &'a Player {
    fit.players
        .iter()
        .find(|p| p.name == name)
        .unwrap_or_else(|| panic!("{name} not in the fit"))
}

#[test]
fn three_wins_in_four_is_400_log10_3() {
    let fit = fit(&[pair("A", "B", 3, 1, 0)], &no_penalty()).unwrap_or_else(|e| panic!("{e}"));
    let (a, b) = (player(&fit, "A"), player(&fit, "B"));
    let expected = 400.0 * 3f64.log10();
    assert!(
        (a.elo - b.elo - expected).abs() < 1e-9,
        "{} vs {expected}",
        a.elo - b.elo
    );
    assert!((a.elo - 1200.0 - expected / 2.0).abs() < 1e-9);
    assert!((a.strength + b.strength).abs() < 1e-12);
    // Observed information 4 · 3/4 · 1/4 = 3/4 on the difference; on the
    // plane s_A = -s_B = x, the information in x is 4 · 3/4 = 3, so each
    // strength has variance 1/3.
    let std = 400.0 / std::f64::consts::LN_10 / 3f64.sqrt();
    for p in [a, b] {
        let s = p.elo_std.unwrap_or_else(|| panic!("no std"));
        assert!((s - std).abs() < 1e-9, "{s} vs {std}");
        assert_eq!(p.games, 4);
    }
    assert_eq!(fit.players[0].name, "A");
}

#[test]
fn the_penalty_pulls_towards_zero() {
    let free = fit(&[pair("A", "B", 3, 1, 0)], &no_penalty()).unwrap_or_else(|e| panic!("{e}"));
    let held =
        fit(&[pair("A", "B", 3, 1, 0)], &Config::default()).unwrap_or_else(|e| panic!("{e}"));
    let s_free = player(&free, "A").strength;
    let s_held = player(&held, "A").strength;
    assert!(s_held < s_free && s_held > 0.0);
    // At the optimum: (3 - 4σ(2x)) = 2λx for x = s_A = -s_B.
    let x = s_held;
    let g = 3.0 - 4.0 * sigmoid(2.0 * x) - 2.0 * 0.01 * x;
    assert!(g.abs() < 1e-10, "{g}");
}

#[test]
fn draws_count_half_or_not_at_all() {
    let results = [pair("A", "B", 2, 1, 2)];
    let half = fit(&results, &no_penalty()).unwrap_or_else(|e| panic!("{e}"));
    // 3 to 2 in half-wins: ln(3/2).
    let d = player(&half, "A").strength - player(&half, "B").strength;
    assert!((d - 1.5f64.ln()).abs() < 1e-10);
    let dropped = Config {
        draws: Draws::Drop,
        ..no_penalty()
    };
    let drop = fit(&results, &dropped).unwrap_or_else(|e| panic!("{e}"));
    let d = player(&drop, "A").strength - player(&drop, "B").strength;
    assert!((d - 2f64.ln()).abs() < 1e-10);
    assert_eq!(player(&drop, "A").games, 5);
}

#[test]
fn results_aggregate_over_rows_and_orientations() {
    let one = fit(&[pair("A", "B", 3, 1, 0)], &no_penalty()).unwrap_or_else(|e| panic!("{e}"));
    let split = [pair("A", "B", 1, 1, 0), pair("B", "A", 0, 2, 0)];
    let two = fit(&split, &no_penalty()).unwrap_or_else(|e| panic!("{e}"));
    assert!((player(&one, "A").elo - player(&two, "A").elo).abs() < 1e-9);
}

#[test]
fn unbeaten_players_need_a_penalty() {
    let results = [pair("A", "B", 2, 0, 0), pair("B", "C", 1, 1, 0)];
    assert_eq!(
        fit(&results, &no_penalty()),
        Err(BradleyTerryError::Separated("B".into()))
    );
    let fit = fit(&results, &Config::default()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(fit.players[0].name, "A");
}

#[test]
fn bad_inputs_are_errors() {
    assert_eq!(
        fit(&[], &Config::default()),
        Err(BradleyTerryError::NoGames)
    );
    assert_eq!(
        fit(&[pair("A", "B", 0, 0, 0)], &Config::default()),
        Err(BradleyTerryError::NoGames)
    );
    assert!(matches!(
        fit(&[pair("A", "A", 1, 0, 0)], &Config::default()),
        Err(BradleyTerryError::SelfPlay { index: 0, .. })
    ));
    let negative = Config {
        penalty: -1.0,
        ..Config::default()
    };
    assert!(matches!(
        fit(&[pair("A", "B", 1, 0, 0)], &negative),
        Err(BradleyTerryError::BadPenalty(_))
    ));
}

#[test]
fn bootstrap_is_seeded_and_brackets_the_estimate() {
    let results = [
        pair("A", "B", 30, 10, 5),
        pair("B", "C", 25, 20, 0),
        pair("A", "C", 40, 8, 2),
    ];
    let config = Config {
        bootstrap: 300,
        seed: 7,
        ..Config::default()
    };
    let one = fit(&results, &config).unwrap_or_else(|e| panic!("{e}"));
    let two = fit(&results, &config).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(one, two);
    assert_eq!(one.bootstrap_failures, 0);
    for p in &one.players {
        let [lo, hi] = p
            .bootstrap_interval
            .unwrap_or_else(|| panic!("no interval"));
        assert!(lo < p.elo && p.elo < hi, "{}: {lo} {} {hi}", p.name, p.elo);
        let [hlo, hhi] = p.hessian_interval.unwrap_or_else(|| panic!("no interval"));
        // The two intervals roughly agree in width on this much data.
        let ratio = (hi - lo) / (hhi - hlo);
        assert!((0.6..1.6).contains(&ratio), "{}: {ratio}", p.name);
    }
    let other = Config { seed: 8, ..config };
    assert_ne!(fit(&results, &other), Ok(one));
}

#[test]
fn bootstrap_without_penalty_counts_failures() {
    let results = [pair("A", "B", 2, 1, 0)];
    let config = Config {
        bootstrap: 200,
        seed: 1,
        ..no_penalty()
    };
    let fit = fit(&results, &config).unwrap_or_else(|e| panic!("{e}"));
    // A resample is separated unless it has both a win and a loss:
    // 1 - (2/3)^3 - (1/3)^3 = 2/3 of them fit.
    assert!(fit.bootstrap_failures > 30 && fit.bootstrap_failures < 110);
}
