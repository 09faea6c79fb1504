//! `arena ratings`: the leaderboard of a rating pool (one game and rules
//! version), recomputed from every stored result of every tournament in
//! it, so it always equals what the stored results say.
//!
//! Players are named by their tournament player name: the same name in two
//! tournaments of a pool is one rated player.
//!
//! A pool's anchors (reference players held at fixed ratings, so that its
//! numbers mean the same across tournaments and months) are read from
//! `anchors.toml` next to the database, or a file given to `arena ratings
//! --anchors`; see `docs/ratings.md`.

use std::collections::{BTreeMap, BTreeSet};

use crate::store::{Store, StoreError};
use serde::Serialize;

use crate::ratings::MatchResult;
use crate::ratings::anchored::{self, Anchor, Standing};
use crate::ratings::bradley_terry::{self, PairResults};
use crate::ratings::codeclash;
use crate::ratings::elo::EloPool;
use crate::ratings::weng_lin::WengLinPool;

/// A pool's leaderboard.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct Leaderboard {
    pub game: String,
    pub rules_version: String,
    pub matches: u64,
    /// The pool's reference players and their fixed Elo; empty when the
    /// pool has none (its Bradley-Terry numbers are then relative: they
    /// sum to 1200 on average and shift when players join).
    pub anchors: Vec<Anchor>,
    pub players: Vec<Rated>,
    /// The same pool rated by CodeClash's leaderboard method.
    pub codeclash: CodeClashBoard,
}

/// CodeClash's leaderboard method over a pool's tournaments: one result per
/// two-player tournament, Bradley-Terry with its Hessian deviations.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct CodeClashBoard {
    /// Tournaments that gave one decisive result.
    pub decided: usize,
    /// Tournaments tied on rounds with no decisive round (dropped).
    pub undecided: usize,
    /// Tournaments without exactly two players (left out).
    pub skipped: usize,
    /// Players by Elo, best first; empty without a decided tournament.
    pub players: Vec<CodeClashRated>,
}

/// One player of [`CodeClashBoard`].
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct CodeClashRated {
    pub name: String,
    pub elo: f64,
    /// CodeClash's `elo_std` (one standard deviation).
    pub elo_std: Option<f64>,
}

/// One player of a pool.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct Rated {
    pub name: String,
    pub matches: u64,
    /// Sequential Elo over every simulation, in the order they were played.
    pub elo: f64,
    /// Weng-Lin (free-for-all): mean and standard deviation.
    pub weng_lin: f64,
    pub weng_lin_sigma: f64,
    /// Bradley-Terry over all pairwise results of every simulation, on the
    /// anchors' scale when the pool has anchors, with its 95% interval
    /// (Hessian; none for an anchor, whose rating is fixed).
    pub bradley_terry: Option<f64>,
    pub bradley_terry_interval: Option<[f64; 2]>,
    /// Whether its Bradley-Terry number is tied to the anchors.
    pub standing: Standing,
}

/// A pool's anchors, from an anchors file.
#[derive(Clone, Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct AnchorsFile {
    /// One entry per anchored player.
    #[serde(default)]
    anchor: Vec<AnchorEntry>,
}

/// One `[[anchor]]` of an anchors file.
#[derive(Clone, Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct AnchorEntry {
    /// The pool's game.
    game: String,
    /// The pool's rules version; every version of the game when left out.
    rules_version: Option<String>,
    /// The player's name in the pool.
    player: String,
    /// Its fixed Elo.
    elo: f64,
}

/// Why a leaderboard cannot be made.
#[derive(Debug, thiserror::Error)]
pub enum LeaderboardError {
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The anchors file exists but cannot be read.
    #[error("{}: {error}", path.display())]
    ReadAnchors {
        path: std::path::PathBuf,
        error: std::io::Error,
    },
    /// The anchors file is not a list of anchors.
    #[error(
        "{}: {detail}; expected [[anchor]] entries with game, player, elo and optionally rules_version",
        path.display()
    )]
    BadAnchors {
        path: std::path::PathBuf,
        detail: String,
    },
    /// A stored match the rating systems refuse.
    #[error("match {match_id}: {error}")]
    Match {
        match_id: i64,
        error: crate::ratings::MatchError,
    },
    /// The anchored Bradley-Terry fit failed.
    #[error("pool {game} ({rules_version}): {error}")]
    Anchored {
        game: String,
        rules_version: String,
        error: anchored::AnchorError,
    },
    /// CodeClash's leaderboard method failed.
    #[error("pool {game} ({rules_version}): {error}")]
    CodeClash {
        game: String,
        rules_version: String,
        error: codeclash::CodeClashError,
    },
}

type Result<T, E = LeaderboardError> = std::result::Result<T, E>;

/// The anchors file next to a database.
pub const ANCHORS_FILE: &str = "anchors.toml";

/// Reads the anchors of pool (`game`, `rules_version`) from `path`; none if
/// the file does not exist.
pub fn read_anchors(
    path: &std::path::Path,
    game: &str,
    rules_version: &str,
) -> Result<Vec<Anchor>> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(error) => {
            return Err(LeaderboardError::ReadAnchors {
                path: path.to_path_buf(),
                error,
            });
        }
    };
    let file: AnchorsFile = toml::from_str(&text).map_err(|e| LeaderboardError::BadAnchors {
        path: path.to_path_buf(),
        detail: e.to_string().trim().to_owned(),
    })?;
    Ok(file
        .anchor
        .into_iter()
        .filter(|a| {
            a.game == game
                && a.rules_version
                    .as_deref()
                    .is_none_or(|v| v == rules_version)
        })
        .map(|a| Anchor {
            player: a.player,
            elo: a.elo,
        })
        .collect())
}

/// Which stored tournaments a leaderboard pools.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pooled {
    /// Every one: `arena ratings`, run by whoever holds the database file
    /// (and so reads every tournament in it).
    All,
    /// All but the private ones (a `spectator_token`): what the server's
    /// `/api/ratings` shows anyone, since a leaderboard would otherwise name
    /// who plays a private tournament and how it went.
    Public,
}

/// The private tournaments' ids (a stored config that does not read as
/// TOML counts as private: nothing of it is shown).
fn private_tournaments(store: &Store) -> Result<BTreeSet<i64>, StoreError> {
    Ok(store
        .tournament_rows()?
        .into_iter()
        .filter(|t| !matches!(crate::config::spectator_token_hash(&t.config), Ok(None)))
        .map(|t| t.id)
        .collect())
}

/// The pools with something to show: (game, rules version).
pub fn pools(
    store: &Store,
    game: Option<&str>,
    pooled: Pooled,
) -> Result<Vec<(String, String)>, StoreError> {
    if pooled == Pooled::All {
        return store.pools(game);
    }
    let private = private_tournaments(store)?;
    let public: BTreeSet<(String, String)> = store
        .tournament_rows()?
        .into_iter()
        .filter(|t| !private.contains(&t.id) && game.is_none_or(|g| g == t.game))
        .map(|t| (t.game, t.rules_version))
        .collect();
    Ok(public.into_iter().collect())
}

/// The leaderboard of one pool, with the anchors of `anchors.toml` next to
/// the database.
pub fn leaderboard(
    store: &Store,
    game: &str,
    rules_version: &str,
    pooled: Pooled,
) -> Result<Leaderboard> {
    let file = store.path().with_file_name(ANCHORS_FILE);
    let anchors = read_anchors(&file, game, rules_version)?;
    leaderboard_with(store, game, rules_version, anchors, pooled)
}

/// The leaderboard of one pool with the given anchors.
pub fn leaderboard_with(
    store: &Store,
    game: &str,
    rules_version: &str,
    anchors: Vec<Anchor>,
    pooled: Pooled,
) -> Result<Leaderboard> {
    let hidden = match pooled {
        Pooled::All => BTreeSet::new(),
        Pooled::Public => private_tournaments(store)?,
    };
    let mut rows = store.pool_placements(game, rules_version)?;
    rows.retain(|(tournament, ..)| !hidden.contains(tournament));
    let mut elo = EloPool::new(32.0, 1000.0);
    let mut wl = WengLinPool::new(Default::default());
    let mut played: BTreeMap<String, u64> = BTreeMap::new();
    let mut results = Vec::new();
    for group in rows.chunk_by(|a, b| a.1 == b.1) {
        let result = MatchResult {
            placements: group.iter().map(|(_, _, n, p)| (n.clone(), *p)).collect(),
        };
        let bad = |error| LeaderboardError::Match {
            match_id: group[0].1,
            error,
        };
        elo.apply(&result).map_err(bad)?;
        wl.apply(&result).map_err(bad)?;
        for (_, _, name, _) in group {
            *played.entry(name.clone()).or_default() += 1;
        }
        results.push(result);
    }
    let matches = results.len() as u64;
    let pair_list: Vec<PairResults> = bradley_terry::pairs_from_matches(&results);
    // (elo, interval, standing) per player.
    let mut bt: BTreeMap<String, (f64, Option<[f64; 2]>, Standing)> = BTreeMap::new();
    if anchors.is_empty() {
        if let Ok(fit) = bradley_terry::fit(&pair_list, &bradley_terry::Config::default()) {
            for p in fit.players {
                bt.insert(p.name, (p.elo, p.hessian_interval, Standing::Unanchored));
            }
        }
    } else if !pair_list.is_empty() {
        let fit = anchored::fit_anchored(&pair_list, &anchors, &bradley_terry::Config::default())
            .map_err(|error| LeaderboardError::Anchored {
            game: game.to_owned(),
            rules_version: rules_version.to_owned(),
            error,
        })?;
        for p in fit {
            bt.insert(p.name, (p.elo, p.interval, p.standing));
        }
    }
    let mut players: Vec<Rated> = played
        .iter()
        .map(|(name, &n)| {
            let fitted = bt.get(name);
            let w = wl.get(name);
            Rated {
                name: name.clone(),
                matches: n,
                elo: elo.get(name).map_or(1000.0, |e| e.rating),
                weng_lin: w.map_or(25.0, |w| w.rating),
                weng_lin_sigma: w.map_or(25.0 / 3.0, |w| w.uncertainty),
                bradley_terry: fitted.map(|f| f.0),
                bradley_terry_interval: fitted.and_then(|f| f.1),
                standing: fitted.map_or(Standing::Unanchored, |f| f.2),
            }
        })
        .collect();
    players.sort_by(|a, b| {
        b.bradley_terry
            .unwrap_or(f64::MIN)
            .total_cmp(&a.bradley_terry.unwrap_or(f64::MIN))
            .then(b.elo.total_cmp(&a.elo))
    });
    Ok(Leaderboard {
        game: game.to_string(),
        rules_version: rules_version.to_string(),
        matches,
        anchors,
        players,
        codeclash: codeclash_board(store, game, rules_version, &hidden)?,
    })
}

/// Every tournament of the pool as CodeClash scores it: its players (by
/// seat) and the winner of each stored round.
fn codeclash_board(
    store: &Store,
    game: &str,
    rules_version: &str,
    hidden: &BTreeSet<i64>,
) -> Result<CodeClashBoard> {
    let mut rows = store.pool_players(game, rules_version)?;
    rows.retain(|(tournament, ..)| !hidden.contains(tournament));
    let mut tournaments = Vec::new();
    for group in rows.chunk_by(|a, b| a.0 == b.0) {
        let rounds = store.round_winners(group[0].0)?;
        let last = rounds
            .iter()
            .map(|r| r.0 as usize)
            .max()
            .map_or(0, |m| m + 1);
        let mut winners: Vec<Option<String>> = vec![None; last];
        for (round, winner) in rounds {
            winners[round as usize] = winner
                .and_then(|w| group.iter().find(|(_, id, _)| *id == w))
                .map(|(_, _, name)| name.clone());
        }
        tournaments.push(codeclash::Tournament {
            players: group.iter().map(|(_, _, n)| n.clone()).collect(),
            rounds: winners,
        });
    }
    let matrix =
        codeclash::win_matrix(&tournaments, &codeclash::Scoring::default()).map_err(|error| {
            LeaderboardError::CodeClash {
                game: game.to_owned(),
                rules_version: rules_version.to_owned(),
                error,
            }
        })?;
    let players = match codeclash::leaderboard(&tournaments, &codeclash::Scoring::default()) {
        Ok((_, fit)) => fit
            .players
            .into_iter()
            .map(|p| CodeClashRated {
                name: p.name,
                elo: p.elo,
                elo_std: p.elo_std,
            })
            .collect(),
        Err(_) => Vec::new(),
    };
    Ok(CodeClashBoard {
        decided: matrix.decided,
        undecided: matrix.undecided,
        skipped: matrix.skipped,
        players,
    })
}

impl Leaderboard {
    /// The pool as CodeClash's leaderboard would print it.
    pub fn codeclash_table(&self) -> String {
        let c = &self.codeclash;
        let mut out = format!(
            "{} ({}): CodeClash's method: {} tournaments decided, {} undecided (dropped), \
             {} not two-player (left out)\n",
            self.game, self.rules_version, c.decided, c.undecided, c.skipped
        );
        if c.players.is_empty() {
            out += "no decided two-player tournament yet\n";
            return out;
        }
        let w = c
            .players
            .iter()
            .map(|p| p.name.len())
            .max()
            .unwrap_or(6)
            .max(6);
        out += &format!("{:<w$} {:>6} {:>8}\n", "player", "Elo", "± std");
        for p in &c.players {
            let std = p
                .elo_std
                .map_or_else(|| "-".to_string(), |s| format!("{s:.0}"));
            out += &format!("{:<w$} {:>6.0} {:>8}\n", p.name, p.elo, std);
        }
        out += "Elo = 1200 + 400/ln 10 · Bradley-Terry strength (strengths sum to 0, L2 0.01) \
                over one result per tournament (rounds 1-15); ± one Hessian standard deviation.\n";
        out
    }
}

impl std::fmt::Display for Leaderboard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "{} ({}): {} matches",
            self.game, self.rules_version, self.matches
        )?;
        if self.anchors.is_empty() {
            writeln!(
                f,
                "anchors: none (Bradley-Terry numbers are relative to this pool: centred on 1200, \
                 they move when players join; add anchors in {ANCHORS_FILE})"
            )?;
        } else {
            let list: Vec<String> = self
                .anchors
                .iter()
                .map(|a| format!("{} = {:.0}", a.player, a.elo))
                .collect();
            writeln!(f, "anchors: {}", list.join(", "))?;
        }
        let w = self
            .players
            .iter()
            .map(|p| p.name.len())
            .max()
            .unwrap_or(6)
            .max(6);
        writeln!(
            f,
            "{:<w$} {:>8} {:>24} {:>10} {:>8} {:>16}",
            "player", "matches", "Bradley-Terry [95%]", "scale", "Elo", "Weng-Lin (sigma)"
        )?;
        for p in &self.players {
            let bt = bradley_terry::format_elo(p.bradley_terry, p.bradley_terry_interval);
            writeln!(
                f,
                "{:<w$} {:>8} {:>24} {:>10} {:>8.0} {:>16}",
                p.name,
                p.matches,
                bt,
                p.standing.to_string(),
                p.elo,
                format!("{:.1} ({:.1})", p.weng_lin, p.weng_lin_sigma)
            )?;
        }
        writeln!(
            f,
            "Bradley-Terry: every simulation's pairwise results, Elo = 1200 + 400/ln 10 · strength; \
             scale: anchor (fixed), anchored (linked to an anchor by games), unanchored (relative \
             only). Elo: sequential, from 1000, K = 32. Weng-Lin: mean (sigma) from 25."
        )?;
        Ok(())
    }
}
