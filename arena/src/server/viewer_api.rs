//! The JSON the web viewer reads beyond `http.rs`'s endpoints: an overview
//! of every tournament with its live games, a tournament's rounds with the
//! ratings after each, its games (stored and live), and a game's own view
//! data (`GamePlugin::viewer_data`). Documented in `docs/viewer.md`.

use std::collections::{BTreeMap, HashMap};

use arena_agents::protocol::TournamentState;
use axum::Json;
use axum::extract::{Path, Query, State};
use rusqlite::{Connection, OptionalExtension, params};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::http::ApiError;
use super::{App, db};
use crate::ratings::MatchResult;
use crate::ratings::bradley_terry;

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
    pub players: Vec<String>,
    /// Games being played now.
    pub live_games: usize,
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

/// A stored state's enum; a name this build does not know is a damaged
/// or newer database.
fn state_of(name: &str) -> Result<TournamentState, ApiError> {
    TournamentState::from_name(name).ok_or_else(|| {
        ApiError::internal(format!(
            "the database holds an unknown tournament state {name:?}: is it from a newer arena?"
        ))
    })
}

fn tournament_row(
    conn: &Connection,
    name: &str,
) -> Result<(i64, String, String, String), ApiError> {
    conn.query_row(
        "SELECT id, game, state, config FROM tournaments WHERE name = ?1",
        [name],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
    )
    .optional()?
    .ok_or_else(|| {
        ApiError::not_found(format!(
            "tournament {name:?} not found; GET /api/tournaments lists them"
        ))
    })
}

fn player_names(conn: &Connection, tid: i64) -> Result<Vec<(i64, String)>, ApiError> {
    let mut stmt =
        conn.prepare("SELECT id, name FROM players WHERE tournament_id = ?1 ORDER BY seat")?;
    let rows = stmt
        .query_map([tid], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// `GET /api/overview`: every tournament for the front page.
pub(crate) async fn overview(State(app): State<App>) -> Result<Json<Overview>, ApiError> {
    let hub = app.hub.clone();
    db::read(&app.state.data_dir, move |conn| {
        let Some(conn) = conn.map(|s| s.conn()) else {
            return Ok(Json(Overview {
                tournaments: Vec::new(),
            }));
        };
        let mut stmt = conn.prepare(
            "SELECT t.id, t.name, t.game, t.rules_version, t.state, t.config, \
               (SELECT COUNT(*) FROM rounds r WHERE r.tournament_id = t.id) \
             FROM tournaments t ORDER BY t.id DESC",
        )?;
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, String>(5)?,
                    r.get::<_, i64>(6)?,
                ))
            })?
            .collect::<Result<Vec<_>, _>>()?;
        let mut tournaments = Vec::new();
        for (id, name, game, rules_version, state, config, rounds_finished) in rows {
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
                state: state_of(&state)?,
                rounds: key("rounds").and_then(|v| v.as_integer()),
                rounds_finished,
                players: player_names(conn, id)?.into_iter().map(|p| p.1).collect(),
                live_games: hub
                    .live
                    .list(id, None)
                    .iter()
                    .filter(|g| matches!(g, arena_agents::wire::GameEntry::Live { .. }))
                    .count(),
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
    Path(name): Path<String>,
) -> Result<Json<Rounds>, ApiError> {
    db::read(&app.state.data_dir, move |conn| {
        let conn = conn
            .ok_or_else(|| ApiError::not_found("no tournament stored yet"))?
            .conn();
        let (tid, game, state, config) = tournament_row(conn, &name)?;
        let seed = toml::from_str::<toml::Value>(&config)
            .ok()
            .and_then(|c| c.get("seed").and_then(toml::Value::as_integer))
            .unwrap_or(0);
        let players = player_names(conn, tid)?;
        let name_of: HashMap<i64, String> = players.iter().cloned().collect();

        // Every placement, for wins and Bradley-Terry.
        let mut stmt = conn.prepare(
            "SELECT m.id, m.round, mp.player_id, mp.placement FROM match_players mp \
             JOIN matches m ON m.id = mp.match_id WHERE m.tournament_id = ?1 ORDER BY m.id",
        )?;
        let rows: Vec<(i64, i64, i64, u32)> = stmt
            .query_map([tid], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
            .collect::<Result<_, _>>()?;
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
        let mut stmt = conn.prepare(
            "SELECT round, player_id, system, rating FROM ratings WHERE tournament_id = ?1 ORDER BY round",
        )?;
        for row in stmt.query_map([tid], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, f64>(3)?,
            ))
        })? {
            let (round, pid, system, rating) = row?;
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
        let mut stmt = conn.prepare(
            "SELECT round, player_id, reason FROM submissions WHERE tournament_id = ?1 AND valid = 0 ORDER BY round, player_id",
        )?;
        for row in stmt.query_map([tid], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?, r.get::<_, String>(2)?))
        })? {
            let (round, pid, reason) = row?;
            invalid.entry(round).or_default().push(Invalid {
                player: name_of.get(&pid).cloned().unwrap_or_default(),
                reason,
            });
        }

        let mut winners: BTreeMap<i64, Option<String>> = BTreeMap::new();
        let mut stmt =
            conn.prepare("SELECT round, winner_id FROM rounds WHERE tournament_id = ?1")?;
        for row in stmt.query_map([tid], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, Option<i64>>(1)?)))? {
            let (round, w) = row?;
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
                    sims_won: rounds.iter().map(|r| r.wins.get(p).copied().unwrap_or(0)).sum(),
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
            state: state_of(&state)?,
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
    Path(name): Path<String>,
) -> Result<Json<Games>, ApiError> {
    let hub = app.hub.clone();
    db::read(&app.state.data_dir, move |conn| {
        let conn = conn
            .ok_or_else(|| ApiError::not_found("no tournament stored yet"))?
            .conn();
        let (tid, game, _, _) = tournament_row(conn, &name)?;
        let mut stmt = conn.prepare(
            "SELECT m.id, m.round, m.sim, m.turns, EXISTS (SELECT 1 FROM replays r WHERE r.match_id = m.id) \
             FROM matches m WHERE m.tournament_id = ?1 ORDER BY m.round, m.sim",
        )?;
        let rows = stmt
            .query_map([tid], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
            })?
            .collect::<Result<Vec<(i64, i64, i64, i64, bool)>, _>>()?;
        let mut stmt = conn.prepare(
            "SELECT mp.match_id, p.name, mp.placement, mp.reason FROM match_players mp \
             JOIN players p ON p.id = mp.player_id JOIN matches m ON m.id = mp.match_id \
             WHERE m.tournament_id = ?1 ORDER BY mp.match_id, mp.seat",
        )?;
        let mut players: BTreeMap<i64, Vec<GamePlayer>> = BTreeMap::new();
        for row in stmt.query_map(params![tid], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                GamePlayer {
                    player: r.get(1)?,
                    placement: r.get(2)?,
                    reason: r.get(3)?,
                },
            ))
        })? {
            let (m, p) = row?;
            players.entry(m).or_default().push(p);
        }
        let stored = rows
            .into_iter()
            .map(|(match_id, round, sim, turns, replay)| StoredGame {
                match_id,
                round,
                sim,
                turns,
                replay,
                players: players.remove(&match_id).unwrap_or_default(),
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
    Path(id): Path<String>,
    Query(query): Query<BTreeMap<String, String>>,
) -> Result<Json<Value>, ApiError> {
    let id = id.parse::<i64>().ok().filter(|id| *id > 0).ok_or_else(|| {
        ApiError::bad_request(format!("match id {id:?} is not a positive integer"))
    })?;
    db::read(&app.state.data_dir, move |conn| {
        let conn = conn
            .ok_or_else(|| ApiError::not_found("no tournament stored yet"))?
            .conn();
        let replay = match arena_replays::Replay::open(conn, id) {
            Ok(r) => r,
            Err(arena_replays::ReplayError::NotFound(_)) => {
                return Err(ApiError::not_found(format!(
                    "replay of match {id} not found"
                )));
            }
            Err(e) => return Err(ApiError::internal(e)),
        };
        let game = replay.header().game.clone();
        let plugin = crate::games::find(&game).ok_or_else(|| {
            ApiError::not_found(format!("match {id} is of an unknown game {game:?}"))
        })?;
        match plugin.viewer_data(&replay, &query) {
            None => Err(ApiError::not_found(format!(
                "{game} has no view data beyond its frames: GET /api/replays/{id}"
            ))),
            Some(Err(e)) => Err(ApiError::bad_request(e)),
            Some(Ok(v)) => Ok(Json(v)),
        }
    })
    .await
}
