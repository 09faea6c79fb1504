//! `arena rating ...`: the rating algorithms over JSON files, for checking
//! them by hand and for scripts. Input is validated row by row so that a bad
//! file gets an error naming the row and field (exit code 2), never a panic.

use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use arena::ratings::bradley_terry::{self, Config, Draws, PairResults};
use arena::ratings::codeforces::{self, Contestant};

/// The `arena rating` subcommands.
#[derive(clap::Subcommand, Debug)]
pub enum RatingCommand {
    /// Codeforces rating changes for one contest.
    ///
    /// FILE is a JSON array of {"handle", "points", "penalty", "rating"}
    /// (penalty may be left out: 0), ranked by points (more first), then
    /// penalty (less first); equal rows share a place. Prints a JSON array
    /// of {"handle", "old", "new", "delta"} in input order. FILE "-" reads
    /// standard input.
    Codeforces {
        /// The standings, as JSON.
        file: PathBuf,
    },
    /// Bradley-Terry ratings from pairwise results, as CodeClash reports them.
    ///
    /// FILE is a JSON array of {"a", "b", "a_wins", "b_wins", "draws"}
    /// (draws may be left out: 0). Prints a JSON array of players, best
    /// first: name, elo, strength, elo_std, hessian_interval (95%),
    /// bootstrap_interval (95% percentile), games.
    BradleyTerry {
        /// The results, as JSON ("-" for standard input).
        file: PathBuf,
        /// L2 penalty λ on the strengths (λ Σ s²); 0 for none.
        #[arg(long, default_value_t = 0.01)]
        penalty: f64,
        /// Bootstrap resamples for percentile intervals; 0 for none.
        #[arg(long, default_value_t = 1000)]
        bootstrap: usize,
        /// Seed of the bootstrap.
        #[arg(long, default_value_t = 0)]
        seed: u64,
        /// Leave draws out instead of counting half a win to each side.
        #[arg(long)]
        drop_draws: bool,
    },
}

/// Runs a subcommand, printing its JSON; the error says what is wrong.
pub fn run(command: &RatingCommand) -> anyhow::Result<()> {
    let (name, outcome) = match command {
        RatingCommand::Codeforces { file } => ("codeforces", codeforces_command(file)),
        RatingCommand::BradleyTerry {
            file,
            penalty,
            bootstrap,
            seed,
            drop_draws,
        } => {
            let config = Config {
                penalty: *penalty,
                draws: if *drop_draws {
                    Draws::Drop
                } else {
                    Draws::Half
                },
                bootstrap: *bootstrap,
                seed: *seed,
            };
            ("bradley-terry", bradley_terry_command(file, &config))
        }
    };
    let json = outcome.map_err(|message| anyhow::anyhow!("{name}: {message}"))?;
    println!("{json}");
    Ok(())
}

/// `arena rating codeforces FILE`: the output JSON, or what is wrong.
fn codeforces_command(file: &Path) -> Result<String, String> {
    let rows = read_rows(file)?;
    let mut contestants = Vec::with_capacity(rows.len());
    for (i, row) in rows.iter().enumerate() {
        let handle = string(row, i, "handle").map_err(|e| format!("{}: {e}", file.display()))?;
        let at = |e: String| format!("{}: row {i} ({handle:?}): {e}", file.display());
        contestants.push(Contestant {
            points: number(row, "points").map_err(at)?,
            penalty: optional_number(row, "penalty").map_err(at)?.unwrap_or(0.0),
            rating: integer(row, "rating", i64::from(i32::MIN), i64::from(i32::MAX))
                .map_err(at)?
                .try_into()
                .map_err(|_| at("field \"rating\": out of range".into()))?,
            handle,
        });
    }
    let changes = codeforces::rate_contest(&contestants).map_err(|e| e.to_string())?;
    serde_json::to_string_pretty(&changes).map_err(|e| e.to_string())
}

/// `arena rating bradley-terry FILE`: the output JSON, or what is wrong.
fn bradley_terry_command(file: &Path, config: &Config) -> Result<String, String> {
    let rows = read_rows(file)?;
    let mut results = Vec::with_capacity(rows.len());
    for (i, row) in rows.iter().enumerate() {
        let at = |e: String| format!("{}: row {i}: {e}", file.display());
        let count = |field: &str| integer(row, field, 0, i64::MAX).map(|n| n.unsigned_abs());
        results.push(PairResults {
            a: string(row, i, "a").map_err(|e| format!("{}: {e}", file.display()))?,
            b: string(row, i, "b").map_err(|e| format!("{}: {e}", file.display()))?,
            a_wins: count("a_wins").map_err(at)?,
            b_wins: count("b_wins").map_err(at)?,
            draws: match row.get("draws") {
                None | Some(Value::Null) => 0,
                Some(_) => count("draws").map_err(at)?,
            },
        });
    }
    let fit = bradley_terry::fit(&results, config).map_err(|e| e.to_string())?;
    if fit.bootstrap_failures > 0 {
        eprintln!(
            "arena rating bradley-terry: {} of {} bootstrap resamples had no finite optimum \
             (an unbeaten or winless player without a penalty) and were left out",
            fit.bootstrap_failures, config.bootstrap
        );
    }
    serde_json::to_string_pretty(&fit.players).map_err(|e| e.to_string())
}

/// The file (or standard input for "-") as a JSON array of objects.
fn read_rows(file: &Path) -> Result<Vec<Map<String, Value>>, String> {
    let text = if file.as_os_str() == "-" {
        std::io::read_to_string(std::io::stdin()).map_err(|e| format!("standard input: {e}"))?
    } else {
        std::fs::read_to_string(file).map_err(|e| format!("{}: {e}", file.display()))?
    };
    let value: Value =
        serde_json::from_str(&text).map_err(|e| format!("{}: not JSON: {e}", file.display()))?;
    let Value::Array(rows) = value else {
        return Err(format!(
            "{}: expected a JSON array of objects",
            file.display()
        ));
    };
    rows.into_iter()
        .enumerate()
        .map(|(i, row)| match row {
            Value::Object(map) => Ok(map),
            other => Err(format!(
                "{}: row {i}: expected an object, got {}",
                file.display(),
                kind(&other)
            )),
        })
        .collect()
}

/// A required string field.
fn string(row: &Map<String, Value>, i: usize, field: &str) -> Result<String, String> {
    match row.get(field) {
        Some(Value::String(s)) => Ok(s.clone()),
        None => Err(format!("row {i}: field {field:?} is missing")),
        Some(other) => Err(format!(
            "row {i}: field {field:?}: expected a string, got {}",
            kind(other)
        )),
    }
}

/// A required finite number.
fn number(row: &Map<String, Value>, field: &str) -> Result<f64, String> {
    optional_number(row, field)?.ok_or_else(|| format!("field {field:?} is missing"))
}

/// An optional finite number (null counts as missing).
fn optional_number(row: &Map<String, Value>, field: &str) -> Result<Option<f64>, String> {
    match row.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => match n.as_f64() {
            Some(x) if x.is_finite() => Ok(Some(x)),
            _ => Err(format!("field {field:?}: {n} is not a usable number")),
        },
        Some(other) => Err(format!(
            "field {field:?}: expected a number, got {}",
            kind(other)
        )),
    }
}

/// A required integer in `min..=max`.
fn integer(row: &Map<String, Value>, field: &str, min: i64, max: i64) -> Result<i64, String> {
    match row.get(field) {
        None => Err(format!("field {field:?} is missing")),
        Some(Value::Number(n)) => match n.as_i64() {
            Some(x) if (min..=max).contains(&x) => Ok(x),
            Some(x) => Err(format!("field {field:?}: {x} is outside {min}..={max}")),
            None => Err(format!("field {field:?}: expected an integer, got {n}")),
        },
        Some(other) => Err(format!(
            "field {field:?}: expected an integer, got {}",
            kind(other)
        )),
    }
}

/// What kind of JSON value this is, for messages.
fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}
