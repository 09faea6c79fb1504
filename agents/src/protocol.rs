//! The websocket protocol: every message the server, the `arena agent`
//! client and spectators exchange, how a client message is checked, and the
//! error codes. `docs/protocol.md` is its written form; its JSON examples are
//! [`client_examples`] and [`server_examples`] serialized (a test keeps the
//! two the same).
//!
//! Every message is one JSON object in one websocket text frame, with a
//! `"type"`. A connection sends `hello` once, first; every later message is
//! checked against the role it gave ([`parse_client_message`]).

use std::collections::{BTreeMap, VecDeque};
use std::time::{Duration, Instant};

use crate::codebase::{File, Limits, Snapshot};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

pub use crate::wire::{
    GameEntry, GameHeader, GameSeat, HeaderPlayer, MatchResult, PlayerStanding, PracticeSim,
    RoundResults, RoundStanding, Seed, Standings, TournamentSummary,
};

/// The protocol's version; `hello` must carry it.
pub const PROTOCOL_VERSION: u32 = 1;

/// The largest message an agent may send: a codebase at the default limit
/// (10 MiB) in base64 (13.4 MiB) with room for the JSON around it.
pub const MAX_AGENT_MESSAGE_BYTES: usize = 16 << 20;
/// The largest message an admin may send (a tournament's TOML).
pub const MAX_ADMIN_MESSAGE_BYTES: usize = 1 << 20;
/// The largest message a spectator, or a connection before `hello`, may send.
pub const MAX_SPECTATOR_MESSAGE_BYTES: usize = 64 << 10;

/// Malformed messages a connection may send within [`STRIKE_WINDOW`]; the
/// next one closes it with [`CLOSE_POLICY_VIOLATION`].
pub const STRIKE_LIMIT: usize = 10;
/// The window [`STRIKE_LIMIT`] counts in.
pub const STRIKE_WINDOW: Duration = Duration::from_secs(60);
/// The websocket close code for a connection that keeps sending garbage
/// (RFC 6455: policy violation).
pub const CLOSE_POLICY_VIOLATION: u16 = 1008;

/// The most simulations one `practice` may ask for.
pub const MAX_PRACTICE_SIMS: u32 = 100;
/// The slowest and fastest replay speeds.
pub const MIN_SPEED: f64 = 0.01;
pub const MAX_SPEED: f64 = 100.0;
/// The longest name (player, opponent) or token a message may carry.
pub const MAX_NAME_BYTES: usize = 256;

/// The largest message `role` may send (before `hello`: a spectator's).
pub fn max_message_bytes(role: Option<Role>) -> usize {
    match role {
        Some(Role::Agent) => MAX_AGENT_MESSAGE_BYTES,
        Some(Role::Admin) => MAX_ADMIN_MESSAGE_BYTES,
        Some(Role::Spectator) | None => {
            // `hello` itself is small whatever role it names.
            MAX_SPECTATOR_MESSAGE_BYTES
        }
    }
}

/// Who a connection is; said once, in `hello`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Agent,
    Spectator,
    Admin,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Agent, Role::Spectator, Role::Admin];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Agent => "agent",
            Role::Spectator => "spectator",
            Role::Admin => "admin",
        }
    }
}

/// A tournament's state, as sent and as stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum TournamentState {
    Created,
    Running,
    Paused,
    Cancelled,
    Finished,
}

impl TournamentState {
    pub const ALL: [TournamentState; 5] = [
        TournamentState::Created,
        TournamentState::Running,
        TournamentState::Paused,
        TournamentState::Cancelled,
        TournamentState::Finished,
    ];

    /// Its name, as on the wire and in the arena's database.
    pub fn as_str(self) -> &'static str {
        match self {
            TournamentState::Created => "created",
            TournamentState::Running => "running",
            TournamentState::Paused => "paused",
            TournamentState::Cancelled => "cancelled",
            TournamentState::Finished => "finished",
        }
    }

    /// The state a name gives, if it is one.
    pub fn from_name(name: &str) -> Option<TournamentState> {
        Self::ALL.into_iter().find(|s| s.as_str() == name)
    }
}

/// A message from a client to the server.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum ClientMessage {
    /// First message of every connection.
    Hello {
        role: Role,
        /// An agent's or an admin's token; a spectator sends a private
        /// tournament's spectator token, or none.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        token: Option<String>,
        protocol_version: u32,
    },

    // agent
    /// The whole codebase for `round` (the round of the last `round_started`).
    Submit {
        round: u32,
        codebase: WireCodebase,
    },
    /// Play the current codebase against `opponent` for `sims` simulations.
    Practice {
        opponent: String,
        sims: u32,
    },
    /// A player's codebase as it played `round` (default: the last round
    /// played): the agent's own always, another player's only in a
    /// `transparent` tournament.
    GetCodebase {
        player: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        round: Option<u32>,
    },

    // spectator (admins may send these too)
    ListTournaments {},
    ListGames {
        tournament: i64,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        round: Option<u32>,
    },
    /// Follow a live game (its `game_id` from `list_games`): a `snapshot`,
    /// then every `live_frame`, then `game_finished`.
    Subscribe {
        game_id: u64,
    },
    Unsubscribe {
        game_id: u64,
    },
    /// Follow a live game from a version on: every frame after
    /// `from_version` (0: from its first frame), or a new `snapshot` when
    /// those frames are no longer kept.
    Resync {
        game_id: u64,
        from_version: u64,
    },
    /// Load a stored game; `play`, `pause`, `speed` and `seek` then drive it.
    Replay {
        match_id: i64,
    },
    Play {},
    Pause {},
    Speed {
        factor: f64,
    },
    Seek {
        turn: u64,
    },

    // admin
    /// The same TOML as `arena run`.
    CreateTournament {
        config_toml: String,
    },
    RegisterAgent {
        tournament: i64,
        player: String,
    },
    StartTournament {
        tournament: i64,
    },
    PauseTournament {
        tournament: i64,
    },
    ResumeTournament {
        tournament: i64,
    },
    CancelTournament {
        tournament: i64,
    },
}

/// Every `type` a client may send, in the order of [`ClientMessage`].
pub const CLIENT_TYPES: &[&str] = &[
    "hello",
    "submit",
    "practice",
    "get_codebase",
    "list_tournaments",
    "list_games",
    "subscribe",
    "unsubscribe",
    "resync",
    "replay",
    "play",
    "pause",
    "speed",
    "seek",
    "create_tournament",
    "register_agent",
    "start_tournament",
    "pause_tournament",
    "resume_tournament",
    "cancel_tournament",
];

impl ClientMessage {
    /// Its `type`.
    pub fn type_name(&self) -> &'static str {
        match self {
            ClientMessage::Hello { .. } => "hello",
            ClientMessage::Submit { .. } => "submit",
            ClientMessage::Practice { .. } => "practice",
            ClientMessage::GetCodebase { .. } => "get_codebase",
            ClientMessage::ListTournaments {} => "list_tournaments",
            ClientMessage::ListGames { .. } => "list_games",
            ClientMessage::Subscribe { .. } => "subscribe",
            ClientMessage::Unsubscribe { .. } => "unsubscribe",
            ClientMessage::Resync { .. } => "resync",
            ClientMessage::Replay { .. } => "replay",
            ClientMessage::Play {} => "play",
            ClientMessage::Pause {} => "pause",
            ClientMessage::Speed { .. } => "speed",
            ClientMessage::Seek { .. } => "seek",
            ClientMessage::CreateTournament { .. } => "create_tournament",
            ClientMessage::RegisterAgent { .. } => "register_agent",
            ClientMessage::StartTournament { .. } => "start_tournament",
            ClientMessage::PauseTournament { .. } => "pause_tournament",
            ClientMessage::ResumeTournament { .. } => "resume_tournament",
            ClientMessage::CancelTournament { .. } => "cancel_tournament",
        }
    }

    /// The message as one line of JSON.
    pub fn to_json(&self) -> String {
        to_json_line(self)
    }
}

/// The roles that may send a message of type `type_name` after `hello`;
/// `None` for a type the protocol does not have. `hello` is allowed for no
/// role: it is sent once, before any role is known.
pub fn roles_for_type(type_name: &str) -> Option<&'static [Role]> {
    const AGENT: &[Role] = &[Role::Agent];
    const READ: &[Role] = &[Role::Spectator, Role::Admin];
    const ADMIN: &[Role] = &[Role::Admin];
    Some(match type_name {
        "hello" => &[],
        "submit" | "practice" | "get_codebase" => AGENT,
        "list_tournaments" | "list_games" | "subscribe" | "unsubscribe" | "resync" | "replay"
        | "play" | "pause" | "speed" | "seek" => READ,
        "create_tournament" | "register_agent" | "start_tournament" | "pause_tournament"
        | "resume_tournament" | "cancel_tournament" => ADMIN,
        _ => return None,
    })
}

/// A message from the server to a client.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ServerMessage {
    /// The answer to `hello`: the role, and for an agent its player and
    /// tournament.
    Welcome {
        protocol_version: u32,
        role: Role,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        player: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        tournament: Option<i64>,
    },

    // agent
    /// An edit phase began (sent again to an agent that reconnects during it).
    RoundStarted {
        tournament: i64,
        round: u32,
        deadline_unix_ms: u64,
        /// The previous round's results (round 1 gets round 0's), as this
        /// agent may see them.
        results: RoundResults,
        /// The logs this agent may see.
        logs: String,
        /// The agent's current codebase, with its hash.
        codebase: WireCodebase,
    },
    SubmissionAccepted {
        round: u32,
        hash: String,
    },
    /// The validator's reason; the agent may submit again before the deadline.
    SubmissionRejected {
        round: u32,
        reason: String,
    },
    /// The answer to `get_codebase`.
    Codebase {
        player: String,
        round: u32,
        codebase: WireCodebase,
    },
    PracticeResult {
        round: u32,
        opponent: String,
        sims: u32,
        wins: u32,
        losses: u32,
        draws: u32,
        /// Each simulation.
        results: Vec<PracticeSim>,
    },
    /// A round was played (round 0 included), as this agent may see it.
    RoundFinished {
        tournament: i64,
        round: u32,
        results: RoundResults,
    },
    TournamentFinished {
        tournament: i64,
        standings: Standings,
    },
    /// An admin cancelled the tournament: nothing more will be played, an
    /// open edit phase is closed, and the agent may exit.
    TournamentCancelled {
        tournament: i64,
    },

    // spectator
    Tournaments {
        tournaments: Vec<TournamentSummary>,
    },
    /// The answer to `list_games`; `round` echoes the request's.
    Games {
        tournament: i64,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        round: Option<u32>,
        games: Vec<GameEntry>,
    },
    /// A live game when subscribing: its replay header and its latest
    /// frame, which has `version` (0 and `null` before the first frame);
    /// the next `live_frame` has `version + 1`.
    Snapshot {
        game_id: u64,
        version: u64,
        header: GameHeader,
        /// The game's own frame (`null` before the first).
        frame: Value,
    },
    /// One frame of a live game: versions go up by one from 1 (version `v`
    /// is turn `v - 1`), so a gap shows.
    LiveFrame {
        game_id: u64,
        version: u64,
        turn: u64,
        frame: Value,
    },
    /// One frame of a replay; versions go up by one per frame sent on this
    /// connection.
    Frame {
        match_id: i64,
        version: u64,
        turn: u64,
        frame: Value,
    },
    /// A live game ended after its frame `version`; it is stored as
    /// `match_id` (for `replay`).
    GameFinished {
        game_id: u64,
        version: u64,
        match_id: i64,
        result: MatchResult,
    },
    Unsubscribed {
        game_id: u64,
    },
    /// The answer to `replay`: the stored game's header and length.
    ReplayHeader {
        match_id: i64,
        /// Frames in the replay; turns run from 0 to `frames - 1`.
        frames: u64,
        /// Whether the game ended (a live game's replay grows).
        finished: bool,
        header: GameHeader,
    },
    /// The answer to `play`, `pause`, `speed` and `seek`: `turn` is the next
    /// frame to be sent.
    ReplayState {
        match_id: i64,
        playing: bool,
        speed: f64,
        turn: u64,
        frames: u64,
    },
    /// The replay's last frame was sent.
    ReplayEnd {
        match_id: i64,
        version: u64,
    },

    // admin
    TournamentCreated {
        tournament: i64,
        name: String,
    },
    AgentRegistered {
        tournament: i64,
        player: String,
        /// Shown once; the server stores only its hash.
        token: String,
    },
    /// The answer to `start_tournament`, `pause_tournament`,
    /// `resume_tournament` and `cancel_tournament`.
    TournamentUpdated {
        tournament: i64,
        state: TournamentState,
    },

    /// Any request that failed; the connection stays usable (unless closed
    /// with 1008 after too many).
    Error {
        code: ErrorCode,
        message: String,
        /// The `type` of the message this answers, when it could be read.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        in_reply_to: Option<String>,
    },
}

/// Every `type` the server sends, in the order of [`ServerMessage`].
pub const SERVER_TYPES: &[&str] = &[
    "welcome",
    "round_started",
    "submission_accepted",
    "submission_rejected",
    "codebase",
    "practice_result",
    "round_finished",
    "tournament_finished",
    "tournament_cancelled",
    "tournaments",
    "games",
    "snapshot",
    "live_frame",
    "frame",
    "game_finished",
    "unsubscribed",
    "replay_header",
    "replay_state",
    "replay_end",
    "tournament_created",
    "agent_registered",
    "tournament_updated",
    "error",
];

impl ServerMessage {
    pub fn type_name(&self) -> &'static str {
        match self {
            ServerMessage::Welcome { .. } => "welcome",
            ServerMessage::RoundStarted { .. } => "round_started",
            ServerMessage::SubmissionAccepted { .. } => "submission_accepted",
            ServerMessage::SubmissionRejected { .. } => "submission_rejected",
            ServerMessage::Codebase { .. } => "codebase",
            ServerMessage::PracticeResult { .. } => "practice_result",
            ServerMessage::RoundFinished { .. } => "round_finished",
            ServerMessage::TournamentFinished { .. } => "tournament_finished",
            ServerMessage::TournamentCancelled { .. } => "tournament_cancelled",
            ServerMessage::Tournaments { .. } => "tournaments",
            ServerMessage::Games { .. } => "games",
            ServerMessage::Snapshot { .. } => "snapshot",
            ServerMessage::LiveFrame { .. } => "live_frame",
            ServerMessage::Frame { .. } => "frame",
            ServerMessage::GameFinished { .. } => "game_finished",
            ServerMessage::Unsubscribed { .. } => "unsubscribed",
            ServerMessage::ReplayHeader { .. } => "replay_header",
            ServerMessage::ReplayState { .. } => "replay_state",
            ServerMessage::ReplayEnd { .. } => "replay_end",
            ServerMessage::TournamentCreated { .. } => "tournament_created",
            ServerMessage::AgentRegistered { .. } => "agent_registered",
            ServerMessage::TournamentUpdated { .. } => "tournament_updated",
            ServerMessage::Error { .. } => "error",
        }
    }

    /// The message as one line of JSON, for a websocket text frame.
    pub fn to_json(&self) -> String {
        to_json_line(self)
    }

    /// An `error` message.
    pub fn error(code: ErrorCode, message: impl Into<String>, in_reply_to: Option<&str>) -> Self {
        ServerMessage::Error {
            code,
            message: message.into(),
            in_reply_to: in_reply_to.map(str::to_owned),
        }
    }
}

fn to_json_line<T: Serialize>(msg: &T) -> String {
    // Our own types hold only strings, numbers, maps with string keys and
    // JSON values, so serializing cannot fail; say so if it ever does.
    serde_json::to_string(msg).unwrap_or_else(|e| {
        format!(r#"{{"type":"error","code":"internal","message":"cannot serialize: {e}"}}"#)
    })
}

/// Why a request failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// Not JSON, or not a JSON object.
    BadJson,
    /// A `type` the protocol does not have (or none).
    UnknownType,
    /// A field missing, unknown, of the wrong type or out of range.
    BadField,
    /// A `type` the connection's role may not send.
    NotAllowedForRole,
    /// `hello` with a `protocol_version` this server does not speak.
    UnsupportedVersion,
    /// `hello` with a token the server does not know, or a spectator asking
    /// for a private tournament's games without its spectator token.
    BadToken,
    /// An agent acting for, or reading, another player.
    NotYourPlayer,
    /// A message over the size limit, or a codebase over its limits.
    TooLarge,
    /// Too many requests; wait and retry.
    RateLimited,
    /// No such tournament, player, match or replay.
    NotFound,
    /// Not now: before `hello`, a second `hello`, a submission for a round
    /// that is not open, a replay control with no replay loaded.
    OutOfOrder,
    /// The server failed; the request may be retried.
    Internal,
}

impl ErrorCode {
    pub const ALL: [ErrorCode; 12] = [
        ErrorCode::BadJson,
        ErrorCode::UnknownType,
        ErrorCode::BadField,
        ErrorCode::NotAllowedForRole,
        ErrorCode::UnsupportedVersion,
        ErrorCode::BadToken,
        ErrorCode::NotYourPlayer,
        ErrorCode::TooLarge,
        ErrorCode::RateLimited,
        ErrorCode::NotFound,
        ErrorCode::OutOfOrder,
        ErrorCode::Internal,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::BadJson => "bad_json",
            ErrorCode::UnknownType => "unknown_type",
            ErrorCode::BadField => "bad_field",
            ErrorCode::NotAllowedForRole => "not_allowed_for_role",
            ErrorCode::UnsupportedVersion => "unsupported_version",
            ErrorCode::BadToken => "bad_token",
            ErrorCode::NotYourPlayer => "not_your_player",
            ErrorCode::TooLarge => "too_large",
            ErrorCode::RateLimited => "rate_limited",
            ErrorCode::NotFound => "not_found",
            ErrorCode::OutOfOrder => "out_of_order",
            ErrorCode::Internal => "internal",
        }
    }

    /// What the client should do about it.
    pub fn hint(self) -> &'static str {
        match self {
            ErrorCode::BadJson => "send one JSON object per websocket text message",
            ErrorCode::UnknownType => "use a \"type\" listed in docs/protocol.md",
            ErrorCode::BadField => "fix the named field as docs/protocol.md describes it",
            ErrorCode::NotAllowedForRole => {
                "open a connection with a role that may send it (docs/protocol.md)"
            }
            ErrorCode::UnsupportedVersion => "speak the protocol_version this server names",
            ErrorCode::BadToken => {
                "use the token register_agent returned, the admin token, or a private tournament's spectator token"
            }
            ErrorCode::NotYourPlayer => "act only for the player your token names",
            ErrorCode::TooLarge => "send less: see the limits in docs/protocol.md",
            ErrorCode::RateLimited => "then send it again",
            ErrorCode::NotFound => "check the id; list_tournaments and list_games show them",
            ErrorCode::OutOfOrder => "wait for the message that opens this step, then retry",
            ErrorCode::Internal => "retry later; the server logged the failure",
        }
    }

    /// Whether it counts as a strike towards closing the connection: a
    /// client's fault, not the server's or a missing id's.
    pub fn is_strike(self) -> bool {
        !matches!(
            self,
            ErrorCode::NotFound | ErrorCode::RateLimited | ErrorCode::Internal
        )
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A client message refused: the code, a text that says what is wrong and
/// what to do, the field at fault and the `type` it answers when known.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProtocolError {
    pub code: ErrorCode,
    pub message: String,
    pub field: Option<String>,
    pub in_reply_to: Option<String>,
}

impl ProtocolError {
    pub fn new(code: ErrorCode, what: impl std::fmt::Display) -> Self {
        ProtocolError {
            code,
            message: format!("{what}; {}", code.hint()),
            field: None,
            in_reply_to: None,
        }
    }

    /// A `bad_field` error naming `field` (a dotted path for nested ones).
    pub fn bad_field(field: &str, what: impl std::fmt::Display) -> Self {
        let mut e = ProtocolError::new(ErrorCode::BadField, format!("field `{field}`: {what}"));
        e.field = Some(field.to_owned());
        e
    }

    /// The same error, answering a message of type `type_name`.
    pub fn in_reply_to(mut self, type_name: &str) -> Self {
        self.in_reply_to = Some(type_name.to_owned());
        self
    }

    /// The `error` message to send back.
    pub fn to_message(&self) -> ServerMessage {
        ServerMessage::Error {
            code: self.code,
            message: self.message.clone(),
            in_reply_to: self.in_reply_to.clone(),
        }
    }
}

impl std::fmt::Display for ProtocolError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for ProtocolError {}

/// Reads and checks one client message, in this order: size (over
/// `max_bytes` is `too_large`, before any parsing), JSON syntax (`bad_json`),
/// a known `type` (`unknown_type`), the order (`hello` first and once:
/// `out_of_order`) and the role (`not_allowed_for_role`), then every field
/// (`bad_field`, naming the field; `unsupported_version` for `hello`; a
/// codebase over the default [`Limits`] is `too_large`). `role` is `None`
/// until the connection's `hello` was accepted.
pub fn parse_client_message(
    text: &str,
    role: Option<Role>,
    max_bytes: usize,
) -> Result<ClientMessage, ProtocolError> {
    if text.len() > max_bytes {
        return Err(ProtocolError::new(
            ErrorCode::TooLarge,
            format!(
                "the message is {} bytes, over this connection's limit of {max_bytes}",
                text.len()
            ),
        ));
    }
    // Syntax and `type` first, without building the message: the rest of
    // the object is only scanned.
    if !text.trim_start().starts_with('{') {
        return Err(match serde_json::from_str::<serde::de::IgnoredAny>(text) {
            Err(e) => ProtocolError::new(ErrorCode::BadJson, format!("not JSON: {e}")),
            Ok(_) => ProtocolError::new(ErrorCode::BadJson, "a message must be a JSON object"),
        });
    }
    #[derive(Deserialize)]
    struct Envelope {
        #[serde(rename = "type", default)]
        type_name: Option<Value>,
    }
    let envelope: Envelope = serde_json::from_str(text)
        .map_err(|e| ProtocolError::new(ErrorCode::BadJson, format!("not JSON: {e}")))?;
    let type_name = match &envelope.type_name {
        Some(Value::String(t)) => t.as_str(),
        Some(_) => {
            return Err(ProtocolError::new(
                ErrorCode::UnknownType,
                "`type` must be a string",
            ));
        }
        None => {
            return Err(ProtocolError::new(
                ErrorCode::UnknownType,
                "the message has no `type`",
            ));
        }
    };
    let Some(roles) = roles_for_type(type_name) else {
        return Err(ProtocolError::new(
            ErrorCode::UnknownType,
            format!("unknown type `{}`", clip(type_name)),
        ));
    };
    match role {
        None if type_name != "hello" => {
            return Err(ProtocolError::new(
                ErrorCode::OutOfOrder,
                format!("`{type_name}` before `hello`: send `hello` first"),
            )
            .in_reply_to(type_name));
        }
        Some(r) if type_name == "hello" => {
            return Err(ProtocolError::new(
                ErrorCode::OutOfOrder,
                format!(
                    "a second `hello`: this connection is already a {}",
                    r.as_str()
                ),
            )
            .in_reply_to(type_name));
        }
        Some(r) if !roles.contains(&r) => {
            return Err(ProtocolError::new(
                ErrorCode::NotAllowedForRole,
                format!("a {} may not send `{type_name}`", r.as_str()),
            )
            .in_reply_to(type_name));
        }
        _ => {}
    }
    let msg = deserialize_fields(text).map_err(|e| e.in_reply_to(type_name))?;
    validate(&msg).map_err(|e| e.in_reply_to(type_name))?;
    Ok(msg)
}

/// Reads a server message (for `arena agent`, spectators' clients and
/// tests). Unlike the server, a client tolerates unknown fields, so a newer
/// server may add some.
pub fn parse_server_message(text: &str) -> Result<ServerMessage, serde_json::Error> {
    serde_json::from_str(text)
}

/// A string cut to a length fit for an error message.
fn clip(s: &str) -> String {
    clip_to(s, 64)
}

/// `s` cut to at most `max` bytes (on a character boundary), marked `...`.
fn clip_to(s: &str, max: usize) -> String {
    if s.len() <= max {
        return s.to_owned();
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}...", &s[..end])
}

/// Deserializes a message whose `type` is known, naming the field at fault.
fn deserialize_fields(text: &str) -> Result<ClientMessage, ProtocolError> {
    if let Ok(msg) = serde_json::from_str::<ClientMessage>(text) {
        return Ok(msg);
    }
    // Only on this error path is the message read as a JSON tree, then read
    // again through a deserializer whose errors are typed ([`FieldError`]),
    // so the field at fault is known without reading serde's text.
    // (serde_path_to_error cannot name it: an internally tagged enum's
    // fields are read from serde's buffer, past its wrapper, so the path
    // comes back empty; dtolnay/path-to-error#1.)
    let obj = match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(obj)) => obj,
        Ok(_) => return Err(ProtocolError::new(ErrorCode::BadJson, "not a JSON object")),
        Err(e) => {
            return Err(ProtocolError::new(
                ErrorCode::BadJson,
                format!("not JSON: {e}"),
            ));
        }
    };
    let invalid = match from_fields(&obj) {
        Ok(msg) => return Ok(msg),
        Err(FieldError::Missing(name)) => return Err(ProtocolError::bad_field(name, "missing")),
        Err(FieldError::Unknown(name)) => {
            return Err(ProtocolError::bad_field(
                &clip(&name),
                "not a field of this message",
            ));
        }
        // serde quotes the offending value: keep an error short whatever
        // was sent.
        Err(FieldError::Invalid(what)) => clip_to(&what, 300),
    };
    // A value of the wrong type or out of range: the culprit is the field
    // whose removal leaves only itself missing (or nothing) to complain
    // about.
    for key in obj.keys().filter(|k| k.as_str() != "type") {
        let mut without = obj.clone();
        without.remove(key);
        let culprit = match from_fields(&without) {
            Ok(_) => true,
            Err(FieldError::Missing(name)) => name == key,
            Err(_) => false,
        };
        if culprit {
            return Err(ProtocolError::bad_field(key, invalid));
        }
    }
    Err(ProtocolError::new(ErrorCode::BadField, invalid))
}

/// A client message from its fields, with typed errors.
fn from_fields(obj: &serde_json::Map<String, Value>) -> Result<ClientMessage, FieldError> {
    let map = serde::de::value::MapDeserializer::new(
        obj.iter().map(|(k, v)| (k.as_str(), TreeDeserializer(v))),
    );
    ClientMessage::deserialize(serde::de::value::MapAccessDeserializer::new(map))
}

/// Why fields do not make a message, as serde reports it through
/// [`serde::de::Error`]'s constructors: the field's name comes typed.
#[derive(Debug)]
enum FieldError {
    Missing(&'static str),
    Unknown(String),
    /// A value of the wrong type or out of range (serde's words).
    Invalid(String),
}

impl std::fmt::Display for FieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FieldError::Missing(name) => write!(f, "missing field `{name}`"),
            FieldError::Unknown(name) => write!(f, "unknown field `{name}`"),
            FieldError::Invalid(what) => f.write_str(what),
        }
    }
}

impl std::error::Error for FieldError {}

impl serde::de::Error for FieldError {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        FieldError::Invalid(msg.to_string())
    }

    fn missing_field(field: &'static str) -> Self {
        FieldError::Missing(field)
    }

    fn unknown_field(field: &str, _expected: &'static [&'static str]) -> Self {
        FieldError::Unknown(field.to_owned())
    }
}

/// Reads a JSON tree with [`FieldError`]s (serde_json's own tree
/// deserializer has serde_json's error type, whose details are text).
#[derive(Clone, Copy)]
struct TreeDeserializer<'a>(&'a Value);

impl<'de> serde::de::IntoDeserializer<'de, FieldError> for TreeDeserializer<'de> {
    type Deserializer = Self;

    fn into_deserializer(self) -> Self {
        self
    }
}

impl<'de> serde::Deserializer<'de> for TreeDeserializer<'de> {
    type Error = FieldError;

    fn deserialize_any<V: serde::de::Visitor<'de>>(
        self,
        visitor: V,
    ) -> Result<V::Value, FieldError> {
        use serde::de::value::{MapDeserializer, SeqDeserializer};
        match self.0 {
            Value::Null => visitor.visit_unit(),
            Value::Bool(b) => visitor.visit_bool(*b),
            Value::Number(n) => {
                if let Some(u) = n.as_u64() {
                    visitor.visit_u64(u)
                } else if let Some(i) = n.as_i64() {
                    visitor.visit_i64(i)
                } else {
                    visitor.visit_f64(n.as_f64().unwrap_or(f64::NAN))
                }
            }
            Value::String(s) => visitor.visit_borrowed_str(s),
            Value::Array(items) => {
                let mut seq = SeqDeserializer::new(items.iter().map(TreeDeserializer));
                let value = visitor.visit_seq(&mut seq)?;
                seq.end()?;
                Ok(value)
            }
            Value::Object(obj) => {
                let mut map = MapDeserializer::new(
                    obj.iter().map(|(k, v)| (k.as_str(), TreeDeserializer(v))),
                );
                let value = visitor.visit_map(&mut map)?;
                map.end()?;
                Ok(value)
            }
        }
    }

    fn deserialize_option<V: serde::de::Visitor<'de>>(
        self,
        visitor: V,
    ) -> Result<V::Value, FieldError> {
        match self.0 {
            Value::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_newtype_struct<V: serde::de::Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, FieldError> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: serde::de::Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, FieldError> {
        // The protocol's enums are unit variants named by a string.
        match self.0 {
            Value::String(s) => {
                use serde::de::IntoDeserializer;
                visitor.visit_enum(s.as_str().into_deserializer())
            }
            _ => self.deserialize_any(visitor),
        }
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct seq tuple
        tuple_struct map struct identifier ignored_any
    }
}

/// The checks serde cannot make: version, tokens, names, ranges, codebases.
fn validate(msg: &ClientMessage) -> Result<(), ProtocolError> {
    match msg {
        ClientMessage::Hello {
            role,
            token,
            protocol_version,
        } => {
            if *protocol_version != PROTOCOL_VERSION {
                return Err(ProtocolError::new(
                    ErrorCode::UnsupportedVersion,
                    format!(
                        "this server speaks protocol_version {PROTOCOL_VERSION}, not {protocol_version}"
                    ),
                ));
            }
            match (role, token) {
                (Role::Agent | Role::Admin, None) => {
                    return Err(ProtocolError::bad_field(
                        "token",
                        format!("missing: an {} must send its token", role.as_str()),
                    ));
                }
                (_, Some(t)) => check_name("token", t)?,
                (Role::Spectator, None) => {}
            }
        }
        ClientMessage::Submit { codebase, .. } => {
            codebase
                .to_snapshot(&Limits::default())
                .map_err(|e| e.into_protocol_error())?;
        }
        ClientMessage::GetCodebase { player, .. } => check_name("player", player)?,
        ClientMessage::Practice { opponent, sims } => {
            check_name("opponent", opponent)?;
            if *sims == 0 || *sims > MAX_PRACTICE_SIMS {
                return Err(ProtocolError::bad_field(
                    "sims",
                    format!("{sims} is not between 1 and {MAX_PRACTICE_SIMS}"),
                ));
            }
        }
        ClientMessage::Speed { factor } if !(MIN_SPEED..=MAX_SPEED).contains(factor) => {
            return Err(ProtocolError::bad_field(
                "factor",
                format!("{factor} is not between {MIN_SPEED} and {MAX_SPEED}"),
            ));
        }
        ClientMessage::RegisterAgent { player, .. } => check_name("player", player)?,
        ClientMessage::CreateTournament { config_toml } if config_toml.trim().is_empty() => {
            return Err(ProtocolError::bad_field("config_toml", "empty"));
        }
        _ => {}
    }
    Ok(())
}

fn check_name(field: &str, s: &str) -> Result<(), ProtocolError> {
    if s.is_empty() {
        return Err(ProtocolError::bad_field(field, "empty"));
    }
    if s.len() > MAX_NAME_BYTES {
        return Err(ProtocolError::bad_field(
            field,
            format!("longer than {MAX_NAME_BYTES} bytes"),
        ));
    }
    if s.chars().any(char::is_control) {
        return Err(ProtocolError::bad_field(field, "holds a control character"));
    }
    Ok(())
}

/// Counts a connection's malformed messages: [`STRIKE_LIMIT`] within
/// [`STRIKE_WINDOW`] are tolerated (each answered with an `error`); one more
/// and the server closes the connection with [`CLOSE_POLICY_VIOLATION`].
#[derive(Clone, Debug)]
pub struct Strikes {
    limit: usize,
    window: Duration,
    recent: VecDeque<Instant>,
}

impl Default for Strikes {
    fn default() -> Self {
        Strikes::new(STRIKE_LIMIT, STRIKE_WINDOW)
    }
}

impl Strikes {
    pub fn new(limit: usize, window: Duration) -> Self {
        Strikes {
            limit,
            window,
            recent: VecDeque::new(),
        }
    }

    /// Records a strike at `now`; `true` when the connection must be closed
    /// (more than the limit within the window).
    pub fn strike(&mut self, now: Instant) -> bool {
        while let Some(&t) = self.recent.front() {
            if now.saturating_duration_since(t) >= self.window {
                self.recent.pop_front();
            } else {
                break;
            }
        }
        self.recent.push_back(now);
        // Keep at most limit + 1 instants: memory stays bounded.
        while self.recent.len() > self.limit.saturating_add(1) {
            self.recent.pop_front();
        }
        self.recent.len() > self.limit
    }

    /// Records `error` if it is a strike; `true` when the connection must close.
    pub fn record(&mut self, code: ErrorCode, now: Instant) -> bool {
        code.is_strike() && self.strike(now)
    }

    /// Strikes within the window as of the last one recorded.
    pub fn count(&self) -> usize {
        self.recent.len()
    }
}

// ---------------------------------------------------------------------------
// Codebases on the wire

/// A codebase as JSON: files by relative path (with `/`). A file is a
/// string (UTF-8 text, not executable) or an object with `base64` (or
/// `text`) and `executable`. The server always sends `hash`; a client may
/// leave it out, and if it sends one it must match the files.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WireCodebase {
    pub files: BTreeMap<String, WireFile>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hash: Option<String>,
}

/// One file of a [`WireCodebase`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum WireFile {
    /// UTF-8 text, not executable.
    Text(String),
    /// Bytes in standard base64 (with padding), or text, and the mode bit.
    Encoded {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        base64: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        text: Option<String>,
        #[serde(default)]
        executable: bool,
    },
}

/// Why a [`WireCodebase`] is not a valid codebase.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WireCodebaseError {
    #[error("codebase.files[{path:?}]: {reason}")]
    BadPath { path: String, reason: &'static str },
    #[error("codebase.files[{path:?}]: {reason}")]
    BadFile { path: String, reason: String },
    #[error("codebase.files: more than {max} files")]
    TooManyFiles { max: usize },
    #[error("codebase.files[{path:?}]: over the {max}-byte limit for one file")]
    FileTooLarge { path: String, max: u64 },
    #[error("codebase: larger than {max} bytes in all")]
    TooLarge { max: u64 },
    #[error("codebase.hash: {given} is not the files' hash {actual}")]
    HashMismatch { given: String, actual: String },
}

impl WireCodebaseError {
    /// As the error a client gets: `too_large` for a limit, else `bad_field`.
    pub fn into_protocol_error(self) -> ProtocolError {
        let code = match self {
            WireCodebaseError::TooManyFiles { .. }
            | WireCodebaseError::FileTooLarge { .. }
            | WireCodebaseError::TooLarge { .. } => ErrorCode::TooLarge,
            _ => ErrorCode::BadField,
        };
        let field = match &self {
            WireCodebaseError::BadPath { path, .. }
            | WireCodebaseError::BadFile { path, .. }
            | WireCodebaseError::FileTooLarge { path, .. } => {
                format!("codebase.files[{path:?}]")
            }
            WireCodebaseError::HashMismatch { .. } => "codebase.hash".to_owned(),
            _ => "codebase.files".to_owned(),
        };
        let mut e = ProtocolError::new(code, &self);
        e.field = Some(field);
        e
    }
}

impl WireCodebase {
    /// The snapshot on the wire: text files as strings, others in base64.
    pub fn from_snapshot(snapshot: &Snapshot) -> WireCodebase {
        let files = snapshot
            .files()
            .iter()
            .map(|(path, file)| {
                let wire = match std::str::from_utf8(&file.bytes) {
                    Ok(text) if !file.executable => WireFile::Text(text.to_owned()),
                    _ => WireFile::Encoded {
                        base64: Some(base64_encode(&file.bytes)),
                        text: None,
                        executable: file.executable,
                    },
                };
                (path.clone(), wire)
            })
            .collect();
        WireCodebase {
            files,
            hash: Some(snapshot.hash().to_owned()),
        }
    }

    /// The snapshot it describes, within `limits`: paths must be relative,
    /// `/`-separated, without `.`/`..`/empty parts, NUL or backslash, and no
    /// deeper than `limits.max_depth`; a given hash must match.
    pub fn to_snapshot(&self, limits: &Limits) -> Result<Snapshot, WireCodebaseError> {
        if self.files.len() > limits.max_files {
            return Err(WireCodebaseError::TooManyFiles {
                max: limits.max_files,
            });
        }
        let mut files = BTreeMap::new();
        let mut total = 0u64;
        for (path, wire) in &self.files {
            check_path(path, limits)?;
            let bad = |reason: &str| WireCodebaseError::BadFile {
                path: path.clone(),
                reason: reason.to_owned(),
            };
            let too_large = || WireCodebaseError::FileTooLarge {
                path: path.clone(),
                max: limits.max_file_bytes,
            };
            let (bytes, executable) = match wire {
                WireFile::Text(text) => (text.as_bytes().to_vec(), false),
                WireFile::Encoded {
                    base64,
                    text,
                    executable,
                } => {
                    let bytes = match (base64, text) {
                        (Some(b64), None) => {
                            // Bound the decoded size before decoding.
                            if (b64.len() as u64 / 4) * 3 > limits.max_file_bytes.saturating_add(3)
                            {
                                return Err(too_large());
                            }
                            base64_decode(b64).ok_or_else(|| bad("`base64` is not valid base64"))?
                        }
                        (None, Some(text)) => text.as_bytes().to_vec(),
                        _ => return Err(bad("give exactly one of `base64` and `text`")),
                    };
                    (bytes, *executable)
                }
            };
            let size = bytes.len() as u64;
            if size > limits.max_file_bytes {
                return Err(too_large());
            }
            total += size;
            if total > limits.max_bytes {
                return Err(WireCodebaseError::TooLarge {
                    max: limits.max_bytes,
                });
            }
            files.insert(path.clone(), File { bytes, executable });
        }
        let snapshot = Snapshot::from_files(files);
        if let Some(given) = &self.hash
            && given != snapshot.hash()
        {
            return Err(WireCodebaseError::HashMismatch {
                given: clip(given),
                actual: snapshot.hash().to_owned(),
            });
        }
        Ok(snapshot)
    }
}

fn check_path(path: &str, limits: &Limits) -> Result<(), WireCodebaseError> {
    let bad = |reason: &'static str| WireCodebaseError::BadPath {
        path: clip(path),
        reason,
    };
    if path.is_empty() {
        return Err(bad("an empty path"));
    }
    if path.contains('\0') {
        return Err(bad("a path with NUL"));
    }
    if path.starts_with('/') {
        return Err(bad("an absolute path; give it relative to the codebase"));
    }
    if path.contains('\\') {
        return Err(bad("a backslash; separate directories with `/`"));
    }
    let mut depth = 0;
    for part in path.split('/') {
        match part {
            ".." => return Err(bad("`..` in a path; paths stay inside the codebase")),
            "." | "" => return Err(bad("an empty or `.` part in a path")),
            _ => depth += 1,
        }
    }
    if depth - 1 > limits.max_depth {
        return Err(bad("nested deeper than the codebase limit"));
    }
    Ok(())
}

/// Standard base64 with padding.
pub fn base64_encode(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// Decodes standard base64 with padding; `None` if it is not.
pub fn base64_decode(text: &str) -> Option<Vec<u8>> {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.decode(text).ok()
}

// ---------------------------------------------------------------------------
// Examples: one of each message, as docs/protocol.md shows them.

/// The example codebase of the docs.
pub fn example_codebase() -> Snapshot {
    let mut files = BTreeMap::new();
    files.insert(
        "warrior.red".to_owned(),
        File {
            bytes: b";redcode-94\nMOV 0, 1\n".to_vec(),
            executable: false,
        },
    );
    files.insert(
        "run.sh".to_owned(),
        File {
            bytes: b"#!/bin/sh\n".to_vec(),
            executable: true,
        },
    );
    Snapshot::from_files(files)
}

/// The example round results: `winner` won `wins[0]`/`wins[1]` of
/// alice's/bob's simulations.
fn example_results(round: u32, winner: &str, wins: [u64; 2]) -> RoundResults {
    let hash = example_codebase().hash().to_owned();
    let row = |player: &str, sims_won: u64| RoundStanding {
        player: player.to_owned(),
        sims_won,
        sims_shared_first: 0,
        valid: true,
        note: Some("submitted by the remote agent".to_owned()),
        codebase: Some(hash.clone()),
    };
    RoundResults {
        round,
        winner: Some(winner.to_owned()),
        standings: vec![row("alice", wins[0]), row("bob", wins[1])],
    }
}

fn example_standings() -> Standings {
    let row = |name: &str, round_wins, sims_won, elo, codeforces| PlayerStanding {
        name: name.to_owned(),
        round_wins,
        sims_won,
        elo,
        codeforces,
        codeelo: Some(f64::from(codeforces)),
        bradley_terry: Some(elo),
        bradley_terry_interval: Some([elo - 40.0, elo + 40.0]),
        codeforces_history: vec![1500, codeforces],
        hill_age: None,
    };
    Standings {
        tournament: "demo".to_owned(),
        rounds: 2,
        sims: 10,
        players: vec![
            row("alice", 2, 16, 1016.0, 1523),
            row("bob", 1, 14, 984.0, 1477),
        ],
        round_confidence: vec![crate::wire::RoundConfidence {
            round: 1,
            winner: Some("alice".to_owned()),
            wins: vec![8, 2],
            p_value: 0.109,
            los: 0.97,
        }],
    }
}

fn seat(player: &str, seat: u8, placement: Option<u32>) -> GameSeat {
    GameSeat {
        player: player.to_owned(),
        seat,
        placement,
    }
}

fn example_result(turns: u64) -> MatchResult {
    use crate::wire::{EndReason, PlayerResult};
    MatchResult {
        turns,
        players: vec![
            PlayerResult {
                seat: 0,
                placement: 1,
                score: 1.0,
                reason: EndReason::Won,
            },
            PlayerResult {
                seat: 1,
                placement: 2,
                score: 0.0,
                reason: EndReason::Eliminated,
            },
        ],
    }
}

fn example_header(players: [&str; 2], result: Option<MatchResult>) -> GameHeader {
    GameHeader {
        format_version: 1,
        game: "battlesnake".to_owned(),
        rules_version: "standard-1".to_owned(),
        seed: Seed(u64::MAX - 6),
        players: players
            .iter()
            .enumerate()
            .map(|(i, name)| HeaderPlayer {
                seat: i as u8,
                name: (*name).to_owned(),
                codebase_hash: None,
            })
            .collect(),
        settings: serde_json::json!({"width": 11, "height": 11}),
        result,
    }
}

/// One example of every client message, in [`CLIENT_TYPES`] order.
pub fn client_examples() -> Vec<ClientMessage> {
    let mut codebase = WireCodebase::from_snapshot(&example_codebase());
    codebase.hash = None;
    vec![
        ClientMessage::Hello {
            role: Role::Agent,
            token: Some("agt_3f9c2a7d".to_owned()),
            protocol_version: PROTOCOL_VERSION,
        },
        ClientMessage::Submit { round: 2, codebase },
        ClientMessage::Practice {
            opponent: "bob".to_owned(),
            sims: 10,
        },
        ClientMessage::GetCodebase {
            player: "bob".to_owned(),
            round: Some(1),
        },
        ClientMessage::ListTournaments {},
        ClientMessage::ListGames {
            tournament: 1,
            round: Some(2),
        },
        ClientMessage::Subscribe { game_id: 7 },
        ClientMessage::Unsubscribe { game_id: 7 },
        ClientMessage::Resync {
            game_id: 7,
            from_version: 17,
        },
        ClientMessage::Replay { match_id: 42 },
        ClientMessage::Play {},
        ClientMessage::Pause {},
        ClientMessage::Speed { factor: 2.0 },
        ClientMessage::Seek { turn: 120 },
        ClientMessage::CreateTournament {
            config_toml: "name = \"demo\"\ngame = \"corewar\"\n".to_owned(),
        },
        ClientMessage::RegisterAgent {
            tournament: 1,
            player: "alice".to_owned(),
        },
        ClientMessage::StartTournament { tournament: 1 },
        ClientMessage::PauseTournament { tournament: 1 },
        ClientMessage::ResumeTournament { tournament: 1 },
        ClientMessage::CancelTournament { tournament: 1 },
    ]
}

/// One example of every server message, in [`SERVER_TYPES`] order.
pub fn server_examples() -> Vec<ServerMessage> {
    use serde_json::json;
    vec![
        ServerMessage::Welcome {
            protocol_version: PROTOCOL_VERSION,
            role: Role::Agent,
            player: Some("alice".to_owned()),
            tournament: Some(1),
        },
        ServerMessage::RoundStarted {
            tournament: 1,
            round: 2,
            deadline_unix_ms: 1_764_000_000_000,
            results: example_results(1, "bob", [3, 7]).view_for("alice", false),
            logs: example_results(1, "bob", [3, 7]).logs_for("alice"),
            codebase: WireCodebase::from_snapshot(&example_codebase()),
        },
        ServerMessage::SubmissionAccepted {
            round: 2,
            hash: example_codebase().hash().to_owned(),
        },
        ServerMessage::SubmissionRejected {
            round: 2,
            reason: "warrior.red line 2: unknown opcode MOOV".to_owned(),
        },
        ServerMessage::Codebase {
            player: "bob".to_owned(),
            round: 1,
            codebase: WireCodebase::from_snapshot(&example_codebase()),
        },
        ServerMessage::PracticeResult {
            round: 2,
            opponent: "bob".to_owned(),
            sims: 10,
            wins: 6,
            losses: 3,
            draws: 1,
            results: vec![PracticeSim {
                sim: 0,
                placement: 1,
                reason: crate::wire::EndReason::Won,
                turns: 812,
                bot_stopped: Some(crate::runner::StopKind::Ended),
                stderr_tail: None,
            }],
        },
        ServerMessage::RoundFinished {
            tournament: 1,
            round: 2,
            results: example_results(2, "alice", [6, 4]).view_for("alice", false),
        },
        ServerMessage::TournamentFinished {
            tournament: 1,
            standings: example_standings(),
        },
        ServerMessage::TournamentCancelled { tournament: 1 },
        ServerMessage::Tournaments {
            tournaments: vec![TournamentSummary {
                id: 1,
                name: "demo".to_owned(),
                game: "corewar".to_owned(),
                rules_version: "pmars-0.9-icws94".to_owned(),
                state: TournamentState::Running,
                players: 2,
                rounds_finished: 2,
            }],
        },
        ServerMessage::Games {
            tournament: 1,
            round: Some(2),
            games: vec![
                GameEntry::Stored {
                    match_id: 42,
                    round: 2,
                    sim: 0,
                    turns: 300,
                    replay: true,
                    players: vec![seat("alice", 0, Some(1)), seat("bob", 1, Some(2))],
                },
                GameEntry::Live {
                    game_id: 7,
                    live: true,
                    round: 2,
                    sim: 1,
                    version: 17,
                    players: vec![seat("bob", 0, None), seat("alice", 1, None)],
                },
            ],
        },
        ServerMessage::Snapshot {
            game_id: 7,
            version: 17,
            header: example_header(["bob", "alice"], None),
            frame: json!({"turn": 16}),
        },
        ServerMessage::LiveFrame {
            game_id: 7,
            version: 18,
            turn: 17,
            frame: json!({"turn": 17}),
        },
        ServerMessage::Frame {
            match_id: 42,
            version: 18,
            turn: 17,
            frame: json!({"turn": 17}),
        },
        ServerMessage::GameFinished {
            game_id: 7,
            version: 212,
            match_id: 43,
            result: example_result(212),
        },
        ServerMessage::Unsubscribed { game_id: 7 },
        ServerMessage::ReplayHeader {
            match_id: 42,
            frames: 300,
            finished: true,
            header: example_header(["alice", "bob"], Some(example_result(300))),
        },
        ServerMessage::ReplayState {
            match_id: 42,
            playing: true,
            speed: 2.0,
            turn: 120,
            frames: 300,
        },
        ServerMessage::ReplayEnd {
            match_id: 42,
            version: 300,
        },
        ServerMessage::TournamentCreated {
            tournament: 1,
            name: "demo".to_owned(),
        },
        ServerMessage::AgentRegistered {
            tournament: 1,
            player: "alice".to_owned(),
            token: "agt_3f9c2a7d".to_owned(),
        },
        ServerMessage::TournamentUpdated {
            tournament: 1,
            state: TournamentState::Paused,
        },
        ServerMessage::Error {
            code: ErrorCode::NotAllowedForRole,
            message: format!(
                "a spectator may not send `create_tournament`; {}",
                ErrorCode::NotAllowedForRole.hint()
            ),
            in_reply_to: Some("create_tournament".to_owned()),
        },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tournament_state_names_are_the_wire_names() {
        for state in TournamentState::ALL {
            let wire = serde_json::to_value(state).expect("serializes");
            assert_eq!(wire.as_str(), Some(state.as_str()));
            assert_eq!(TournamentState::from_name(state.as_str()), Some(state));
        }
        assert_eq!(TournamentState::from_name("exploded"), None);
    }

    fn parse(text: &str, role: Option<Role>) -> Result<ClientMessage, ProtocolError> {
        parse_client_message(text, role, MAX_AGENT_MESSAGE_BYTES)
    }

    fn code(text: &str, role: Option<Role>) -> ErrorCode {
        match parse(text, role) {
            Ok(m) => panic!("accepted {m:?}"),
            Err(e) => e.code,
        }
    }

    #[test]
    fn examples_cover_every_type_in_order() {
        let c: Vec<_> = client_examples().iter().map(|m| m.type_name()).collect();
        assert_eq!(c, CLIENT_TYPES);
        let s: Vec<_> = server_examples().iter().map(|m| m.type_name()).collect();
        assert_eq!(s, SERVER_TYPES);
        for t in CLIENT_TYPES {
            assert!(roles_for_type(t).is_some(), "{t}");
        }
    }

    #[test]
    fn serialized_type_is_type_name() {
        for m in client_examples() {
            let v: Value = serde_json::from_str(&m.to_json()).expect("json");
            assert_eq!(v["type"], m.type_name());
        }
        for m in server_examples() {
            let v: Value = serde_json::from_str(&m.to_json()).expect("json");
            assert_eq!(v["type"], m.type_name());
        }
    }

    #[test]
    fn hello_first_and_once() {
        let hello = r#"{"type":"hello","role":"spectator","protocol_version":1}"#;
        assert!(parse(hello, None).is_ok());
        assert_eq!(code(hello, Some(Role::Spectator)), ErrorCode::OutOfOrder);
        assert_eq!(
            code(r#"{"type":"list_tournaments"}"#, None),
            ErrorCode::OutOfOrder
        );
        assert_eq!(
            code(
                r#"{"type":"hello","role":"agent","protocol_version":1}"#,
                None
            ),
            ErrorCode::BadField
        );
        assert_eq!(
            code(
                r#"{"type":"hello","role":"spectator","protocol_version":2}"#,
                None
            ),
            ErrorCode::UnsupportedVersion
        );
    }

    #[test]
    fn fields_are_named() {
        let e = parse(r#"{"type":"seek","turn":"x"}"#, Some(Role::Spectator)).expect_err("refused");
        assert_eq!(e.code, ErrorCode::BadField);
        assert_eq!(e.field.as_deref(), Some("turn"), "{e}");
        assert_eq!(e.in_reply_to.as_deref(), Some("seek"));
        let e = parse(r#"{"type":"seek"}"#, Some(Role::Spectator)).expect_err("refused");
        assert_eq!(e.field.as_deref(), Some("turn"), "{e}");
        let e =
            parse(r#"{"type":"seek","turn":1,"x":2}"#, Some(Role::Spectator)).expect_err("refused");
        assert_eq!(e.field.as_deref(), Some("x"), "{e}");
        let e = parse(r#"{"type":"play","x":2}"#, Some(Role::Spectator)).expect_err("refused");
        assert_eq!(e.field.as_deref(), Some("x"), "{e}");
        let e = parse(
            r#"{"type":"practice","opponent":"bob","sims":0}"#,
            Some(Role::Agent),
        )
        .expect_err("refused");
        assert_eq!(e.field.as_deref(), Some("sims"), "{e}");
        let e = parse(r#"{"type":"speed","factor":1e9}"#, Some(Role::Admin)).expect_err("refused");
        assert_eq!(e.field.as_deref(), Some("factor"), "{e}");
    }

    #[test]
    fn bad_fields_are_named_with_serdes_words_and_no_position() {
        let spectator = Some(Role::Spectator);
        for (text, role, field, says) in [
            (
                r#"{"type":"seek","turn":"x"}"#,
                spectator,
                "turn",
                "field `turn`: invalid type: string \"x\", expected u64; ",
            ),
            (
                r#"{"type":"seek"}"#,
                spectator,
                "turn",
                "field `turn`: missing; ",
            ),
            (
                r#"{"type":"seek","turn":1,"x":2}"#,
                spectator,
                "x",
                "field `x`: not a field of this message; ",
            ),
            (
                r#"{"type":"hello","role":"judge","protocol_version":1}"#,
                None,
                "role",
                "field `role`: unknown variant `judge`, expected one of `agent`, `spectator`, `admin`; ",
            ),
            (
                r#"{"type":"speed","factor":"fast"}"#,
                spectator,
                "factor",
                "field `factor`: invalid type: string \"fast\", expected f64; ",
            ),
            (
                r#"{"type":"submit","round":1,"codebase":{"files":{},"extra":1}}"#,
                Some(Role::Agent),
                "extra",
                "field `extra`: not a field of this message; ",
            ),
            (
                r#"{"type":"submit","round":1,"codebase":{"files":{"a":5}}}"#,
                Some(Role::Agent),
                "codebase",
                "field `codebase`: data did not match any variant of untagged enum WireFile; ",
            ),
            (
                r#"{"type":"list_games","tournament":-1.5}"#,
                spectator,
                "tournament",
                "field `tournament`: invalid type: floating point `-1.5`, expected i64; ",
            ),
        ] {
            let e = parse(text, role).expect_err(text);
            assert_eq!(e.code, ErrorCode::BadField, "{text}: {e}");
            assert_eq!(e.field.as_deref(), Some(field), "{text}: {e}");
            assert!(e.message.starts_with(says), "{text}: {}", e.message);
        }
    }

    #[test]
    fn errors_stay_short_whatever_was_sent() {
        let long = "x".repeat(100_000);
        let text = format!(r#"{{"type":"seek","turn":"{long}"}}"#);
        let e = parse(&text, Some(Role::Spectator)).expect_err("refused");
        assert_eq!(e.field.as_deref(), Some("turn"), "{e}");
        assert!(e.message.len() < 600, "{}", e.message.len());
        let text = format!(r#"{{"type":"{long}"}}"#);
        let e = parse(&text, Some(Role::Spectator)).expect_err("refused");
        assert_eq!(e.code, ErrorCode::UnknownType);
        assert!(e.message.len() < 300, "{}", e.message.len());
    }

    #[test]
    fn errors_by_stage() {
        assert_eq!(code("{", None), ErrorCode::BadJson);
        assert_eq!(code("[1]", None), ErrorCode::BadJson);
        assert_eq!(code("{}", None), ErrorCode::UnknownType);
        assert_eq!(code(r#"{"type":7}"#, None), ErrorCode::UnknownType);
        assert_eq!(code(r#"{"type":"dance"}"#, None), ErrorCode::UnknownType);
        assert_eq!(
            code(
                r#"{"type":"create_tournament","config_toml":"x"}"#,
                Some(Role::Spectator)
            ),
            ErrorCode::NotAllowedForRole
        );
        let e = parse_client_message(&"x".repeat(100), None, 10).expect_err("refused");
        assert_eq!(e.code, ErrorCode::TooLarge);
    }

    #[test]
    fn codebase_paths_are_checked() {
        let limits = Limits::default();
        for bad in [
            "../x",
            "/etc/passwd",
            "a/../b",
            "a\0b",
            "",
            "a//b",
            "./a",
            "a\\b",
        ] {
            let mut files = BTreeMap::new();
            files.insert(bad.to_owned(), WireFile::Text("x".to_owned()));
            let cb = WireCodebase { files, hash: None };
            assert!(
                matches!(
                    cb.to_snapshot(&limits),
                    Err(WireCodebaseError::BadPath { .. })
                ),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn codebase_round_trip_and_limits() {
        let snap = example_codebase();
        let wire = WireCodebase::from_snapshot(&snap);
        assert!(matches!(
            wire.files["run.sh"],
            WireFile::Encoded {
                executable: true,
                ..
            }
        ));
        assert_eq!(wire.to_snapshot(&Limits::default()).expect("valid"), snap);
        let mut bad_hash = wire.clone();
        bad_hash.hash = Some("00".to_owned());
        assert!(matches!(
            bad_hash.to_snapshot(&Limits::default()),
            Err(WireCodebaseError::HashMismatch { .. })
        ));
        let small = Limits {
            max_files: 1,
            ..Limits::default()
        };
        let e = wire
            .to_snapshot(&small)
            .expect_err("over the limit")
            .into_protocol_error();
        assert_eq!(e.code, ErrorCode::TooLarge);
        let tiny = Limits {
            max_file_bytes: 4,
            ..Limits::default()
        };
        let e = wire
            .to_snapshot(&tiny)
            .expect_err("over the limit")
            .into_protocol_error();
        assert_eq!(e.code, ErrorCode::TooLarge);
    }

    #[test]
    fn base64_round_trips() {
        for n in 0..40u8 {
            let bytes: Vec<u8> = (0..n).map(|i| i.wrapping_mul(37) ^ 0xa5).collect();
            let enc = base64_encode(&bytes);
            assert_eq!(base64_decode(&enc).as_deref(), Some(bytes.as_slice()));
        }
        assert_eq!(base64_encode(b"foobar"), "Zm9vYmFy");
        assert_eq!(base64_encode(b"fo"), "Zm8=");
        assert_eq!(base64_decode("Zm8="), Some(b"fo".to_vec()));
        for bad in ["Zm8", "Z===", "Zm=8", "Zm8=Zm8=", "Zm8*"] {
            assert_eq!(base64_decode(bad), None, "{bad}");
        }
    }

    #[test]
    fn strikes_close_after_the_limit_within_the_window() {
        let mut s = Strikes::new(3, Duration::from_secs(10));
        let t0 = Instant::now();
        assert!(!s.strike(t0));
        assert!(!s.strike(t0));
        assert!(!s.strike(t0));
        assert!(s.strike(t0));
        let mut s = Strikes::new(3, Duration::from_secs(10));
        for i in 0..100 {
            assert!(!s.strike(t0 + Duration::from_secs(4 * i)), "{i}");
        }
        assert!(!s.record(ErrorCode::NotFound, t0));
    }
}
