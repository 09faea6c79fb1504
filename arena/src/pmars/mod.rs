//! `arena pmars`: a drop-in for pMARS 0.9.2. Same options, same output on
//! standard output byte for byte, same exit codes; errors on standard error
//! say what to change.

pub mod options;

use std::io::{Read, Write};
use std::process::ExitCode;

use arena_games::corewar::assembler::{self, expr};
use arena_games::corewar::battle::{Battle, BattleOutcome};
use arena_games::corewar::mars::pspace_count;
use arena_games::corewar::placement::SeedSource;
use arena_games::corewar::{Settings, Warrior};

use options::{OptionError, Options};

/// pMARS's exit code for a bad command line (`CLP_NOGOOD`).
const EXIT_BAD_OPTIONS: u8 = 2;
/// pMARS's exit code for a warrior that does not assemble (`PARSEERR`).
const EXIT_PARSE_ERROR: u8 = 3;
/// pMARS's exit code for a warrior file it cannot open (reported as `PARSEERR` too).
const EXIT_NO_FILE: u8 = 3;

/// Runs `arena pmars ARGS...`; `jobs` threads play independent rounds.
pub fn run(args: &[String], jobs: usize) -> ExitCode {
    // pMARS's expression registers are global: the score formula's check
    // leaves W and S set, and the first warrior's assembly sees them.
    let mut registers = expr::Registers::new();
    let opts = match options::parse(args)
        .and_then(|o| check_formula(&o, &mut registers).map(|()| o))
    {
        Ok(o) => o,
        Err(e) => {
            eprintln!("arena pmars: {e}");
            eprintln!(
                "Usage: arena pmars [options] warrior.red [warrior.red ...]  (options as pMARS 0.9.2)"
            );
            return ExitCode::from(EXIT_BAD_OPTIONS);
        }
    };
    if opts.debugger {
        eprintln!("arena pmars: -e (the cdb debugger) is not supported; run without it");
        return ExitCode::from(EXIT_BAD_OPTIONS);
    }
    let settings = settings(&opts);
    let mut stdout = std::io::stdout().lock();
    let mut out = String::new();
    let mut warriors = Vec::with_capacity(opts.warriors.len());
    let mut stdin_bytes: Option<Vec<u8>> = None;
    let mut status = 0u8;
    for path in &opts.warriors {
        let (name, source) = match read_warrior(path.as_deref(), &mut stdin_bytes) {
            Ok(x) => x,
            Err(e) => {
                eprintln!("Error:\n        Unable to open file '{e}'");
                status = EXIT_NO_FILE;
                break;
            }
        };
        // pMARS zeroes the registers after each warrior.
        let regs = std::mem::take(&mut registers);
        match assembler::assemble_with_registers(&source, &settings, regs) {
            Ok(assembly) => {
                eprint!("{}", assembly.report(&name));
                if !opts.brief {
                    out.push_str(&assembly.listing(&settings));
                }
                warriors.push(assembly.warrior);
            }
            Err(e) => {
                out.push_str(&e.stdout());
                eprint!("{}", e.report(&name));
                status = EXIT_PARSE_ERROR;
                break;
            }
        }
    }
    let mut outcome = None;
    if status == 0 && opts.rounds > 0 {
        let battle = Battle {
            settings: settings.clone(),
            warriors: warriors.clone(),
            seed: seed_source(&opts),
            permutate: opts.permutate,
            points: points(&opts),
        };
        let mut result = battle.run(jobs);
        result.scores = scores(&opts, &result.tallies, &mut registers);
        report(&opts, &battle.warriors, &result, &mut out);
        outcome = Some(result);
    }
    // A closed pipe is the reader's choice; nothing else to do about it.
    let _ = stdout.write_all(out.as_bytes());
    let _ = stdout.flush();
    if opts.query >= 0 {
        let n = opts.warriors.len();
        let empty = BattleOutcome {
            tallies: vec![vec![0; 2 * n.max(1) - 1]; n],
            scores: vec![0; n],
        };
        let mut empty = empty;
        let r = match outcome.as_ref() {
            Some(r) => r,
            None => {
                empty.scores = scores(&opts, &empty.tallies, &mut registers);
                &empty
            }
        };
        return ExitCode::from(query(&opts, &warriors, r) as u8);
    }
    ExitCode::from(status)
}

/// The settings the assembler and the MARS see.
fn settings(o: &Options) -> Settings {
    Settings {
        core_size: o.core_size,
        max_cycles: o.cycles,
        max_processes: o.processes,
        max_length: o.max_length,
        min_distance: o.distance,
        rounds: o.rounds,
        pspace_size: o.pspace_size,
        warriors: o.warriors.len() as u32,
        icws88: o.icws88,
    }
}

fn seed_source(o: &Options) -> SeedSource {
    if o.fixed_position != 0 {
        SeedSource::FixedPosition(o.fixed_position)
    } else if o.fixed_series {
        SeedSource::Checksum
    } else {
        // pMARS seeds from the clock here; the arena uses entropy, which is
        // as unrepeatable and does not collide for runs in the same second.
        SeedSource::Seed((arena::matches::fresh_seed() % 2_147_483_646) as i64 + 1)
    }
}

/// The score formula's value for each number of survivors (for the
/// battle's own result; the printed scores come from [`scores`]).
fn points(o: &Options) -> Vec<i64> {
    let n = o.warriors.len();
    (1..=n)
        .map(|s| {
            let mut regs = expr::Registers::new();
            regs.set('w', n as i64);
            regs.set('s', s as i64);
            // check_formula() already evaluated every S.
            expr::eval(&o.score_formula, &mut regs).unwrap_or(0)
        })
        .collect()
}

/// pMARS's check of the score formula: `W` set, then every `S` from 1 to
/// the number of warriors, on the global registers.
fn check_formula(o: &Options, regs: &mut expr::Registers) -> Result<(), OptionError> {
    let n = o.warriors.len();
    regs.set('w', n as i64);
    for s in 1..=n {
        regs.set('s', s as i64);
        expr::eval(&o.score_formula, regs)
            .map_err(|e| OptionError::BadScoreFormula(format!("{:?}: {e}", o.score_formula)))?;
    }
    Ok(())
}

/// A count of rounds as pMARS keeps it: its wins and deaths per warrior are
/// C `short`s (`warrior[].score[]`), so past 32767 they wrap.
fn tally(count: u64) -> i16 {
    count as i16
}

/// pMARS's `deaths()`: the warrior's death counts (each a `short`) summed
/// as a C int.
fn deaths(r: &BattleOutcome, warrior: usize) -> i32 {
    r.death_counts(warrior)
        .iter()
        .fold(0i32, |sum, &d| sum.wrapping_add(i32::from(tally(d))))
}

/// pMARS's `score()` for every warrior, in order, on the global registers
/// (a formula may assign registers, so evaluation order matters).
fn scores(o: &Options, tallies: &[Vec<u64>], regs: &mut expr::Registers) -> Vec<i64> {
    let n = tallies.len();
    regs.set('w', n as i64);
    tallies
        .iter()
        .map(|t| {
            let mut sum: i32 = 0;
            for s in 1..=n {
                regs.set('s', s as i64);
                // check_formula() accepted the formula; a value that fails
                // now makes pMARS's score INT_MIN. The C sum is
                // `int += short * long`: it wraps at 32 bits.
                match expr::eval(&o.score_formula, regs) {
                    Ok(v) => {
                        let points = i64::from(tally(t[s - 1])).wrapping_mul(v);
                        sum = sum.wrapping_add(points as i32);
                    }
                    Err(_) => return i64::from(i32::MIN),
                }
            }
            i64::from(sum)
        })
        .collect()
}

/// Reads a warrior's source: a file, or standard input for `-`.
fn read_warrior(
    path: Option<&std::path::Path>,
    stdin_bytes: &mut Option<Vec<u8>>,
) -> Result<(String, Vec<u8>), String> {
    match path {
        Some(p) => {
            let bytes = std::fs::read(p).map_err(|_| p.display().to_string())?;
            Ok((p.display().to_string(), bytes))
        }
        None => {
            if stdin_bytes.is_none() {
                let mut bytes = Vec::new();
                std::io::stdin()
                    .read_to_end(&mut bytes)
                    .map_err(|_| "-".to_string())?;
                *stdin_bytes = Some(bytes);
            }
            Ok((
                "<stdin>".to_string(),
                stdin_bytes.clone().unwrap_or_default(),
            ))
        }
    }
}

/// The order pMARS prints warriors in: as given, or by score with `-o`
/// (its bubble sort, which keeps equal scores in their given order).
fn order(o: &Options, scores: &[i64]) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..scores.len()).collect();
    if o.sort {
        loop {
            let mut sorted = true;
            for i in 0..idx.len().saturating_sub(1) {
                if scores[idx[i]] < scores[idx[i + 1]] {
                    idx.swap(i, i + 1);
                    sorted = false;
                }
            }
            if sorted {
                break;
            }
        }
    }
    idx
}

/// pMARS's results: the KotH lines with `-k`, else `results()`.
fn report(o: &Options, warriors: &[Warrior], r: &BattleOutcome, out: &mut String) {
    use std::fmt::Write as _;
    let n = warriors.len();
    // pMARS prints C ints: scores wrap at 32 bits, counts at 16 (see `tally`).
    let int = |v: i64| v as i32;
    let cnt = tally;
    if o.koth {
        if n == 2 {
            let _ = writeln!(out, "{} {}", cnt(r.tallies[0][0]), cnt(r.tallies[0][1]));
            let _ = writeln!(out, "{} {}", cnt(r.tallies[1][0]), cnt(r.tallies[1][1]));
        } else {
            for i in 0..n {
                let _ = write!(out, "{} ", int(r.scores[i]));
                for j in 0..n {
                    let _ = write!(out, "{} ", cnt(r.tallies[i][j]));
                }
                let _ = writeln!(out, "{}", deaths(r, i));
            }
        }
        return;
    }
    let idx = order(o, &r.scores);
    for &i in &idx {
        let _ = writeln!(
            out,
            "{} by {} scores {}",
            warriors[i].name,
            warriors[i].author,
            int(r.scores[i])
        );
        if n > 2 {
            out.push_str("  Results:");
            for j in 0..n {
                let _ = write!(out, " {}", cnt(r.tallies[i][j]));
            }
            let _ = writeln!(out, " {}", deaths(r, i));
        }
    }
    if n == 2 {
        let t = &r.tallies[idx[0]];
        let _ = writeln!(out, "Results: {} {} {}", cnt(t[0]), cnt(t[2]), cnt(t[1]));
    }
}

/// pMARS's `returninfo()` for `-Q`.
fn query(o: &Options, warriors: &[Warrior], r: &BattleOutcome) -> i64 {
    let n = o.warriors.len() as i64;
    let q = o.query;
    let idx = order(o, &r.scores);
    match q {
        1..=999 => {
            if q <= n {
                r.scores.get(idx[(q - 1) as usize]).copied().unwrap_or(-1)
            } else if (101..=100 + n).contains(&q) {
                idx[(q - 101) as usize] as i64 + 1
            } else {
                -1
            }
        }
        1000 => 92,
        1001 => 1,
        1002 => 921,
        1003 => 4,
        // How many warriors share a P-space.
        2000 => n - pspace_count(warriors) as i64 + 1,
        _ => -1,
    }
}
