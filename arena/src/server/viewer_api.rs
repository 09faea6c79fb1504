//! The JSON the web viewer reads beyond `http.rs`'s endpoints: an overview
//! of every tournament with its live games, a tournament's rounds with the
//! ratings after each, its games (stored and live), and a game's own view
//! data (`GamePlugin::viewer_data`). Documented in `docs/viewer.md`.

use std::collections::{BTreeMap, HashMap};

use arena_agents::protocol::TournamentState;
use axum::Json;
use axum::extract::{Path, Query, State};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::http::{ApiError, Bearer};
use super::{App, db};
use crate::ratings::MatchResult;
use crate::ratings::bradley_terry;
use crate::store::{InvalidSubmission, RatingRow, Store, TournamentRef, TournamentRow};

/// `GET /api/overview`.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct Overview {
    /// Running tournaments first, then the others, newest first.
    pub tournaments: Vec<TournamentLine>,
}

/// One tournament on the front page.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct TournamentLine {
    pub id: i64,
    pub name: String,
    pub game: String,
    pub rules_version: String,
    /// `pvp`, `hill`, ... (the config's `format`; `pvp` when left out).
    pub format: String,
    pub state: TournamentState,
    /// Rounds after round 0, as configured.
    pub rounds: Option<i64>,
    /// Rounds finished so far (round 0 counted).
    pub rounds_finished: i64,
    /// Empty for a private tournament read without its spectator token.
    pub players: Vec<String>,
    /// Games being played now.
    pub live_games: usize,
    /// The tournament has a `spectator_token`: its games, rounds and
    /// replays need it (`Authorization: Bearer TOKEN`).
    pub private: bool,
}

/// `GET /api/tournaments/{name}/rounds`.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct Rounds {
    pub tournament: String,
    pub game: String,
    pub state: TournamentState,
    /// Players in seat order.
    pub players: Vec<String>,
    pub standings: Vec<Standing>,
    pub rounds: Vec<RoundLine>,
}

/// One player's standing, best first.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "RoundsStanding")]
pub struct Standing {
    pub player: String,
    pub rounds_won: u64,
    pub sims_won: u64,
    /// The latest stored rating in each system (`elo`, `codeforces`,
    /// `codeelo`).
    pub ratings: BTreeMap<String, f64>,
    /// Bradley-Terry Elo over every stored simulation, with its 95%
    /// interval (Hessian).
    pub bradley_terry: Option<f64>,
    pub bradley_terry_interval: Option<[f64; 2]>,
}

/// One round.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct RoundLine {
    pub round: i64,
    /// `None`: a tie, or not finished.
    pub winner: Option<String>,
    pub finished: bool,
    pub sims: i64,
    /// Simulations each player won outright.
    pub wins: BTreeMap<String, u64>,
    /// Submissions the validator refused, with its reason.
    pub invalid: Vec<Invalid>,
    /// Each player's rating in each system after this round.
    pub ratings: BTreeMap<String, BTreeMap<String, f64>>,
}

/// A refused submission.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct Invalid {
    pub player: String,
    pub reason: String,
}

/// `GET /api/tournaments/{name}/games`.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct Games {
    pub tournament: String,
    pub game: String,
    /// Stored games, by round and simulation.
    pub stored: Vec<StoredGame>,
    /// Games being played (and finished ones for two minutes).
    pub live: Vec<arena_agents::wire::GameEntry>,
}

/// A stored game.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct StoredGame {
    pub match_id: i64,
    pub round: i64,
    pub sim: i64,
    pub turns: i64,
    pub replay: bool,
    /// In seat order.
    pub players: Vec<GamePlayer>,
}

/// A player of a stored game.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct GamePlayer {
    pub player: String,
    pub placement: i64,
    pub reason: String,
}

fn tournament_row(store: &Store, name: &str) -> Result<TournamentRef, ApiError> {
    store.tournament_named(name)?.ok_or_else(|| {
        ApiError::not_found(format!(
            "tournament {name:?} not found; GET /api/tournaments lists them"
        ))
    })
}

fn need_store(store: Option<&Store>) -> Result<&Store, ApiError> {
    store.ok_or_else(|| ApiError::not_found("no tournament stored yet"))
}

/// `GET /api/overview`: every tournament for the front page.
pub(crate) async fn overview(
    State(app): State<App>,
    bearer: Bearer,
) -> Result<Json<Overview>, ApiError> {
    let hub = app.hub.clone();
    db::read(&app.state.data_dir, move |store| {
        let Some(store) = store else {
            return Ok(Json(Overview {
                tournaments: Vec::new(),
            }));
        };
        let rows = store.tournament_rows()?;
        let mut tournaments = Vec::new();
        for TournamentRow {
            id,
            name,
            game,
            rules_version,
            state,
            config,
            rounds_finished,
            players,
        } in rows
        {
            let private = crate::config::spectator_token_hash(&config)
                .map_err(ApiError::internal)?
                .is_some();
            // Who plays a private tournament is for its spectators.
            let players = if bearer.may_read(&config, "").is_ok() {
                players
            } else {
                Vec::new()
            };
            let config = toml::from_str::<toml::Value>(&config).ok();
            let key = |k: &str| config.as_ref().and_then(|c| c.get(k)).cloned();
            tournaments.push(TournamentLine {
                id,
                name,
                game,
                rules_version,
                format: key("format")
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_else(|| "pvp".to_string()),
                state,
                rounds: key("rounds").and_then(|v| v.as_integer()),
                rounds_finished,
                players,
                live_games: hub
                    .live
                    .list(id, None)
                    .iter()
                    .filter(|g| matches!(g, arena_agents::wire::GameEntry::Live { .. }))
                    .count(),
                private,
            });
        }
        // Stable: running ones first, each group newest first.
        tournaments.sort_by_key(|t| t.state != TournamentState::Running);
        Ok(Json(Overview { tournaments }))
    })
    .await
}

/// `GET /api/tournaments/{name}/rounds`: standings with every rating, and
/// each round's winner, wins, refused submissions and ratings after it.
pub(crate) async fn rounds(
    State(app): State<App>,
    bearer: Bearer,
    Path(name): Path<String>,
) -> Result<Json<Rounds>, ApiError> {
    db::read(&app.state.data_dir, move |store| {
        let store = need_store(store)?;
        let TournamentRef {
            id: tid,
            game,
            state,
            config,
        } = tournament_row(store, &name)?;
        bearer.may_read(&config, &format!("tournament {name:?} is private"))?;
        let seed = toml::from_str::<toml::Value>(&config)
            .ok()
            .and_then(|c| c.get("seed").and_then(toml::Value::as_integer))
            .unwrap_or(0);
        let players = store.player_ids(tid)?;
        let name_of: HashMap<i64, String> = players.iter().cloned().collect();

        // Every placement, for wins and Bradley-Terry.
        let rows: Vec<(i64, i64, i64, u32)> = store
            .placements(tid)?
            .into_iter()
            .map(|p| (p.match_id, i64::from(p.round), p.player_id, p.placement))
            .collect();
        let mut wins: BTreeMap<i64, BTreeMap<String, u64>> = BTreeMap::new();
        let mut sims: BTreeMap<i64, i64> = BTreeMap::new();
        let mut matches = Vec::new();
        for group in rows.chunk_by(|a, b| a.0 == b.0) {
            let round = group[0].1;
            *sims.entry(round).or_default() += 1;
            let firsts: Vec<_> = group.iter().filter(|g| g.3 == 1).collect();
            if let [only] = firsts.as_slice()
                && let Some(n) = name_of.get(&only.2)
            {
                *wins.entry(round).or_default().entry(n.clone()).or_default() += 1;
            }
            matches.push(MatchResult {
                placements: group
                    .iter()
                    .filter_map(|g| Some((name_of.get(&g.2)?.clone(), g.3)))
                    .collect(),
            });
        }
        let bt = bradley_terry::fit(
            &bradley_terry::pairs_from_matches(&matches),
            &bradley_terry::Config {
                seed: seed as u64,
                ..bradley_terry::Config::default()
            },
        )
        .ok();

        // Ratings after each round.
        let mut ratings: BTreeMap<i64, BTreeMap<String, BTreeMap<String, f64>>> = BTreeMap::new();
        for RatingRow {
            round,
            player_id: pid,
            system,
            rating,
        } in store.rating_rows(tid)?
        {
            let round = i64::from(round);
            if let Some(n) = name_of.get(&pid) {
                ratings
                    .entry(round)
                    .or_default()
                    .entry(n.clone())
                    .or_default()
                    .insert(system, rating);
            }
        }

        let mut invalid: BTreeMap<i64, Vec<Invalid>> = BTreeMap::new();
        for InvalidSubmission {
            round,
            player_id: pid,
            reason,
        } in store.invalid_submissions(tid)?
        {
            let round = i64::from(round);
            invalid.entry(round).or_default().push(Invalid {
                player: name_of.get(&pid).cloned().unwrap_or_default(),
                reason,
            });
        }

        let mut winners: BTreeMap<i64, Option<String>> = BTreeMap::new();
        for (round, w) in store.round_winners(tid)? {
            let round = i64::from(round);
            winners.insert(round, w.and_then(|w| name_of.get(&w).cloned()));
        }

        let mut numbers: Vec<i64> = winners
            .keys()
            .chain(sims.keys())
            .chain(invalid.keys())
            .copied()
            .collect();
        numbers.sort_unstable();
        numbers.dedup();
        let rounds: Vec<RoundLine> = numbers
            .into_iter()
            .map(|r| RoundLine {
                round: r,
                winner: winners.get(&r).cloned().flatten(),
                finished: winners.contains_key(&r),
                sims: sims.get(&r).copied().unwrap_or(0),
                wins: wins.remove(&r).unwrap_or_default(),
                invalid: invalid.remove(&r).unwrap_or_default(),
                ratings: ratings.get(&r).cloned().unwrap_or_default(),
            })
            .collect();

        let mut standings: Vec<Standing> = players
            .iter()
            .map(|(_, p)| {
                let fitted = bt
                    .as_ref()
                    .and_then(|f| f.players.iter().find(|x| &x.name == p));
                let mut latest = BTreeMap::new();
                for by_player in ratings.values() {
                    if let Some(r) = by_player.get(p) {
                        latest.extend(r.iter().map(|(k, v)| (k.clone(), *v)));
                    }
                }
                Standing {
                    player: p.clone(),
                    rounds_won: rounds
                        .iter()
                        .filter(|r| r.winner.as_ref() == Some(p))
                        .count() as u64,
                    sims_won: rounds
                        .iter()
                        .map(|r| r.wins.get(p).copied().unwrap_or(0))
                        .sum(),
                    ratings: latest,
                    bradley_terry: fitted.map(|f| f.elo),
                    bradley_terry_interval: fitted.and_then(|f| f.hessian_interval),
                }
            })
            .collect();
        standings.sort_by(|a, b| {
            b.rounds_won
                .cmp(&a.rounds_won)
                .then(b.sims_won.cmp(&a.sims_won))
                .then(a.player.cmp(&b.player))
        });
        Ok(Json(Rounds {
            tournament: name,
            game,
            state,
            players: players.into_iter().map(|p| p.1).collect(),
            standings,
            rounds,
        }))
    })
    .await
}

/// `GET /api/tournaments/{name}/games`: stored and live games.
pub(crate) async fn games(
    State(app): State<App>,
    bearer: Bearer,
    Path(name): Path<String>,
) -> Result<Json<Games>, ApiError> {
    let hub = app.hub.clone();
    db::read(&app.state.data_dir, move |store| {
        let store = need_store(store)?;
        let TournamentRef {
            id: tid,
            game,
            config,
            ..
        } = tournament_row(store, &name)?;
        bearer.may_read(&config, &format!("tournament {name:?} is private"))?;
        let rows = store.match_rows(tid)?;
        let mut players: BTreeMap<i64, Vec<GamePlayer>> = BTreeMap::new();
        for seat in store.seat_rows(tid)? {
            players.entry(seat.match_id).or_default().push(GamePlayer {
                player: seat.player,
                placement: i64::from(seat.placement),
                reason: seat.reason,
            });
        }
        let stored = rows
            .into_iter()
            .map(|m| StoredGame {
                match_id: m.id,
                round: i64::from(m.round),
                sim: i64::from(m.sim),
                turns: m.turns,
                replay: m.replay,
                players: players.remove(&m.id).unwrap_or_default(),
            })
            .collect();
        Ok(Json(Games {
            tournament: name,
            game,
            stored,
            live: hub.live.list(tid, None),
        }))
    })
    .await
}

/// `GET /api/matches/{id}/view?...`: what the game's viewer asks for
/// beyond the frames (Core War: the core at an execution).
pub(crate) async fn match_view(
    State(app): State<App>,
    bearer: Bearer,
    Path(id): Path<String>,
    Query(query): Query<BTreeMap<String, String>>,
) -> Result<Json<Value>, ApiError> {
    let id = id.parse::<i64>().ok().filter(|id| *id > 0).ok_or_else(|| {
        ApiError::bad_request(format!("match id {id:?} is not a positive integer"))
    })?;
    db::read(&app.state.data_dir, move |store| {
        let store = need_store(store)?;
        bearer.may_read_match(store, id)?;
        store
            .with_replay(id, |replay| view(replay, id, &query))?
            .unwrap_or_else(|| {
                Err(ApiError::not_found(format!(
                    "replay of match {id} not found"
                )))
            })
    })
    .await
}

/// A game's view data from its replay.
fn view(
    replay: &arena_replays::Replay<'_>,
    id: i64,
    query: &BTreeMap<String, String>,
) -> Result<Json<Value>, ApiError> {
    let game = replay.header().game.clone();
    let plugin = crate::games::find(&game)
        .ok_or_else(|| ApiError::not_found(format!("match {id} is of an unknown game {game:?}")))?;
    match plugin.viewer_data(replay, query) {
        None => Err(ApiError::not_found(format!(
            "{game} has no view data beyond its frames: GET /api/replays/{id}"
        ))),
        Some(Err(e)) => Err(ApiError::bad_request(e)),
        Some(Ok(v)) => Ok(Json(v)),
    }
}
