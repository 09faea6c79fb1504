//! Halite I's wire text, exactly as the environment's `Networking.cpp` writes
//! and reads it: the init lines, the frame line (run-length owners, then
//! strengths, each number followed by a space) and a bot's moves line.

use std::collections::BTreeMap;
use std::fmt::Write;

use super::map::{Location, Map};

/// `"W H "`: the init's second line.
pub fn map_size(map: &Map) -> String {
    format!("{} {} ", map.width, map.height)
}

/// Every site's production, row by row: the init's third line.
pub fn productions(map: &Map) -> String {
    let mut s = String::with_capacity(map.sites.len() * 3);
    for site in &map.sites {
        let _ = write!(s, "{} ", site.production);
    }
    s
}

/// The map as a frame: runs of `count owner`, then every strength.
pub fn frame(map: &Map) -> String {
    let mut s = String::with_capacity(map.sites.len() * 5);
    let Some(first) = map.sites.first() else {
        return s;
    };
    let mut current = first.owner;
    // The environment counts runs in an unsigned short.
    let mut counter: u16 = 0;
    for site in &map.sites {
        if site.owner == current {
            counter = counter.wrapping_add(1);
        } else {
            let _ = write!(s, "{counter} {current} ");
            counter = 1;
            current = site.owner;
        }
    }
    let _ = write!(s, "{counter} {current} ");
    for site in &map.sites {
        let _ = write!(s, "{} ", site.strength);
    }
    s
}

/// The init message for player `tag`: tag, size, productions and the map,
/// one line each (the runner adds the last newline).
pub fn init(map: &Map, tag: u8) -> String {
    format!(
        "{tag}\n{}\n{}\n{}",
        map_size(map),
        productions(map),
        frame(map)
    )
}

/// A moves line that the environment ejects its bot for.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("sent {what:?} in its moves (only digits and spaces are allowed): {snippet}")]
pub struct BadMoves {
    /// The first character that is neither a digit nor a space.
    pub what: char,
    /// The line's start.
    pub snippet: String,
}

/// Reads a moves line (its one final `\r` already dropped by the
/// transport, as `Networking::getString` drops it) as
/// `Networking::deserializeMoveSet` does: any
/// character other than a digit or a space ejects the bot; then `x y d`
/// triples are read until one does not parse (a coordinate over 65535, a
/// direction over 2^31-1, a missing number) or lies off the map, and the
/// rest of the line is ignored. A later move for the same cell replaces an
/// earlier one; a direction is kept modulo 256, as the environment stores
/// it in a byte. The moves come back ordered by location.
pub fn parse_moves(line: &str, map: &Map) -> Result<Vec<(Location, u8)>, BadMoves> {
    if let Some(what) = line.chars().find(|c| !c.is_ascii_digit() && *c != ' ') {
        return Err(BadMoves {
            what,
            snippet: line.chars().take(60).collect(),
        });
    }
    let mut moves = BTreeMap::new();
    let mut numbers = line.split(' ').filter(|t| !t.is_empty());
    let mut next = |max: u64| -> Option<u64> {
        let t = numbers.next()?;
        // Leading zeros are fine; anything over the type's range fails.
        let digits = t.trim_start_matches('0');
        if digits.len() > 19 {
            return None;
        }
        let v: u64 = if digits.is_empty() {
            0
        } else {
            digits.parse().ok()?
        };
        (v <= max).then_some(v)
    };
    // Each number is read only if the one before it was.
    while let Some((x, y, d)) = next(u64::from(u16::MAX)).and_then(|x| {
        let y = next(u64::from(u16::MAX))?;
        Some((x, y, next(i32::MAX as u64)?))
    }) {
        let l = Location {
            x: x as u16,
            y: y as u16,
        };
        if !map.in_bounds(l) {
            break;
        }
        moves.insert(l, d as u8);
    }
    Ok(moves.into_iter().collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::halite::map::Site;

    fn map() -> Map {
        let mut sites = vec![Site::default(); 6];
        sites[1].owner = 1;
        sites[2].owner = 1;
        sites[5].owner = 2;
        for (i, s) in sites.iter_mut().enumerate() {
            s.strength = (i * 10) as u8;
            s.production = i as u8;
        }
        Map {
            width: 3,
            height: 2,
            sites,
        }
    }

    #[test]
    fn frames_as_the_environment_writes_them() {
        let m = map();
        assert_eq!(frame(&m), "1 0 2 1 2 0 1 2 0 10 20 30 40 50 ");
        assert_eq!(
            init(&m, 2),
            "2\n3 2 \n0 1 2 3 4 5 \n1 0 2 1 2 0 1 2 0 10 20 30 40 50 "
        );
    }

    #[test]
    fn moves_as_the_environment_reads_them() {
        let m = map();
        let l = |x, y| Location { x, y };
        assert_eq!(parse_moves("", &m), Ok(vec![]));
        assert_eq!(
            parse_moves("1 0 2  2 1 3", &m),
            Ok(vec![(l(1, 0), 2), (l(2, 1), 3)])
        );
        // A later move for a cell replaces the earlier one; 258 is 2 in a byte.
        assert_eq!(parse_moves("1 0 2 1 0 258", &m), Ok(vec![(l(1, 0), 2)]));
        // Off the map: reading stops there.
        assert_eq!(parse_moves("1 0 1 3 0 1 0 0 1", &m), Ok(vec![(l(1, 0), 1)]));
        // An incomplete triple, a number out of range: reading stops.
        assert_eq!(parse_moves("1 0 1 2 1", &m), Ok(vec![(l(1, 0), 1)]));
        assert_eq!(
            parse_moves("1 0 1 70000 0 1 2 1 1", &m),
            Ok(vec![(l(1, 0), 1)])
        );
        assert_eq!(parse_moves("1 0 2147483648 2 1 1", &m), Ok(vec![]));
        assert_eq!(parse_moves("0001 0 0002", &m), Ok(vec![(l(1, 0), 2)]));
        assert!(parse_moves("1 0 -1", &m).is_err());
        assert!(parse_moves("1\t0 1", &m).is_err());
        assert!(parse_moves("hello", &m).is_err());
        assert!(parse_moves("1 0 1\r", &m).is_err());
    }
}
