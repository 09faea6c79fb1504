//! Fault injection for the crash tests: with `ARENA_FAULT=after:<point>`
//! (or `after:<point>#<n>`, the n-th time, counting from 1) the process
//! aborts the moment it reaches the named point, so a test can stop a run
//! exactly where a resume would be tested hardest, without a sleep.
//!
//! Only debug builds (what `cargo test` runs) read the variable; a release
//! build ignores it and every point costs nothing.
//!
//! Points (`grep -rn 'fault::point' arena/src` lists them):
//! `tournament.created`, `submission`, `match`, `finish-round.winner`
//! (inside the round's transaction, between its winner and its ratings),
//! `round`, `finish-tournament.ratings` (inside the final transaction),
//! `worker.played` (`arena worker`: a job played, its result not yet sent).

/// The variable that names the point.
pub const VAR: &str = "ARENA_FAULT";

/// Aborts the process if `ARENA_FAULT` names this point (and this is the
/// n-th time it is reached). Debug builds only.
pub fn point(name: &str) {
    #[cfg(debug_assertions)]
    armed::hit(name);
    #[cfg(not(debug_assertions))]
    let _ = name;
}

/// The variable that holds a point until a file exists:
/// `ARENA_HOLD=<point>:<path>` (debug builds only), so a test can keep
/// work in flight (a practice) while it checks what happens meanwhile, and
/// release it by creating the file.
pub const HOLD_VAR: &str = "ARENA_HOLD";

/// Waits, if `ARENA_HOLD` names this point, until its file exists (at most
/// a minute). Call it on a blocking thread. Debug builds only.
pub fn hold(name: &str) {
    #[cfg(debug_assertions)]
    {
        let Ok(spec) = std::env::var(HOLD_VAR) else {
            return;
        };
        let Some((point, path)) = spec.split_once(':') else {
            return;
        };
        if point != name {
            return;
        }
        let path = std::path::Path::new(path);
        let until = std::time::Instant::now() + std::time::Duration::from_secs(60);
        while !path.exists() && std::time::Instant::now() < until {
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
    }
    #[cfg(not(debug_assertions))]
    let _ = name;
}

#[cfg(debug_assertions)]
mod armed {
    use std::sync::OnceLock;
    use std::sync::atomic::{AtomicU64, Ordering};

    /// The armed point and at which hit it fires.
    struct Fault {
        point: String,
        nth: u64,
        hits: AtomicU64,
    }

    fn fault() -> Option<&'static Fault> {
        static FAULT: OnceLock<Option<Fault>> = OnceLock::new();
        FAULT
            .get_or_init(|| {
                let spec = std::env::var(super::VAR).ok()?;
                match parse(&spec) {
                    Some((point, nth)) => Some(Fault {
                        point,
                        nth,
                        hits: AtomicU64::new(0),
                    }),
                    None => {
                        eprintln!(
                            "{}={spec:?} is not after:<point> or after:<point>#<n>; ignored",
                            super::VAR
                        );
                        None
                    }
                }
            })
            .as_ref()
    }

    /// `after:<point>[#<n>]` as (point, n), n >= 1.
    pub(super) fn parse(spec: &str) -> Option<(String, u64)> {
        let rest = spec.strip_prefix("after:")?;
        let (point, nth) = match rest.split_once('#') {
            Some((p, n)) => (p, n.parse().ok().filter(|&n| n >= 1)?),
            None => (rest, 1),
        };
        (!point.is_empty()).then(|| (point.to_string(), nth))
    }

    pub(super) fn hit(name: &str) {
        let Some(f) = fault() else { return };
        if f.point != name {
            return;
        }
        if f.hits.fetch_add(1, Ordering::SeqCst) + 1 == f.nth {
            eprintln!("{}: aborting after {name} (hit {})", super::VAR, f.nth);
            std::process::abort();
        }
    }

    #[cfg(test)]
    mod tests {
        #[test]
        fn specs_parse() {
            assert_eq!(super::parse("after:match"), Some(("match".into(), 1)));
            assert_eq!(super::parse("after:match#7"), Some(("match".into(), 7)));
            assert_eq!(super::parse("after:match#0"), None);
            assert_eq!(super::parse("before:match"), None);
            assert_eq!(super::parse("after:"), None);
        }
    }
}
