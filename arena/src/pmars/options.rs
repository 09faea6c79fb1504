//! pMARS's command line, parsed the way its `clparse.c` parses it: single
//! letter switches that may be bundled (`-bk`), a value option only as the
//! last letter of a bundle with its value in the next word, boolean
//! switches that toggle, `-@ FILE` to read more words from a file, the last
//! value winning, and the same range checks and cross-checks.

use std::fmt;
use std::path::PathBuf;

/// pMARS's `MAXCORESIZE` on a 32-bit `int`: `(INT_MAX >> 1) + 1`.
const MAX_CORE_SIZE: i64 = (i32::MAX as i64 >> 1) + 1;
/// pMARS's `MAXWARRIOR`.
pub const MAX_WARRIORS: usize = 36;
/// pMARS's `MAXINSTR`.
const MAX_INSTR: i64 = 1000;

/// Everything the command line sets.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Options {
    pub rounds: u32,
    pub core_size: u32,
    pub cycles: u64,
    pub processes: u32,
    pub max_length: u32,
    pub distance: u32,
    /// `-F`: the second warrior's position (0: not given).
    pub fixed_position: u32,
    pub pspace_size: u32,
    pub brief: bool,
    pub koth: bool,
    pub icws88: bool,
    pub fixed_series: bool,
    pub sort: bool,
    pub permutate: bool,
    pub verbose: bool,
    pub debugger: bool,
    /// `-=`: the score formula over `W` (warriors) and `S` (survivors).
    pub score_formula: String,
    /// `-Q`: what the exit code reports (-1: the error code).
    pub query: i64,
    /// Warrior files; `None` stands for standard input (`-`).
    pub warriors: Vec<Option<PathBuf>>,
}

/// Why the command line was refused; pMARS prints its usage, then this.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OptionError {
    UnknownOption(String),
    BadArgument(char),
    OutOfRange {
        switch: char,
        min: i64,
        max: i64,
    },
    TooManyWarriors(String),
    CannotOpenParameterFile(String),
    InParameterFile {
        file: String,
        error: Box<OptionError>,
    },
    FixedSeriesAndPosition,
    DistanceBelowLength,
    CoreTooSmall,
    PositionBelowDistance,
    BadScoreFormula(String),
    PSpaceTooBig,
    PermutateMultiWarrior,
    NoWarrior,
}

impl fmt::Display for OptionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OptionError::UnknownOption(o) => write!(f, "Unknown option \"{o}\""),
            OptionError::BadArgument(c) => write!(
                f,
                "Bad argument for \"-{c}\" switch: it takes a non-negative whole number (or text for -=) in the next word"
            ),
            OptionError::OutOfRange { switch, min, max } => {
                write!(
                    f,
                    "Option \"-{switch}\" value must be in the range {min} - {max}"
                )
            }
            OptionError::TooManyWarriors(w) => write!(
                f,
                "Too many parameters \"{w}\": at most {MAX_WARRIORS} warriors"
            ),
            OptionError::CannotOpenParameterFile(p) => {
                write!(f, "Cannot open parameter file \"{p}\"")
            }
            OptionError::InParameterFile { file, error } => {
                write!(f, "{error}\nThe error is located in \"{file}\"")
            }
            OptionError::FixedSeriesAndPosition => write!(f, "Only one of -f and -F can be given"),
            OptionError::DistanceBelowLength => write!(
                f,
                "Warrior distance cannot be smaller than warrior length: raise -d or lower -l"
            ),
            OptionError::CoreTooSmall => write!(
                f,
                "Core size is too small for this many warriors at this distance: raise -s or lower -d"
            ),
            OptionError::PositionBelowDistance => write!(
                f,
                "Position of warrior #2 cannot be smaller than warrior distance: raise -F or lower -d"
            ),
            OptionError::BadScoreFormula(e) => write!(f, "Bad score formula: {e}"),
            OptionError::PSpaceTooBig => write!(f, "P-space is bigger than core: lower -S"),
            OptionError::PermutateMultiWarrior => {
                write!(
                    f,
                    "Permutation cannot be used in multiwarrior battles: -P needs exactly 2 warriors"
                )
            }
            OptionError::NoWarrior => write!(f, "No warrior file specified"),
        }
    }
}

/// What a value switch stores.
#[derive(Clone, Copy)]
enum Kind {
    Bool,
    Number { min: i64, max: i64 },
    Text,
}

fn kind(switch: char) -> Option<Kind> {
    let number = |min, max| Some(Kind::Number { min, max });
    match switch {
        'r' => number(0, i64::from(i32::MAX)),
        's' => number(1, MAX_CORE_SIZE),
        'c' => number(1, i64::MAX),
        'p' => number(1, i64::from(i32::MAX)),
        'l' => number(1, MAX_INSTR),
        // pMARS's `MAXSEPARATION MAXCORESIZE/MAXWARRIOR`.
        'd' => number(1, MAX_CORE_SIZE / MAX_WARRIORS as i64),
        'F' => number(0, MAX_CORE_SIZE),
        'S' => number(1, MAX_CORE_SIZE),
        'Q' => number(-1, i64::from(i32::MAX)),
        '=' => Some(Kind::Text),
        'e' | 'b' | 'V' | 'k' | '8' | 'f' | 'o' | 'P' => Some(Kind::Bool),
        _ => None,
    }
}

/// The raw values, before defaults and cross-checks.
#[derive(Default)]
struct Raw {
    numbers: std::collections::HashMap<char, i64>,
    flags: std::collections::HashMap<char, bool>,
    formula: Option<String>,
    warriors: Vec<Option<PathBuf>>,
}

/// A source of words: the command line, or a parameter file.
trait Words {
    fn next_word(&mut self) -> Option<String>;
}

struct ArgWords<I>(I);

impl<I: Iterator<Item = String>> Words for ArgWords<I> {
    fn next_word(&mut self) -> Option<String> {
        // An empty word ends the input, as in pMARS.
        self.0.next().filter(|w| !w.is_empty() && w != "$")
    }
}

/// Words of a parameter file, as pMARS's `next_input()` reads them:
/// whitespace-separated, `;` starts a comment to the end of the line, a word
/// that starts with `"` runs to the closing quote (the opening quote becomes
/// a space, as in pMARS), and `$` ends the file's input.
struct FileWords {
    text: Vec<char>,
    at: usize,
}

impl FileWords {
    fn word(&mut self) -> Option<String> {
        while self.at < self.text.len() && self.text[self.at].is_whitespace() {
            self.at += 1;
        }
        let start = self.at;
        while self.at < self.text.len() && !self.text[self.at].is_whitespace() {
            self.at += 1;
        }
        (self.at > start).then(|| self.text[start..self.at].iter().collect())
    }
}

impl Words for FileWords {
    fn next_word(&mut self) -> Option<String> {
        let mut word = self.word()?;
        while word.starts_with(';') {
            while self.at < self.text.len() && self.text[self.at] != '\n' {
                self.at += 1;
            }
            word = self.word()?;
        }
        if let Some(rest) = word.strip_prefix('"') {
            if let Some(inner) = rest.strip_suffix('"') {
                word = format!(" {inner}");
            } else {
                let mut quoted = format!(" {rest}");
                while self.at < self.text.len() && self.text[self.at] != '"' {
                    quoted.push(self.text[self.at]);
                    self.at += 1;
                }
                self.at += 1;
                word = quoted;
            }
        }
        (word != "$").then_some(word)
    }
}

/// Parses pMARS's command line (without the program name).
pub fn parse(args: &[String]) -> Result<Options, OptionError> {
    let mut raw = Raw::default();
    parse_words(&mut ArgWords(args.iter().cloned()), &mut raw)?;
    finish(raw)
}

fn parse_words(words: &mut dyn Words, raw: &mut Raw) -> Result<(), OptionError> {
    while let Some(word) = words.next_word() {
        let chars: Vec<char> = word.chars().collect();
        if chars.len() > 1 && chars[0] == '-' {
            let mut i = 1;
            while i < chars.len() {
                let c = chars[i];
                let last = i + 1 == chars.len();
                if c == '@' {
                    if !last {
                        return Err(OptionError::CannotOpenParameterFile(word));
                    }
                    let file = words
                        .next_word()
                        .ok_or_else(|| OptionError::CannotOpenParameterFile(String::new()))?;
                    let text = if file == "-" {
                        std::io::read_to_string(std::io::stdin())
                            .map_err(|_| OptionError::CannotOpenParameterFile(file.clone()))?
                    } else {
                        std::fs::read_to_string(&file)
                            .map_err(|_| OptionError::CannotOpenParameterFile(file.clone()))?
                    };
                    let mut fw = FileWords {
                        text: text.chars().collect(),
                        at: 0,
                    };
                    parse_words(&mut fw, raw).map_err(|e| OptionError::InParameterFile {
                        file: file.clone(),
                        error: Box::new(e),
                    })?;
                    break;
                }
                match kind(c) {
                    None => return Err(OptionError::UnknownOption(word)),
                    Some(Kind::Bool) => {
                        let v = raw.flags.entry(c).or_insert(false);
                        *v = !*v;
                    }
                    Some(Kind::Text) => {
                        if !last {
                            return Err(OptionError::BadArgument(c));
                        }
                        raw.formula = Some(words.next_word().ok_or(OptionError::BadArgument(c))?);
                        break;
                    }
                    Some(Kind::Number { min, max }) => {
                        if !last {
                            return Err(OptionError::BadArgument(c));
                        }
                        let value = words.next_word().ok_or(OptionError::BadArgument(c))?;
                        let n = atol_digits(&value).ok_or(OptionError::BadArgument(c))?;
                        if n < min || n > max {
                            return Err(OptionError::OutOfRange {
                                switch: c,
                                min,
                                max,
                            });
                        }
                        raw.numbers.insert(c, n);
                        break;
                    }
                }
                i += 1;
            }
        } else {
            if raw.warriors.len() >= MAX_WARRIORS {
                return Err(OptionError::TooManyWarriors(word));
            }
            if word == "-" {
                raw.warriors.push(None);
            } else if let Some(count) = word.strip_suffix('-') {
                // `N-`: N warriors from standard input.
                let n: usize = count
                    .parse()
                    .ok()
                    .filter(|&n| n > 0)
                    .ok_or_else(|| OptionError::UnknownOption(word.clone()))?;
                for _ in 0..n {
                    if raw.warriors.len() >= MAX_WARRIORS {
                        return Err(OptionError::TooManyWarriors(word.clone()));
                    }
                    raw.warriors.push(None);
                }
            } else {
                raw.warriors.push(Some(PathBuf::from(word)));
            }
        }
    }
    Ok(())
}

/// pMARS accepts a number only if every character is a digit; `atol` then
/// reads it (saturating here, where C would overflow).
fn atol_digits(word: &str) -> Option<i64> {
    if word.is_empty() || !word.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(word.bytes().fold(0i64, |n, b| {
        n.saturating_mul(10).saturating_add(i64::from(b - b'0'))
    }))
}

/// Applies defaults and pMARS's cross-checks.
fn finish(raw: Raw) -> Result<Options, OptionError> {
    let num = |c: char, default: i64| raw.numbers.get(&c).copied().unwrap_or(default);
    let flag = |c: char| raw.flags.get(&c).copied().unwrap_or(false);
    let warriors = raw.warriors.len();
    let max_length = num('l', 100);
    let core_size = num('s', 8000);
    let fixed_position = num('F', 0);
    let mut distance = num('d', 0);
    if flag('f') && fixed_position != 0 {
        return Err(OptionError::FixedSeriesAndPosition);
    }
    if distance == 0 {
        distance = max_length;
    } else if distance < max_length {
        return Err(OptionError::DistanceBelowLength);
    }
    if core_size < warriors as i64 * distance {
        return Err(OptionError::CoreTooSmall);
    }
    if fixed_position != 0 && distance > fixed_position {
        return Err(OptionError::PositionBelowDistance);
    }
    let score_formula = raw
        .formula
        .clone()
        .unwrap_or_else(|| "(W*W-1)/S".to_string());
    let mut pspace_size = num('S', 0);
    if pspace_size == 0 {
        pspace_size = i64::from(arena_games::corewar::Settings::default_pspace_size(
            core_size as u32,
        ));
    }
    if pspace_size > core_size {
        return Err(OptionError::PSpaceTooBig);
    }
    let permutate = flag('P');
    let rounds = match raw.numbers.get(&'r') {
        Some(&r) => r,
        None if permutate => 2 * core_size - 4 * distance + 2,
        None => 1,
    };
    if permutate && warriors != 2 {
        return Err(OptionError::PermutateMultiWarrior);
    }
    if warriors == 0 {
        return Err(OptionError::NoWarrior);
    }
    Ok(Options {
        rounds: rounds.clamp(0, i64::from(u32::MAX)) as u32,
        core_size: core_size as u32,
        cycles: num('c', 80000) as u64,
        processes: num('p', 8000) as u32,
        max_length: max_length as u32,
        distance: distance as u32,
        fixed_position: fixed_position as u32,
        pspace_size: pspace_size as u32,
        brief: flag('b'),
        koth: flag('k'),
        icws88: flag('8'),
        fixed_series: flag('f'),
        sort: flag('o'),
        permutate,
        verbose: flag('V'),
        debugger: flag('e'),
        score_formula,
        query: num('Q', -1),
        warriors: raw.warriors,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(s: &str) -> Vec<String> {
        s.split_whitespace().map(String::from).collect()
    }

    #[test]
    fn bundled_switches_and_values() {
        let o = parse(&args("-bk -r 50 -F 4000 a.red b.red")).expect("valid");
        assert!(o.brief && o.koth);
        assert_eq!((o.rounds, o.fixed_position, o.distance), (50, 4000, 100));
        assert_eq!(o.warriors.len(), 2);
    }

    #[test]
    fn boolean_switches_toggle() {
        let o = parse(&args("-b -b a.red")).expect("valid");
        assert!(!o.brief);
    }

    #[test]
    fn value_switch_must_end_its_bundle() {
        assert_eq!(
            parse(&args("-rb 5 a.red")),
            Err(OptionError::BadArgument('r'))
        );
        assert_eq!(
            parse(&args("-r -5 a.red")),
            Err(OptionError::BadArgument('r'))
        );
    }

    #[test]
    fn cross_checks() {
        assert_eq!(
            parse(&args("-f -F 200 a b")),
            Err(OptionError::FixedSeriesAndPosition)
        );
        assert_eq!(
            parse(&args("-d 50 a b")),
            Err(OptionError::DistanceBelowLength)
        );
        assert_eq!(
            parse(&args("-F 50 a b")),
            Err(OptionError::PositionBelowDistance)
        );
        assert_eq!(
            parse(&args("-P a b c")),
            Err(OptionError::PermutateMultiWarrior)
        );
        assert_eq!(parse(&args("-b")), Err(OptionError::NoWarrior));
        assert_eq!(parse(&args("-s 150 a b")), Err(OptionError::CoreTooSmall));
    }

    #[test]
    fn permutate_defaults_to_every_pair() {
        let o = parse(&args("-P a b")).expect("valid");
        assert_eq!(o.rounds, 2 * 8000 - 4 * 100 + 2);
    }

    #[test]
    fn parameter_file_words() {
        let mut w = FileWords {
            text: "-r 5 ; a comment -k\n-= \"W S\" b.red $ c.red"
                .chars()
                .collect(),
            at: 0,
        };
        let mut got = Vec::new();
        while let Some(x) = w.next_word() {
            got.push(x);
        }
        assert_eq!(got, vec!["-r", "5", "-=", " W S", "b.red"]);
    }
}
