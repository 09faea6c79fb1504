//! `TOURNAMENT.toml`: what `arena run` plays. Unknown keys and bad values
//! are refused with the key's name and what it accepts, before anything is
//! stored.

use std::path::{Path, PathBuf};

use arena_agents::builtin::AgentSpec;
use serde::{Deserialize, Serialize};

use crate::environments::{EnvSection, EnvSettings};
use crate::games::{self, Configured, KeyError};
use crate::server::auth::TokenHash;

/// A whole tournament.
#[derive(Clone, Debug, PartialEq)]
pub struct TournamentConfig {
    /// Names the tournament in the database; rerunning the same name resumes it.
    pub name: String,
    /// The game, with its section's settings.
    pub game: Configured,
    pub format: Format,
    /// Rounds after round 0 (round 0 plays the starting codebases unchanged).
    pub rounds: u32,
    /// Simulations per round.
    pub sims: u32,
    /// Seeds everything: seats, placements, built-in agents.
    pub seed: u64,
    /// Whether agents may read the other players' code.
    pub transparent: bool,
    /// A private tournament's spectator token: `arena serve` shows its
    /// games only to spectators that give it (and to admins).
    pub spectator_token: Option<SpectatorToken>,
    pub players: Vec<PlayerConfig>,
    /// `[sprt]`: stop a two-player round's simulations once its winner is
    /// decided (off unless given; see `docs/ratings.md`).
    pub sprt: Option<crate::ratings::confidence::SprtConfig>,
    /// `[environments]`: how bots' Python environments and builds are made
    /// (over the `ARENA_*` variables and the defaults).
    pub environments: EnvSettings,
}

/// The file's shape; players are checked by hand because their keys depend
/// on their agent's kind, and the game's own section (`[corewar]`, ...) by
/// the game.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    name: String,
    game: String,
    #[serde(default)]
    format: Format,
    rounds: u32,
    sims: u32,
    seed: u64,
    #[serde(default)]
    transparent: bool,
    #[serde(default)]
    spectator_token: Option<String>,
    players: Vec<toml::Table>,
    #[serde(default)]
    sprt: Option<crate::ratings::confidence::SprtConfig>,
    #[serde(default)]
    environments: EnvSection,
}

/// The top-level keys besides the games' sections.
const KEYS: [&str; 11] = [
    "name",
    "game",
    "format",
    "rounds",
    "sims",
    "seed",
    "transparent",
    "spectator_token",
    "sprt",
    "environments",
    "players",
];

/// A private tournament's spectator token (`spectator_token`). Its
/// `Debug` never shows it.
#[derive(Clone, PartialEq, Eq)]
pub struct SpectatorToken(String);

impl std::fmt::Debug for SpectatorToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SpectatorToken(..)")
    }
}

impl SpectatorToken {
    /// Its SHA-256, which spectators' tokens are compared with.
    pub fn hash(&self) -> TokenHash {
        TokenHash::of(&self.0)
    }
}

/// The shortest spectator token taken: a short one is guessed.
pub const MIN_SPECTATOR_TOKEN_BYTES: usize = 8;

/// The hash of the spectator token a stored config text names, if any:
/// only that key is read, so a check costs no whole parse.
pub fn spectator_token_hash(config_text: &str) -> Result<Option<TokenHash>, toml::de::Error> {
    #[derive(Deserialize)]
    struct Private {
        spectator_token: Option<String>,
    }
    let private: Private = toml::from_str(config_text)?;
    Ok(private.spectator_token.map(|t| TokenHash::of(&t)))
}

/// How players meet.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    /// CodeClash's: every round all valid codebases play together (Core War
    /// melee, a BattleSnake game of everyone), seats shuffled per simulation.
    #[default]
    Pvp,
    /// Every pair of valid codebases plays `sims` simulations a round.
    RoundRobin,
    /// The first player plays each of the others (the field) `sims` times.
    Gauntlet,
    /// The first player climbs the others, listed weakest first, one rung
    /// per round won; a lost or tied round keeps it on its rung.
    Ladder,
    /// King of the Hill: every pair on the hill plays; a simulation won
    /// scores 3, a shared one 1; after each round the lowest scorer leaves
    /// the hill, until two are left.
    Hill,
}

/// One player: an agent and its starting codebase.
#[derive(Clone, Debug, PartialEq)]
pub struct PlayerConfig {
    pub name: String,
    /// A codebase folder (Core War also takes a `.red` file), relative to
    /// the config file.
    pub codebase: PathBuf,
    /// The built-in agent that edits it between rounds (`static` when the
    /// `agent` key is absent), with its options.
    pub agent: AgentSpec,
}

impl PlayerConfig {
    /// A player entry: `name`, `codebase`, `agent` and the agent's own keys.
    fn from_table(index: usize, mut table: toml::Table) -> Result<PlayerConfig, String> {
        let take_str = |table: &mut toml::Table, key: &str| -> Result<String, String> {
            match table.remove(key) {
                Some(toml::Value::String(s)) => Ok(s),
                Some(other) => Err(format!(
                    "players[{index}].{key}: expected a string, found {}",
                    other.type_str()
                )),
                None => Err(format!("players[{index}]: missing key `{key}`")),
            }
        };
        let name = take_str(&mut table, "name")?;
        let codebase = PathBuf::from(take_str(&mut table, "codebase")?);
        let kind = match table.get("agent") {
            None => "static".to_string(),
            Some(toml::Value::String(k)) => k.clone(),
            Some(other) => {
                return Err(format!(
                    "players.{name}.agent: expected a string, found {}",
                    other.type_str()
                ));
            }
        };
        let Some(keys) = AgentSpec::keys(&kind) else {
            return Err(format!(
                "players.{name}.agent: unknown agent {kind:?}; expected one of {}",
                AgentSpec::KINDS.join(", ")
            ));
        };
        for key in table.keys() {
            if key != "agent" && !keys.contains(&key.as_str()) {
                let allowed: Vec<&str> = ["name", "codebase", "agent"]
                    .into_iter()
                    .chain(keys.iter().copied())
                    .collect();
                return Err(format!(
                    "players.{name}: unknown key `{key}` for agent {kind:?}; expected one of {}",
                    allowed.join(", ")
                ));
            }
        }
        table.insert("agent".into(), toml::Value::String(kind));
        let agent = AgentSpec::deserialize(toml::Value::Table(table))
            .map_err(|e| format!("players.{name}: {}", e.to_string().trim()))?;
        Ok(PlayerConfig {
            name,
            codebase,
            agent,
        })
    }
}

/// Why a config was refused.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: {message}")]
    Parse { path: PathBuf, message: String },
    #[error("{path}: {key}: {message}")]
    Value {
        path: PathBuf,
        key: String,
        message: String,
    },
}

impl TournamentConfig {
    /// Reads and checks a config; codebase paths become relative to the
    /// config's folder.
    pub fn load(path: &Path) -> Result<TournamentConfig, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        let mut config = Self::parse(&text).map_err(|e| match e {
            ConfigError::Parse { message, .. } => ConfigError::Parse {
                path: path.to_path_buf(),
                message,
            },
            ConfigError::Value { key, message, .. } => ConfigError::Value {
                path: path.to_path_buf(),
                key,
                message,
            },
            other => other,
        })?;
        let base = path.parent().unwrap_or(Path::new("."));
        for link in &mut config.environments.find_links {
            if !link.contains("://") && Path::new(link.as_str()).is_relative() {
                *link = base.join(link.as_str()).display().to_string();
            }
        }
        for p in &mut config.players {
            if p.codebase.is_relative() {
                p.codebase = base.join(&p.codebase);
            }
            p.agent.resolve_paths(base);
            if !p.codebase.exists() {
                return Err(ConfigError::Value {
                    path: path.to_path_buf(),
                    key: format!("players.{}.codebase", p.name),
                    message: format!(
                        "{} does not exist; give a codebase folder (or a .red file for Core War), relative to the config",
                        p.codebase.display()
                    ),
                });
            }
        }
        Ok(config)
    }

    /// Parses and checks config text.
    pub fn parse(text: &str) -> Result<TournamentConfig, ConfigError> {
        let parse_error = |message: String| ConfigError::Parse {
            path: PathBuf::new(),
            message,
        };
        let value_error = |e: KeyError| ConfigError::Value {
            path: PathBuf::new(),
            key: e.key,
            message: e.message,
        };
        let mut table: toml::Table = toml::from_str(text)
            .map_err(|e| parse_error(e.to_string().trim().replace('\n', " ")))?;
        // Every game's section is its own; the rest must be ours.
        let mut sections = std::collections::BTreeMap::new();
        for key in table.keys().cloned().collect::<Vec<_>>() {
            if KEYS.contains(&key.as_str()) {
                continue;
            }
            if games::find(&key).is_some() {
                if let Some(v) = table.remove(&key) {
                    sections.insert(key, v);
                }
                continue;
            }
            let mut expected: Vec<&str> = KEYS.to_vec();
            expected.extend(games::names());
            return Err(parse_error(format!(
                "unknown field `{key}`, expected one of {}",
                expected
                    .iter()
                    .map(|k| format!("`{k}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        }
        let raw = RawConfig::deserialize(toml::Value::Table(table))
            .map_err(|e| parse_error(e.to_string().trim().replace('\n', " ")))?;
        let Some(game) = games::find(&raw.game) else {
            return Err(value_error(KeyError::new(
                "game",
                format!(
                    "unknown game {:?}; expected one of {}",
                    raw.game,
                    games::names().join(", ")
                ),
            )));
        };
        if let Some(other) = sections.keys().find(|k| k.as_str() != game.name()) {
            return Err(value_error(KeyError::new(
                other.clone(),
                format!(
                    "this section is for the game {other}; this tournament plays {}",
                    game.name()
                ),
            )));
        }
        let players = raw
            .players
            .into_iter()
            .enumerate()
            .map(|(i, t)| PlayerConfig::from_table(i, t))
            .collect::<Result<Vec<_>, _>>()
            .map_err(parse_error)?;
        let range = game.players();
        if !range.contains(&players.len()) {
            return Err(value_error(KeyError::new(
                "players",
                format!(
                    "{} needs {} to {} players, {} given",
                    game.name(),
                    range.start(),
                    range.end(),
                    players.len()
                ),
            )));
        }
        let configured = game
            .configure(sections.remove(game.name()), players.len())
            .map_err(value_error)?;
        let environments = EnvSettings::from_env()
            .map_err(|e| value_error(KeyError::new("environments", e)))?
            .with_section(&raw.environments)
            .map_err(|(key, message)| value_error(KeyError::new(key, message)))?;
        let config = TournamentConfig {
            name: raw.name,
            game: Configured(configured),
            format: raw.format,
            rounds: raw.rounds,
            sims: raw.sims,
            seed: raw.seed,
            transparent: raw.transparent,
            spectator_token: raw.spectator_token.map(SpectatorToken),
            players,
            sprt: raw.sprt,
            environments,
        };
        config.check()?;
        Ok(config)
    }

    fn check(&self) -> Result<(), ConfigError> {
        let bad = |key: &str, message: String| ConfigError::Value {
            path: PathBuf::new(),
            key: key.to_string(),
            message,
        };
        if let Some(sprt) = &self.sprt {
            crate::ratings::confidence::Sprt::new(sprt).map_err(|e| bad("sprt", e.to_string()))?;
            if self.players.len() != 2 {
                return Err(bad(
                    "sprt",
                    format!(
                        "the test compares two players; this tournament has {}: remove [sprt]",
                        self.players.len()
                    ),
                ));
            }
        }
        if self.name.trim().is_empty() {
            return Err(bad("name", "must not be empty".into()));
        }
        if self.sims == 0 {
            return Err(bad("sims", "must be at least 1".into()));
        }
        if let Some(SpectatorToken(t)) = &self.spectator_token {
            let max = arena_agents::protocol::MAX_NAME_BYTES;
            if t.len() < MIN_SPECTATOR_TOKEN_BYTES || t.len() > max {
                return Err(bad(
                    "spectator_token",
                    format!(
                        "{} bytes; give {MIN_SPECTATOR_TOKEN_BYTES} to {max} (e.g. 32 random hex digits)",
                        t.len()
                    ),
                ));
            }
            if t.chars().any(|c| c.is_control() || c.is_whitespace()) {
                return Err(bad(
                    "spectator_token",
                    "holds a space or a control character; spectators send it as it is".into(),
                ));
            }
        }
        let mut names = std::collections::BTreeSet::new();
        for p in &self.players {
            if p.name.trim().is_empty() {
                return Err(bad("players.name", "must not be empty".into()));
            }
            if !names.insert(p.name.as_str()) {
                return Err(bad(
                    "players.name",
                    format!("{:?} is used twice; player names must differ", p.name),
                ));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const OK: &str = r#"
name = "t"
game = "corewar"
rounds = 3
sims = 10
seed = 1
[[players]]
name = "a"
codebase = "a.red"
[[players]]
name = "b"
codebase = "b.red"
agent = "mutate"
trials = 50
"#;

    #[test]
    fn a_good_config_parses() {
        let c = TournamentConfig::parse(OK).expect("valid");
        assert_eq!(c.players.len(), 2);
        assert_eq!(c.players[0].agent, AgentSpec::Static);
        assert!(matches!(
            c.players[1].agent,
            AgentSpec::Mutate { trials: 50, .. }
        ));
        assert_eq!(c.format, Format::Pvp);
        assert_eq!(c.game.settings_json()["core_size"], 8000);
    }

    #[test]
    fn a_spectator_token_is_read_checked_and_never_printed() {
        let private = OK.replace("seed = 1", "seed = 1\nspectator_token = \"s3cret-view\"");
        let c = TournamentConfig::parse(&private).expect("valid");
        let token = c.spectator_token.as_ref().expect("a token");
        assert!(token.hash().matches("s3cret-view"));
        assert!(!format!("{c:?}").contains("s3cret"));
        let stored = spectator_token_hash(&private)
            .expect("reads")
            .expect("a token");
        assert!(stored.matches("s3cret-view"));
        assert_eq!(spectator_token_hash(OK).expect("reads"), None);
        for bad in ["short", "has space in it", ""] {
            let text = OK.replace("seed = 1", &format!("seed = 1\nspectator_token = {bad:?}"));
            let err = TournamentConfig::parse(&text).expect_err(bad).to_string();
            assert!(err.contains("spectator_token"), "{err}");
        }
    }

    #[test]
    fn unknown_keys_are_named() {
        let err = TournamentConfig::parse(&OK.replace("sims = 10", "sims = 10\nsimz = 3"))
            .expect_err("unknown key");
        let msg = err.to_string();
        assert!(msg.contains("simz") && msg.contains("sims"), "{msg}");
    }

    #[test]
    fn bad_values_say_what_is_allowed() {
        let err =
            TournamentConfig::parse(&OK.replace("sims = 10", "sims = 0")).expect_err("zero sims");
        assert!(
            err.to_string().contains("sims: must be at least 1"),
            "{err}"
        );
        let err = TournamentConfig::parse(&OK.replace("game = \"corewar\"", "game = \"chess\""))
            .expect_err("unknown game");
        assert!(err.to_string().contains("corewar"), "{err}");
        let err =
            TournamentConfig::parse(&OK.replace("name = \"b\"", "name = \"a\"")).expect_err("dup");
        assert!(err.to_string().contains("used twice"), "{err}");
        let err = TournamentConfig::parse(&OK.replace("trials = 50", "trails = 50"))
            .expect_err("agent key");
        assert!(
            err.to_string().contains("trails") && err.to_string().contains("trials"),
            "{err}"
        );
        let err = TournamentConfig::parse(&OK.replace("\"mutate\"", "\"smart\""))
            .expect_err("agent kind");
        assert!(
            err.to_string()
                .contains("static, mutate, command, versions"),
            "{err}"
        );
    }
}
