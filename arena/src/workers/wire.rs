//! What travels on NATS: a job (one simulation, self-contained) and its
//! result, as typed payloads: JSON compressed with zstd.

use std::io::Read;

use super::{Result, WorkerError};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use arena_replays::ReplayHeader;

use crate::games::{SeatOutcome, SimOutcome};

/// The largest decoded payload a side accepts (a zstd bomb is refused).
const MAX_DECODED: u64 = 256 << 20;

/// One simulation for a worker: everything it needs to play it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Job {
    /// The tournament's name (for logs).
    pub tournament: String,
    /// The tournament's subject token (see [`super::tournament_key`]).
    pub key: String,
    pub round: u32,
    pub sim: u32,
    /// The group within the round: a worker keeps one table per
    /// (tournament, round, group), so round-long bots stay alive.
    pub group: u32,
    /// Proof that the result answers this job: the server's secret
    /// hashed with the job's place; a result must carry it back.
    pub ticket: String,
    /// The game's name (`games::find`).
    pub game: String,
    /// The game's config section as stored, as TOML text (`None`: the
    /// defaults).
    pub section: Option<String>,
    /// Players in the tournament (what `configure` is told).
    pub players: usize,
    /// Simulations the group plays this round (a table's round-long
    /// limits).
    pub games: u32,
    /// The seated entrants, by entrant index.
    pub entrants: Vec<JobEntrant>,
    pub seed: u64,
    /// The game's id for bots that are told one.
    pub game_id: String,
    /// `seats[s]`: the entrant in seat `s`.
    pub seats: Vec<usize>,
}

/// An entrant of a job: its name and its codebase's content hash (the
/// worker fetches the codebase by hash).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct JobEntrant {
    pub name: String,
    pub hash: String,
}

/// A worker's answer to a job.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct JobResult {
    /// The job's tournament key, round, simulation and ticket, as given.
    pub key: String,
    pub round: u32,
    pub sim: u32,
    pub ticket: String,
    /// Which worker played it (for logs).
    pub worker: String,
    pub outcome: Outcome,
}

/// What became of a job.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Outcome {
    /// Played: the simulation's result and replay.
    Played(PlayedSim),
    /// The game could not play it (as an in-process error would stop the
    /// round, this one does too).
    Failed { error: String },
}

/// A played simulation: [`SimOutcome`] on the wire.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlayedSim {
    pub turns: u64,
    pub seats: Vec<SeatOutcome>,
    pub header: ReplayHeader,
    pub frames: Vec<Value>,
}

impl From<SimOutcome> for PlayedSim {
    fn from(o: SimOutcome) -> PlayedSim {
        PlayedSim {
            turns: o.turns,
            seats: o.seats,
            header: o.header,
            frames: o.frames,
        }
    }
}

impl From<PlayedSim> for SimOutcome {
    fn from(p: PlayedSim) -> SimOutcome {
        SimOutcome {
            turns: p.turns,
            seats: p.seats,
            header: p.header,
            frames: p.frames,
        }
    }
}

/// A payload: the value as JSON, zstd-compressed.
pub fn encode<T: Serialize>(value: &T) -> Result<Vec<u8>> {
    let json = serde_json::to_vec(value)?;
    zstd::encode_all(json.as_slice(), 3).map_err(|source| WorkerError::Io {
        what: "cannot compress a payload".into(),
        source,
    })
}

/// A payload back to its type; garbage is an error that says why.
pub fn decode<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Result<T> {
    let mut json = Vec::new();
    let not_zstd = |e: std::io::Error| WorkerError::Payload(format!("not zstd: {e}"));
    zstd::stream::read::Decoder::new(bytes)
        .map_err(not_zstd)?
        .take(MAX_DECODED + 1)
        .read_to_end(&mut json)
        .map_err(not_zstd)?;
    if json.len() as u64 > MAX_DECODED {
        return Err(WorkerError::Payload(format!(
            "larger than {MAX_DECODED} bytes once decoded"
        )));
    }
    serde_json::from_slice(&json)
        .map_err(|e| WorkerError::Payload(format!("not the expected JSON: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn garbage_is_refused_and_a_job_round_trips() {
        assert!(decode::<Job>(b"garbage").is_err());
        let not_a_job = encode(&serde_json::json!({"x": 1})).expect("encode");
        assert!(decode::<Job>(&not_a_job).is_err());
        let job = Job {
            tournament: "t".into(),
            key: "k".into(),
            round: 1,
            sim: 2,
            group: 0,
            ticket: "abc".into(),
            game: "corewar".into(),
            section: Some("coresize = 8000\n".into()),
            players: 2,
            games: 10,
            entrants: vec![JobEntrant {
                name: "a".into(),
                hash: "h".into(),
            }],
            seed: u64::MAX,
            game_id: "t-r1-s2".into(),
            seats: vec![1, 0],
        };
        let back: Job = decode(&encode(&job).expect("encode")).expect("decode");
        assert_eq!(back, job);
    }
}
