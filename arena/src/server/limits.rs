//! What one connection may take from the server: a websocket slot out of
//! [`DEFAULT_MAX_CONNECTIONS`] (mini-redis's listener semaphore: a permit
//! per connection, given back when it ends) and a message rate per role
//! ([`MessageRate`]). docs/protocol.md ("Limits") lists the figures.

use std::time::{Duration, Instant};

use arena_agents::protocol::Role;

/// Websockets open at once unless `--max-connections` says otherwise:
/// room for the 10,000 spectators of one live game the server is sized
/// for, plus agents and admins.
pub const DEFAULT_MAX_CONNECTIONS: usize = 12_000;

/// Files the process needs besides its websockets (the database, the
/// listener, logs, sandboxes' pipes), for the open-file check at start.
pub const SPARE_FILES: u64 = 512;

/// Messages a connection may send in a burst, and then each second, by
/// role (before `hello`: a spectator's). A spectator's controls (subscribe,
/// seek, speed) come from a person's clicks; an agent's and an admin's from
/// scripts that send a few per round.
pub fn rate_for(role: Option<Role>) -> (u32, u32) {
    match role {
        Some(Role::Admin) => (100, 50),
        Some(Role::Agent) => (40, 20),
        Some(Role::Spectator) | None => (40, 20),
    }
}

/// A token bucket of messages: `burst` at once, refilled at `per_second`.
/// A message over the rate is answered with `rate_limited`; a connection
/// that goes on sending as many again as its burst while refused is closed
/// (1008), since it is not waiting as told.
#[derive(Clone, Debug)]
pub struct MessageRate {
    burst: u32,
    per_second: u32,
    /// Messages that may be sent now (fractions accrue).
    tokens: f64,
    /// When `tokens` was last brought up to date.
    at: Instant,
    /// Messages refused since the last one accepted.
    refused: u32,
}

/// What to do with one message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RateVerdict {
    /// Within the rate: handle it.
    Accept,
    /// Over the rate: answer `rate_limited`.
    Refuse,
    /// Over the rate and still sending: close the connection.
    Close,
}

impl MessageRate {
    /// The rate for a connection of `role`, starting full.
    pub fn for_role(role: Option<Role>, now: Instant) -> MessageRate {
        let (burst, per_second) = rate_for(role);
        MessageRate {
            burst,
            per_second,
            tokens: f64::from(burst),
            at: now,
            refused: 0,
        }
    }

    /// The role is known (after `hello`): its rate from now on, keeping
    /// what was spent.
    pub fn set_role(&mut self, role: Role, now: Instant) {
        self.refill(now);
        let (burst, per_second) = rate_for(Some(role));
        self.burst = burst;
        self.per_second = per_second;
        self.tokens = self.tokens.min(f64::from(burst));
    }

    fn refill(&mut self, now: Instant) {
        let elapsed = now.saturating_duration_since(self.at).as_secs_f64();
        self.tokens =
            (self.tokens + elapsed * f64::from(self.per_second)).min(f64::from(self.burst));
        self.at = now;
    }

    /// Counts one message received at `now`.
    pub fn check(&mut self, now: Instant) -> RateVerdict {
        self.refill(now);
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            self.refused = 0;
            return RateVerdict::Accept;
        }
        self.refused = self.refused.saturating_add(1);
        if self.refused > self.burst {
            RateVerdict::Close
        } else {
            RateVerdict::Refuse
        }
    }

    /// Messages a second, for the error's text.
    pub fn per_second(&self) -> u32 {
        self.per_second
    }

    /// How long until one more message is accepted.
    pub fn retry_after(&self) -> Duration {
        let missing = (1.0 - self.tokens).max(0.0);
        Duration::from_secs_f64(missing / f64::from(self.per_second.max(1)))
    }
}

/// Raises this process's soft limit on open files to its hard limit (the
/// most an unprivileged process may); returns (before, after). Each
/// websocket is a file.
pub fn raise_open_files_limit() -> std::io::Result<(u64, u64)> {
    use nix::sys::resource::{Resource, getrlimit, setrlimit};
    let (soft, hard) = getrlimit(Resource::RLIMIT_NOFILE).map_err(std::io::Error::from)?;
    if soft >= hard {
        return Ok((soft, soft));
    }
    setrlimit(Resource::RLIMIT_NOFILE, hard, hard).map_err(std::io::Error::from)?;
    Ok((soft, hard))
}

/// Raises the open-file limit as far as the host lets this process, logs
/// it, and warns when it cannot hold `max_connections` websockets.
pub fn check_open_files(max_connections: usize) {
    match raise_open_files_limit() {
        Ok((before, after)) => {
            if before != after {
                tracing::info!("open-file limit raised from {before} to {after} (the hard limit)");
            } else {
                tracing::info!("open-file limit {after}");
            }
            let needed = max_connections as u64 + SPARE_FILES;
            if after < needed {
                tracing::warn!(
                    "the open-file limit {after} is below {needed} ({max_connections} connections \
                     and {SPARE_FILES} spare): raise the hard limit (ulimit -Hn, LimitNOFILE= in a \
                     systemd unit) or lower --max-connections"
                );
            }
        }
        Err(e) => tracing::warn!("cannot raise the open-file limit: {e}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_passes_then_the_rate_refuses_then_a_flood_closes() {
        let t0 = Instant::now();
        let mut r = MessageRate::for_role(Some(Role::Spectator), t0);
        let (burst, per_second) = rate_for(Some(Role::Spectator));
        for _ in 0..burst {
            assert_eq!(r.check(t0), RateVerdict::Accept);
        }
        assert_eq!(r.check(t0), RateVerdict::Refuse);
        assert!(r.retry_after() > Duration::ZERO);
        // One interval later, one more.
        let later = t0 + Duration::from_secs_f64(1.0 / f64::from(per_second));
        assert_eq!(r.check(later), RateVerdict::Accept);
        for _ in 0..burst {
            assert_eq!(r.check(later), RateVerdict::Refuse);
        }
        assert_eq!(r.check(later), RateVerdict::Close);
        // Waiting as told resets it all.
        assert_eq!(
            r.check(later + Duration::from_secs(10)),
            RateVerdict::Accept
        );
    }

    #[test]
    fn an_admin_keeps_what_it_spent_before_hello() {
        let t0 = Instant::now();
        let mut r = MessageRate::for_role(None, t0);
        for _ in 0..30 {
            assert_eq!(r.check(t0), RateVerdict::Accept);
        }
        r.set_role(Role::Admin, t0);
        let left = (0..100)
            .take_while(|_| r.check(t0) == RateVerdict::Accept)
            .count();
        assert_eq!(left, 10);
    }
}
