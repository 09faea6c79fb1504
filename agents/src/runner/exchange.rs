//! Requests: one JSON message to the bot, one JSON answer back within the
//! deadline, over stdin/stdout lines or HTTP. Any failure stops the bot with
//! its reason; later requests return the same reason.

use std::sync::mpsc::RecvTimeoutError;
use std::time::{Duration, Instant};

use serde::de::DeserializeOwned;
use serde_json::Value;

use super::http::{Endpoint, HttpError};
use super::io::Out;
use super::process::{BotProcess, Protocol};
use super::reason::{Phase, StopReason};

/// The first characters of something a bot sent, for messages.
pub(super) fn snippet(bytes: &[u8]) -> String {
    let s = String::from_utf8_lossy(&bytes[..bytes.len().min(80)]).into_owned();
    if bytes.len() > 80 {
        format!("{s:?}...")
    } else {
        format!("{s:?}")
    }
}

/// Parses an answer: a JSON object.
pub(super) fn parse_answer(bytes: &[u8]) -> Result<Value, StopReason> {
    match serde_json::from_slice::<Value>(bytes) {
        Ok(v @ Value::Object(_)) => Ok(v),
        Ok(_) => Err(StopReason::ProtocolError {
            what: format!(
                "wrong shape: expected a JSON object, got {}",
                snippet(bytes)
            ),
        }),
        Err(_) => Err(StopReason::ProtocolError {
            what: format!("not JSON: {}", snippet(bytes)),
        }),
    }
}

/// The HTTP path and body for a message: `POST /<type>` with the message
/// minus its `type` field (BattleSnake's `/start`, `/move`, `/end`).
pub(super) fn http_route(msg: &Value) -> Result<(String, Vec<u8>), String> {
    let kind = msg
        .get("type")
        .and_then(Value::as_str)
        .filter(|k| !k.is_empty() && k.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_'))
        .ok_or("an HTTP request needs a \"type\" field naming the path")?;
    // The message minus `type`, written without copying the message.
    struct Body<'a>(&'a serde_json::Map<String, Value>);
    impl serde::Serialize for Body<'_> {
        fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            s.collect_map(self.0.iter().filter(|(k, _)| *k != "type"))
        }
    }
    let bytes = match msg {
        Value::Object(map) => serde_json::to_vec(&Body(map)),
        other => serde_json::to_vec(other),
    }
    .map_err(|e| e.to_string())?;
    Ok((format!("/{kind}"), bytes))
}

/// How one HTTP exchange failed, before the caller decides what it means
/// for the bot (its process may have died meanwhile).
pub(super) enum HttpFailure {
    /// The deadline passed without an answer.
    Late,
    /// The bot answered, but not as the protocol says (HTTP status, not a
    /// JSON object, a body over the maximum), or the message could not be
    /// sent (`RunnerError`): this request's fault, the process still runs.
    Answer(StopReason),
    /// No connection could be made (`POST /path: cannot connect: ...`).
    Connect(String),
    /// The connection broke before a whole answer came back.
    Broken(String),
}

/// `POST /<type>` with `msg` minus its `type`, within `deadline`, and the
/// parsed answer. Shared by [`BotProcess`] and the round-long server.
pub(super) fn call_http(
    ep: &Endpoint,
    msg: &Value,
    deadline: Instant,
    max_body: usize,
) -> Result<Value, HttpFailure> {
    let (path, body) =
        http_route(msg).map_err(|what| HttpFailure::Answer(StopReason::RunnerError { what }))?;
    match ep.call("POST", &path, Some(&body), deadline, max_body) {
        Ok((status, _)) if !(200..300).contains(&status) => {
            Err(HttpFailure::Answer(StopReason::ProtocolError {
                what: format!("POST {path}: HTTP status {status}"),
            }))
        }
        Ok((_, b)) if answer_ignored(msg) => Ok(parse_answer(&b).unwrap_or(Value::Null)),
        Ok((_, b)) => parse_answer(&b).map_err(HttpFailure::Answer),
        Err(HttpError::Timeout) => Err(HttpFailure::Late),
        Err(HttpError::TooLarge(n)) => Err(HttpFailure::Answer(StopReason::OutputLimit {
            stream: "HTTP response",
            limit: n as u64,
        })),
        Err(e @ HttpError::Connect(_)) => Err(HttpFailure::Connect(format!("POST {path}: {e}"))),
        Err(e) => Err(HttpFailure::Broken(format!("POST {path}: {e}"))),
    }
}

/// Whether the answer to this kind of message is ignored by the protocol
/// (HTTP `/start` and `/end` may answer with anything).
fn answer_ignored(msg: &Value) -> bool {
    matches!(
        msg.get("type").and_then(Value::as_str),
        Some("start" | "end")
    )
}

impl BotProcess {
    /// Sends `msg` and waits at most `deadline` for the answer (the first
    /// request of a stdin/stdout bot may also use what is left of the
    /// start-up deadline). Latency is recorded. On any failure the bot is
    /// killed and the reason returned.
    pub fn request(&mut self, msg: &Value, deadline: Duration) -> Result<Value, StopReason> {
        if let Some(r) = &self.stopped {
            return Err(r.clone());
        }
        let t0 = Instant::now();
        let answer = match self.protocol {
            Protocol::JsonLines | Protocol::Lines => self.request_line(msg, t0, deadline),
            Protocol::Http { .. } => self.request_http(msg, t0, deadline),
        };
        match answer {
            Ok(v) => {
                self.latency.record(t0.elapsed());
                self.answered_once = true;
                Ok(v)
            }
            Err(reason) => Err(self.fail(reason)),
        }
    }

    /// Like [`request`](Self::request), except that an HTTP bot that does not
    /// answer in time only misses this turn (`Ok(None)`) and is asked again
    /// next time, as the official Battlesnake engine treats a late snake.
    /// A stdin/stdout bot cannot skip a turn (its late answer would be read
    /// as the next one), so for it a timeout stops the bot as usual.
    pub fn request_or_late(
        &mut self,
        msg: &Value,
        deadline: Duration,
    ) -> Result<Option<Value>, StopReason> {
        if let Some(r) = &self.stopped {
            return Err(r.clone());
        }
        if !matches!(self.protocol, Protocol::Http { .. }) {
            return self.request(msg, deadline).map(Some);
        }
        let t0 = Instant::now();
        match self.request_http(msg, t0, deadline) {
            Ok(v) => {
                self.latency.record(t0.elapsed());
                self.answered_once = true;
                Ok(Some(v))
            }
            Err(StopReason::Timeout { .. }) if self.dead_reason().is_none() => {
                self.latency.record(t0.elapsed());
                Ok(None)
            }
            Err(reason) => Err(self.fail(reason)),
        }
    }

    /// [`request`](Self::request), then the answer as `T`; an answer of the
    /// wrong shape is a `ProtocolError`.
    pub fn request_as<T: DeserializeOwned>(
        &mut self,
        msg: &Value,
        deadline: Duration,
    ) -> Result<T, StopReason> {
        let v = self.request(msg, deadline)?;
        serde_json::from_value(v).map_err(|e| {
            self.fail(StopReason::ProtocolError {
                what: format!("wrong shape: {e}"),
            })
        })
    }

    fn request_line(
        &mut self,
        msg: &Value,
        t0: Instant,
        deadline: Duration,
    ) -> Result<Value, StopReason> {
        let raw = self.protocol == Protocol::Lines;
        // Anything already waiting on stdout was not asked for (a raw line
        // stream is read in order instead).
        if let Some(rx) = &self.stdout
            && !raw
        {
            match rx.try_recv() {
                Ok(Out::Line(l)) => {
                    return Err(StopReason::ProtocolError {
                        what: format!("wrote a line nobody asked for: {}", snippet(&l)),
                    });
                }
                Ok(Out::Eof) => return Err(self.reason_after_eof()),
                Err(_) => {}
            }
        }
        if let Some(r) = self.dead_reason() {
            return Err(r);
        }
        let mut line = match (raw, msg) {
            (true, Value::String(text)) => text.as_bytes().to_vec(),
            (true, _) => {
                return Err(StopReason::RunnerError {
                    what: "a text-lines bot takes text requests".into(),
                });
            }
            (false, _) => serde_json::to_vec(msg).map_err(|e| StopReason::RunnerError {
                what: format!("serialising: {e}"),
            })?,
        };
        line.push(b'\n');
        let sent = self.stdin.as_ref().is_some_and(|tx| tx.send(line).is_ok());
        if !sent {
            return Err(self.reason_after_eof());
        }
        // Start-up time counts for the first answer.
        let mut end = t0 + deadline;
        let mut phase = Phase::Request;
        let mut allowed = deadline;
        let startup_end = self.spawned + self.limits.startup;
        if !self.answered_once && startup_end > end {
            end = startup_end;
            phase = Phase::Start;
            allowed = self.limits.startup;
        }
        let left = end.saturating_duration_since(Instant::now());
        let got = match &self.stdout {
            Some(rx) => rx.recv_timeout(left),
            None => Err(RecvTimeoutError::Disconnected),
        };
        match got {
            Ok(Out::Line(l)) if raw => Ok(Value::String(String::from_utf8_lossy(&l).into_owned())),
            Ok(Out::Line(l)) => parse_answer(&l),
            Ok(Out::Eof) | Err(RecvTimeoutError::Disconnected) => Err(self.reason_after_eof()),
            Err(RecvTimeoutError::Timeout) => {
                Err(self.dead_reason().unwrap_or(StopReason::Timeout {
                    phase,
                    after: allowed,
                }))
            }
        }
    }

    fn request_http(
        &mut self,
        msg: &Value,
        t0: Instant,
        deadline: Duration,
    ) -> Result<Value, StopReason> {
        let Some(ep) = &self.endpoint else {
            return Err(StopReason::RunnerError {
                what: "HTTP bot without endpoint".into(),
            });
        };
        match call_http(ep, msg, t0 + deadline, self.limits.max_message_bytes) {
            Ok(v) => Ok(v),
            Err(HttpFailure::Late) => Err(self.dead_reason().unwrap_or(StopReason::Timeout {
                phase: Phase::Request,
                after: deadline,
            })),
            Err(HttpFailure::Answer(r)) => Err(r),
            Err(HttpFailure::Connect(what) | HttpFailure::Broken(what)) => {
                std::thread::sleep(Duration::from_millis(20));
                Err(self
                    .dead_reason()
                    .unwrap_or(StopReason::ProtocolError { what }))
            }
        }
    }
}
