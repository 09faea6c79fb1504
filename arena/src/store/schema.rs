//! The schema: the migrations that make and update the file's tables, in order
//! (`PRAGMA user_version` counts those that ran).

/// One step of the schema: `PRAGMA user_version` says how many have run.
pub(super) enum Migration {
    Sql(&'static str),
    /// The replays crate's tables.
    ReplayTables,
}

/// Each migration moves the schema one version up, in this order.
pub(super) const MIGRATIONS: &[Migration] = &[
    Migration::Sql(SCHEMA_1),
    Migration::ReplayTables,
    Migration::Sql(SCHEMA_3),
    Migration::Sql(SCHEMA_4),
    Migration::Sql(SCHEMA_5),
];

/// `players.agent` holds the agent's kind (`AgentKind`'s name); earlier
/// versions stored its Rust debug form (`Remote`, `Mutate { trials: .. }`).
const SCHEMA_4: &str = r#"
UPDATE players SET agent = lower(substr(agent, 1, instr(agent || ' ', ' ') - 1));
"#;

const SCHEMA_5: &str = r#"
-- the last lines of a bot's stderr when it stopped badly (crashed, timed
-- out, broke the protocol): what its agent is shown about why
ALTER TABLE match_players ADD COLUMN stderr_tail TEXT;
"#;

const SCHEMA_3: &str = r#"
-- 1 for a tournament `arena serve` created (and so resumes); `arena run`'s
-- are resumed by rerunning `arena run`.
ALTER TABLE tournaments ADD COLUMN served INTEGER NOT NULL DEFAULT 0;
-- `arena serve`: remote agents' tokens, kept as SHA-256 (hex); one per player.
CREATE TABLE agent_tokens (
    token_hash TEXT PRIMARY KEY,
    tournament_id INTEGER NOT NULL REFERENCES tournaments(id),
    player_id INTEGER NOT NULL UNIQUE REFERENCES players(id)
);
"#;

const SCHEMA_1: &str = r#"
CREATE TABLE tournaments (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    game TEXT NOT NULL,
    rules_version TEXT NOT NULL,
    seed INTEGER NOT NULL,
    -- the config as given, so a rerun can check it is the same tournament
    config TEXT NOT NULL,
    -- 'created', 'running', 'paused', 'cancelled', 'finished'
    state TEXT NOT NULL
);
CREATE TABLE players (
    id INTEGER PRIMARY KEY,
    tournament_id INTEGER NOT NULL REFERENCES tournaments(id),
    seat INTEGER NOT NULL,
    name TEXT NOT NULL,
    agent TEXT NOT NULL,
    UNIQUE (tournament_id, name),
    UNIQUE (tournament_id, seat)
);
CREATE TABLE codebases (
    hash TEXT PRIMARY KEY,
    files INTEGER NOT NULL,
    bytes INTEGER NOT NULL,
    -- every file, zstd-compressed (see encode_snapshot)
    data BLOB NOT NULL
);
CREATE TABLE submissions (
    tournament_id INTEGER NOT NULL REFERENCES tournaments(id),
    player_id INTEGER NOT NULL REFERENCES players(id),
    round INTEGER NOT NULL,
    hash TEXT NOT NULL REFERENCES codebases(hash),
    valid INTEGER NOT NULL,
    reason TEXT NOT NULL,
    PRIMARY KEY (tournament_id, player_id, round)
);
CREATE TABLE rounds (
    tournament_id INTEGER NOT NULL REFERENCES tournaments(id),
    round INTEGER NOT NULL,
    -- NULL on a tie
    winner_id INTEGER REFERENCES players(id),
    PRIMARY KEY (tournament_id, round)
);
CREATE TABLE matches (
    id INTEGER PRIMARY KEY,
    tournament_id INTEGER NOT NULL REFERENCES tournaments(id),
    round INTEGER NOT NULL,
    sim INTEGER NOT NULL,
    seed INTEGER NOT NULL,
    turns INTEGER NOT NULL,
    UNIQUE (tournament_id, round, sim)
);
CREATE TABLE match_players (
    match_id INTEGER NOT NULL REFERENCES matches(id),
    player_id INTEGER NOT NULL REFERENCES players(id),
    seat INTEGER NOT NULL,
    placement INTEGER NOT NULL,
    score REAL NOT NULL,
    -- why the match ended for it: won, drew, outscored, eliminated, ...
    reason TEXT NOT NULL,
    -- why its bot stopped, for program bots
    stop TEXT,
    PRIMARY KEY (match_id, player_id)
);
CREATE TABLE ratings (
    tournament_id INTEGER NOT NULL REFERENCES tournaments(id),
    round INTEGER NOT NULL,
    player_id INTEGER NOT NULL REFERENCES players(id),
    system TEXT NOT NULL,
    rating REAL NOT NULL,
    deviation REAL,
    PRIMARY KEY (tournament_id, round, player_id, system)
);
CREATE TABLE logs (
    tournament_id INTEGER NOT NULL REFERENCES tournaments(id),
    round INTEGER NOT NULL,
    player_id INTEGER NOT NULL REFERENCES players(id),
    text TEXT NOT NULL,
    PRIMARY KEY (tournament_id, round, player_id)
);
"#;
