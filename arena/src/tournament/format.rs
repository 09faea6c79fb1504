//! Tournament formats: who plays whom in a round, and who wins it. Every
//! format's state (a ladder's rung, who is still on the hill) is derived
//! from stored results, so a resumed run sees what an uninterrupted one saw.

use std::collections::BTreeMap;

use crate::store::StoreResult as Result;

use super::Player;
use crate::config::{Format, TournamentConfig};
use crate::store::Store;

/// The groups that play this round: each plays `sims` simulations.
pub(super) fn groups<'p>(
    cfg: &TournamentConfig,
    store: &Store,
    tid: i64,
    round: u32,
    players: &'p [Player],
) -> Result<Vec<Vec<&'p Player>>> {
    let playing = |p: &&Player| p.playing.is_some();
    let pairs = |field: Vec<&'p Player>| -> Vec<Vec<&'p Player>> {
        let mut out = Vec::new();
        for (i, a) in field.iter().enumerate() {
            for b in &field[i + 1..] {
                out.push(vec![*a, *b]);
            }
        }
        out
    };
    Ok(match cfg.format {
        // Everyone at once, as CodeClash plays.
        Format::Pvp => {
            let all: Vec<&Player> = players.iter().filter(playing).collect();
            if all.len() < 2 { Vec::new() } else { vec![all] }
        }
        // Every pair.
        Format::RoundRobin => pairs(players.iter().filter(playing).collect()),
        // The first player against each of the others.
        Format::Gauntlet => match players.split_first() {
            Some((challenger, field)) if challenger.playing.is_some() => field
                .iter()
                .filter(playing)
                .map(|p| vec![challenger, p])
                .collect(),
            _ => Vec::new(),
        },
        // The first player against the rung it has reached.
        Format::Ladder => {
            let rung = ladder_rung(store, tid, round, players)?;
            match (players.first(), players.get(1 + rung)) {
                (Some(c), Some(o)) if c.playing.is_some() && o.playing.is_some() => {
                    vec![vec![c, o]]
                }
                _ => Vec::new(),
            }
        }
        // Every pair of those still on the hill.
        Format::Hill => {
            let ids: Vec<i64> = players.iter().map(|p| p.id).collect();
            let alive = hill_alive(store, tid, round, &ids)?;
            pairs(
                players
                    .iter()
                    .filter(|p| alive.contains(&p.id))
                    .filter(playing)
                    .collect(),
            )
        }
    })
}

/// The ladder's rung for this round: how many earlier rounds the
/// challenger (the first player) won, capped at the top rung.
fn ladder_rung(store: &Store, tid: i64, round: u32, players: &[Player]) -> Result<usize> {
    let Some(challenger) = players.first() else {
        return Ok(0);
    };
    let mut rung = 0usize;
    for r in 0..round {
        if store.round_winner(tid, r)? == Some(challenger.id) {
            rung += 1;
        }
    }
    Ok(rung.min(players.len().saturating_sub(2)))
}

/// King of the Hill points of a round: 3 for a simulation won outright, 1
/// for one shared, 0 for a loss.
fn hill_points(tally: &BTreeMap<i64, (u64, u64)>, id: i64) -> u64 {
    tally.get(&id).map_or(0, |(won, shared)| 3 * won + shared)
}

/// Who is still on the hill at the start of `round`: after each earlier
/// round the lowest scorer leaves (on a tie, the later-listed one), until
/// two are left.
pub(super) fn hill_alive(store: &Store, tid: i64, round: u32, ids: &[i64]) -> Result<Vec<i64>> {
    let mut alive: Vec<i64> = ids.to_vec();
    for r in 0..round {
        if alive.len() <= 2 {
            break;
        }
        let tally = store.round_tally(tid, r)?;
        // Among equal scores the later-listed player is the lowest key.
        let lowest = alive
            .iter()
            .enumerate()
            .min_by_key(|(i, id)| (hill_points(&tally, **id), std::cmp::Reverse(*i)))
            .map(|(i, _)| i);
        if let Some(i) = lowest {
            alive.remove(i);
        }
    }
    Ok(alive)
}

/// The round's winner, or `None` for a tie or a round nobody could play.
pub(super) fn winner(
    cfg: &TournamentConfig,
    store: &Store,
    tid: i64,
    round: u32,
    players: &[Player],
) -> Result<Option<i64>> {
    let tally = store.round_tally(tid, round)?;
    let wins = |id: i64| tally.get(&id).map_or(0, |t| t.0);
    let unique_best = |candidates: Vec<(i64, u64)>| -> Option<i64> {
        let best = candidates.iter().map(|c| c.1).max()?;
        let mut top = candidates.iter().filter(|c| c.1 == best);
        let first = top.next()?;
        top.next().is_none().then_some(first.0)
    };
    let playing: Vec<&Player> = players.iter().filter(|p| p.playing.is_some()).collect();
    // One valid codebase wins by forfeit; none, nobody.
    if playing.len() < 2 {
        return Ok(playing
            .first()
            .map(|p| p.id)
            .filter(|_| cfg.format != Format::Ladder));
    }
    Ok(match cfg.format {
        Format::Pvp | Format::RoundRobin | Format::Gauntlet => {
            let best = unique_best(playing.iter().map(|p| (p.id, wins(p.id))).collect());
            // Nobody won a simulation: a tie, not a win for whoever is listed.
            best.filter(|&id| wins(id) > 0)
        }
        Format::Ladder => {
            let rung = ladder_rung(store, tid, round, players)?;
            match (players.first(), players.get(1 + rung)) {
                (Some(c), Some(o)) => match wins(c.id).cmp(&wins(o.id)) {
                    std::cmp::Ordering::Greater => Some(c.id),
                    std::cmp::Ordering::Less => Some(o.id),
                    std::cmp::Ordering::Equal => None,
                },
                _ => None,
            }
        }
        Format::Hill => {
            let ids: Vec<i64> = players.iter().map(|p| p.id).collect();
            let alive = hill_alive(store, tid, round, &ids)?;
            unique_best(
                alive
                    .iter()
                    .map(|&id| (id, hill_points(&tally, id)))
                    .collect(),
            )
        }
    })
}
