//! The payloads the arena sends: round results, final standings, game
//! lists, replay headers, matches. One type each, shared by the tournament
//! runner (which builds them), the server's websocket and HTTP handlers
//! (which send them) and `arena agent` (which reads them), so the three
//! cannot disagree. A game's own frame and settings are the game's JSON
//! and cross this seam as [`serde_json::Value`]; nothing else does.
//!
//! JSON Schemas of these types are in `docs/schema/` (generated; a test
//! keeps them current).

use std::borrow::Cow;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

pub use arena_games::engine::{EndReason, MatchResult, PlayerResult};

pub use crate::builtin::AgentKind;
pub use crate::runner::StopKind;

/// A 64-bit seed. On the wire a decimal **string**: JavaScript's numbers
/// hold integers only up to 2^53, and seeds use all 64 bits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Seed(pub u64);

impl Serialize for Seed {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Seed {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = Cow::<str>::deserialize(d)?;
        text.parse::<u64>().map(Seed).map_err(|_| {
            serde::de::Error::custom(format!(
                "a seed is a decimal string of 0 to 18446744073709551615, not {text:?}"
            ))
        })
    }
}

impl JsonSchema for Seed {
    fn schema_name() -> Cow<'static, str> {
        "Seed".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "pattern": "^[0-9]{1,20}$",
            "description": "A 64-bit unsigned seed as a decimal string (JavaScript numbers lose integers above 2^53)."
        })
    }
}

impl std::fmt::Display for Seed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// A finished round: every player's line, as `round_finished` and the next
/// `round_started` carry it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RoundResults {
    /// The round (0 plays the starting codebases).
    pub round: u32,
    /// The player that won most simulations; `null` on a tie.
    pub winner: Option<String>,
    /// One line per player, in seat order.
    pub standings: Vec<RoundStanding>,
}

/// One player's line of a round.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RoundStanding {
    pub player: String,
    /// Simulations it placed first in, alone.
    pub sims_won: u64,
    /// Simulations it shared first place in.
    pub sims_shared_first: u64,
    /// Whether its codebase was valid (an invalid one forfeits the round).
    pub valid: bool,
    /// Why its codebase played (the agent's note) or was refused (the
    /// validator's reason). Left out for other players unless the
    /// tournament is `transparent`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The SHA-256 content hash of the codebase it played. Left out for
    /// other players unless the tournament is `transparent`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub codebase: Option<String>,
}

impl RoundResults {
    /// The results as player `me` may see them: everyone's standing, but
    /// only its own note and codebase hash unless `transparent`.
    pub fn view_for(&self, me: &str, transparent: bool) -> RoundResults {
        let mut view = self.clone();
        if !transparent {
            for row in view.standings.iter_mut().filter(|r| r.player != me) {
                row.note = None;
                row.codebase = None;
            }
        }
        view
    }

    /// The results with every note and hash left out (spectators').
    pub fn public(&self) -> RoundResults {
        self.view_for("", false)
    }

    /// The logs player `me` is shown: who won, everyone's simulations won,
    /// and its own note.
    pub fn logs_for(&self, me: &str) -> String {
        let winner = self.winner.as_deref().unwrap_or("nobody (a tie)");
        let mut text = format!("round {}: won by {winner}\n", self.round);
        for row in &self.standings {
            text.push_str(&format!(
                "  {}: {} simulations won\n",
                row.player, row.sims_won
            ));
            if row.player == me
                && let Some(note) = &row.note
            {
                text.push_str(&format!("  your submission: {note}\n"));
            }
        }
        text
    }

    /// A line for a terminal: who won, and what `me` won.
    pub fn summary_for(&self, me: &str) -> String {
        let winner = match &self.winner {
            Some(w) => format!("{w} won"),
            None => "a tie".to_owned(),
        };
        let mine = self
            .standings
            .iter()
            .find(|r| r.player == me)
            .map_or(0, |r| r.sims_won);
        format!(
            "round {} finished: {winner}; {me} won {mine} simulations",
            self.round
        )
    }
}

/// A tournament's table: `tournament_finished` sends it, and
/// `GET /api/tournaments/{name}` shows it as it stands.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Standings {
    /// The tournament's name.
    pub tournament: String,
    /// Rounds after round 0.
    pub rounds: u32,
    /// Simulations a round.
    pub sims: u32,
    /// Best first: most rounds won, then most simulations won.
    pub players: Vec<PlayerStanding>,
    /// How sure each round's result is, from round 0.
    pub round_confidence: Vec<RoundConfidence>,
}

/// How sure one round's result is.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RoundConfidence {
    pub round: u32,
    /// The round's winner (none on a tie).
    pub winner: Option<String>,
    /// Simulations each player won outright, in seat order.
    pub wins: Vec<u64>,
    /// CodeClash's p-value of the winner: one-sided binomial test of the
    /// top player's share against 1/K, times K.
    pub p_value: f64,
    /// The likelihood that the player with most wins is stronger than the
    /// runner-up, from their simulation wins.
    pub los: f64,
}

/// One player's line of the table.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PlayerStanding {
    pub name: String,
    pub round_wins: u64,
    pub sims_won: u64,
    /// Elo over rounds (each round a match placed by simulations won).
    pub elo: f64,
    /// The Codeforces-scale rating after the last round rated.
    pub codeforces: i32,
    /// CodeElo's performance rating: the mean over rounds of the rating
    /// whose expected rank among the other players (rated on the
    /// Codeforces scale before the round) equals the rank taken.
    pub codeelo: Option<f64>,
    /// Bradley-Terry Elo over every simulation, as CodeClash reports it
    /// (once the tournament finished).
    pub bradley_terry: Option<f64>,
    /// Its 95% interval (Hessian).
    pub bradley_terry_interval: Option<[f64; 2]>,
    /// The Codeforces-scale rating after each round, from round 0.
    pub codeforces_history: Vec<i32>,
    /// King of the Hill: its age, the rounds it played on the hill.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hill_age: Option<u32>,
}

/// A tournament as `list_tournaments` and `GET /api/tournaments` list it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TournamentSummary {
    pub id: i64,
    pub name: String,
    pub game: String,
    pub rules_version: String,
    pub state: crate::protocol::TournamentState,
    /// Players in the tournament.
    pub players: u32,
    /// Rounds whose results are stored (round 0 included).
    pub rounds_finished: u32,
}

/// A game of a tournament, as `list_games` lists it: stored (replay it by
/// `match_id`) or live (follow it by `game_id`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum GameEntry {
    Stored {
        match_id: i64,
        round: u32,
        sim: u32,
        turns: u64,
        /// Whether its replay is stored.
        replay: bool,
        /// In seat order, with their placements.
        players: Vec<GameSeat>,
    },
    Live {
        game_id: u64,
        /// `false` for a game that finished (kept two minutes for `resync`).
        live: bool,
        round: u32,
        sim: u32,
        /// Frames played so far.
        version: u64,
        /// In seat order, without placements.
        players: Vec<GameSeat>,
    },
}

/// Who played a seat of a game, and where it placed once it is over.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GameSeat {
    pub player: String,
    pub seat: u8,
    /// 1 is best; left out while the game is live.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub placement: Option<u32>,
}

/// A game's header, as `snapshot` and `replay_header` send it: the
/// replay's header with its seed as a string.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GameHeader {
    /// The replay format's version.
    pub format_version: u32,
    /// The game's name (`corewar`, `battlesnake`, ...).
    pub game: String,
    pub rules_version: String,
    pub seed: Seed,
    /// In seat order.
    pub players: Vec<HeaderPlayer>,
    /// The game's settings, as the game defines them.
    pub settings: Value,
    /// The result once the game is over (`null` while live).
    pub result: Option<MatchResult>,
}

/// One seat of a [`GameHeader`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HeaderPlayer {
    pub seat: u8,
    pub name: String,
    /// The SHA-256 content hash of the codebase that played. Left out for
    /// spectators of a tournament that is not `transparent` (it would tell
    /// the other agents when a player changed its code).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub codebase_hash: Option<String>,
}

impl GameHeader {
    /// The header without codebase hashes.
    pub fn without_hashes(mut self) -> GameHeader {
        for p in &mut self.players {
            p.codebase_hash = None;
        }
        self
    }
}

/// One practice simulation, in `practice_result`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PracticeSim {
    pub sim: u32,
    /// The agent's placement (1 is best).
    pub placement: u32,
    /// Why its game ended the way it did.
    pub reason: EndReason,
    pub turns: u64,
    /// How its program bot stopped, if it did (a bot at a URL or one that
    /// played to the end has none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bot_stopped: Option<StopKind>,
    /// The last lines of its bot's stderr when it stopped badly.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stderr_tail: Option<String>,
}

// ---------------------------------------------------------------------------
// HTTP responses (`arena serve`'s JSON read endpoints)

/// `GET /api/tournaments`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TournamentList {
    pub tournaments: Vec<TournamentSummary>,
}

/// `GET /api/tournaments/{name}`: the tournament, its players, its rounds
/// and its table as it stands.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TournamentDetail {
    pub id: i64,
    pub name: String,
    pub game: String,
    pub rules_version: String,
    pub seed: Seed,
    pub state: crate::protocol::TournamentState,
    /// The config as it was given (docs/config.md).
    pub config_toml: String,
    /// In seat order.
    pub players: Vec<PlayerEntry>,
    /// The rounds played so far.
    pub rounds: Vec<RoundEntry>,
    /// The same table `tournament_finished` sends (Bradley-Terry once the
    /// tournament finished).
    pub standings: Standings,
}

/// A player of a tournament.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PlayerEntry {
    pub seat: u32,
    pub name: String,
    /// Who edits its codebase (the config's `agent` key).
    pub agent: AgentKind,
}

/// A round played.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RoundEntry {
    pub round: u32,
    /// `null` on a tie.
    pub winner: Option<String>,
    /// Simulations stored.
    pub matches: u64,
}

/// `GET /api/matches/{id}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MatchDetail {
    pub id: i64,
    /// The tournament's name.
    pub tournament: String,
    pub game: String,
    pub round: u32,
    pub sim: u32,
    pub seed: Seed,
    pub turns: u64,
    /// Whether its replay is stored (`GET /api/replays/{id}`).
    pub replay: bool,
    /// In seat order.
    pub players: Vec<MatchSeat>,
}

/// One seat of a stored match.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MatchSeat {
    pub player: String,
    pub seat: u32,
    pub placement: u32,
    pub score: f64,
    /// How its game ended: an [`EndReason`]'s name, or the game's own
    /// word for it (a snake's elimination cause).
    pub reason: String,
    /// Why its bot stopped (games of bot programs).
    pub stop: Option<StopKind>,
}

/// The body of every HTTP error.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ApiErrorBody {
    pub error: ApiErrorDetail,
}

/// What went wrong.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ApiErrorDetail {
    pub code: ApiErrorCode,
    /// What is wrong and what to do.
    pub message: String,
}

/// An HTTP error's code; the status says the same.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ApiErrorCode {
    /// 404.
    NotFound,
    /// 400.
    BadRequest,
    /// 401: a private tournament's read without its spectator token
    /// (`Authorization: Bearer TOKEN`), or with another token.
    BadToken,
    /// 500.
    Internal,
    /// 503: the server is at its connection limit; retry later.
    Unavailable,
}
