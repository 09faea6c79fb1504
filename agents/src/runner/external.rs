//! [`ExternalBot`]: a bot already running somewhere, called at its URL with
//! the same HTTP client and deadlines, and no sandbox (it is not ours to
//! confine).

use std::time::{Duration, Instant};

use serde_json::Value;

use super::exchange::{http_route, parse_answer};
use super::http::{Endpoint, HttpError};
use super::reason::{Latency, Phase, StopReason, StopReport};

pub struct ExternalBot {
    endpoint: Endpoint,
    max_body: usize,
    info: Option<Value>,
    latency: Latency,
    stopped: Option<StopReason>,
    since: Instant,
}

impl ExternalBot {
    /// Checks that `GET <url>/` answers within `startup`.
    pub fn connect(url: &str, startup: Duration) -> Result<ExternalBot, Box<StopReport>> {
        let since = Instant::now();
        let mut bot = ExternalBot {
            endpoint: Endpoint::parse(url)
                .map_err(|what| Self::report_for(StopReason::RunnerError { what }, since))?,
            max_body: 1 << 20,
            info: None,
            latency: Latency::default(),
            stopped: None,
            since,
        };
        match bot
            .endpoint
            .call("GET", "/", None, since + startup, bot.max_body)
        {
            Ok((_, body)) => {
                bot.info = serde_json::from_slice(&body).ok();
                Ok(bot)
            }
            Err(HttpError::Timeout) => Err(Self::report_for(
                StopReason::Timeout {
                    phase: Phase::Start,
                    after: startup,
                },
                since,
            )),
            Err(e) => Err(Self::report_for(
                StopReason::ProtocolError {
                    what: format!("GET {url}/: {e}"),
                },
                since,
            )),
        }
    }

    fn report_for(reason: StopReason, since: Instant) -> Box<StopReport> {
        Box::new(StopReport {
            reason,
            stderr_tail: String::new(),
            stderr_bytes: 0,
            cpu_time: None,
            peak_memory: None,
            latency: Latency::default(),
            wall_time: since.elapsed(),
        })
    }

    pub fn info(&self) -> Option<&Value> {
        self.info.as_ref()
    }

    pub fn latency(&self) -> &Latency {
        &self.latency
    }

    /// `POST /<type>` with the message minus `type`, as for sandboxed HTTP
    /// bots. A failure ends the bot's game (later requests return it).
    pub fn request(&mut self, msg: &Value, deadline: Duration) -> Result<Value, StopReason> {
        if let Some(r) = &self.stopped {
            return Err(r.clone());
        }
        let t0 = Instant::now();
        let r = match http_route(msg) {
            Err(what) => Err(StopReason::RunnerError { what }),
            Ok((path, body)) => {
                match self
                    .endpoint
                    .call("POST", &path, Some(&body), t0 + deadline, self.max_body)
                {
                    Ok((s, _)) if !(200..300).contains(&s) => Err(StopReason::ProtocolError {
                        what: format!("POST {path}: HTTP status {s}"),
                    }),
                    Ok((_, b))
                        if matches!(
                            msg.get("type").and_then(Value::as_str),
                            Some("start" | "end")
                        ) =>
                    {
                        Ok(parse_answer(&b).unwrap_or(Value::Null))
                    }
                    Ok((_, b)) => parse_answer(&b),
                    Err(HttpError::Timeout) => Err(StopReason::Timeout {
                        phase: Phase::Request,
                        after: deadline,
                    }),
                    Err(HttpError::TooLarge(n)) => Err(StopReason::OutputLimit {
                        stream: "HTTP response",
                        limit: n as u64,
                    }),
                    Err(e) => Err(StopReason::ProtocolError {
                        what: format!("POST {path}: {e}"),
                    }),
                }
            }
        };
        match r {
            Ok(v) => {
                self.latency.record(t0.elapsed());
                Ok(v)
            }
            Err(e) => {
                self.stopped = Some(e.clone());
                Err(e)
            }
        }
    }

    /// Like [`request`](Self::request), but a late answer only misses this
    /// turn (`Ok(None)`), as the official Battlesnake engine treats it.
    pub fn request_or_late(
        &mut self,
        msg: &Value,
        deadline: Duration,
    ) -> Result<Option<Value>, StopReason> {
        match self.request(msg, deadline) {
            Ok(v) => Ok(Some(v)),
            Err(StopReason::Timeout { .. }) => {
                self.stopped = None;
                Ok(None)
            }
            Err(e) => Err(e),
        }
    }

    pub fn stop(self) -> StopReport {
        let mut report = Self::report_for(
            self.stopped.clone().unwrap_or(StopReason::Ended),
            self.since,
        );
        report.latency = self.latency;
        *report
    }
}
