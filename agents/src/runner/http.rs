//! A small HTTP/1.1 client over `TcpStream` (one connection per request,
//! `Connection: close`; `Content-Length`, chunked, or read-to-close bodies),
//! with a deadline on the whole exchange, and the connector that reaches a
//! bot inside its own network namespace.
//!
//! The bot's namespace has only its own loopback; nothing outside can reach
//! it and it can reach nothing. To call it, the runner keeps one thread per
//! bot that has entered the bot's namespace with `setns(2)`: sockets that
//! thread creates belong to the bot's namespace, and keep belonging to it
//! when they are handed back to the runner's other threads.

use std::fs::File;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
use std::sync::mpsc::{Sender, channel};
use std::time::{Duration, Instant};

use nix::sched::{CloneFlags, setns};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HttpError {
    /// The deadline passed.
    Timeout,
    /// Could not connect (refused, unreachable): the server is not up.
    Connect(String),
    /// The connection broke.
    Io(String),
    /// Not HTTP, or not as expected.
    Protocol(String),
    /// The body is larger than allowed.
    TooLarge(usize),
}

impl std::fmt::Display for HttpError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            HttpError::Timeout => write!(f, "timed out"),
            HttpError::Connect(e) => write!(f, "cannot connect: {e}"),
            HttpError::Io(e) => write!(f, "connection error: {e}"),
            HttpError::Protocol(e) => write!(f, "bad HTTP response: {e}"),
            HttpError::TooLarge(n) => write!(f, "response body over {n} bytes"),
        }
    }
}

type ConnectReply = Sender<std::io::Result<TcpStream>>;

/// How to open a connection to the bot.
#[derive(Debug, Clone)]
pub enum Connector {
    /// In our own network namespace (external bots).
    Direct,
    /// Through a thread living in the bot's network namespace.
    Netns(Sender<(SocketAddr, Duration, ConnectReply)>),
}

impl Connector {
    /// Starts the thread that enters the network namespace `ns`
    /// (`/proc/<pid>/ns/net` of a process in the sandbox).
    pub fn enter(ns: File) -> std::io::Result<Connector> {
        let (tx, rx) = channel::<(SocketAddr, Duration, ConnectReply)>();
        std::thread::Builder::new()
            .name("bot-netns".into())
            .spawn(move || {
                let entered = setns(&ns, CloneFlags::CLONE_NEWNET).map_err(std::io::Error::from);
                for (addr, timeout, reply) in rx {
                    let r = match &entered {
                        Ok(()) => TcpStream::connect_timeout(&addr, timeout),
                        Err(e) => Err(std::io::Error::new(e.kind(), format!("setns: {e}"))),
                    };
                    let _ = reply.send(r);
                }
            })?;
        Ok(Connector::Netns(tx))
    }

    fn connect(&self, addr: SocketAddr, timeout: Duration) -> std::io::Result<TcpStream> {
        match self {
            Connector::Direct => TcpStream::connect_timeout(&addr, timeout),
            Connector::Netns(tx) => {
                let (rtx, rrx) = channel();
                tx.send((addr, timeout, rtx))
                    .map_err(|_| std::io::Error::other("netns connector is gone"))?;
                rrx.recv()
                    .map_err(|_| std::io::Error::other("netns connector is gone"))?
            }
        }
    }
}

/// Where a bot's server is: `http://host:port/prefix`.
#[derive(Debug, Clone)]
pub struct Endpoint {
    pub addr: SocketAddr,
    pub host: String,
    /// Path prefix without trailing `/` (`""` for the root).
    pub prefix: String,
    pub connector: Connector,
}

impl Endpoint {
    /// Parses `http://host[:port][/prefix]`. HTTPS is not supported.
    pub fn parse(url: &str) -> Result<Endpoint, String> {
        let rest = url
            .strip_prefix("http://")
            .ok_or_else(|| format!("{url}: only http:// URLs are supported"))?;
        let (hostport, prefix) = match rest.find('/') {
            Some(i) => (&rest[..i], rest[i..].trim_end_matches('/')),
            None => (rest, ""),
        };
        let with_port = if hostport.contains(':') {
            hostport.to_string()
        } else {
            format!("{hostport}:80")
        };
        let addr = with_port
            .to_socket_addrs()
            .map_err(|e| format!("{url}: {e}"))?
            .next()
            .ok_or_else(|| format!("{url}: no address"))?;
        Ok(Endpoint {
            addr,
            host: hostport.to_string(),
            prefix: prefix.to_string(),
            connector: Connector::Direct,
        })
    }

    /// One request. Returns the status and the body.
    pub fn call(
        &self,
        method: &str,
        path: &str,
        body: Option<&[u8]>,
        deadline: Instant,
        max_body: usize,
    ) -> Result<(u16, Vec<u8>), HttpError> {
        let left = || {
            deadline
                .checked_duration_since(Instant::now())
                .filter(|d| !d.is_zero())
        };
        let t = left().ok_or(HttpError::Timeout)?;
        let mut s = self
            .connector
            .connect(self.addr, t)
            .map_err(|e| match e.kind() {
                std::io::ErrorKind::TimedOut => HttpError::Timeout,
                _ => HttpError::Connect(e.to_string()),
            })?;
        let _ = s.set_nodelay(true);
        let mut req = format!(
            "{method} {}{path} HTTP/1.1\r\nHost: {}\r\nUser-Agent: arena\r\nAccept: application/json\r\nConnection: close\r\n",
            self.prefix, self.host
        );
        if let Some(b) = body {
            req.push_str(&format!(
                "Content-Type: application/json\r\nContent-Length: {}\r\n",
                b.len()
            ));
        }
        req.push_str("\r\n");
        let mut bytes = req.into_bytes();
        bytes.extend_from_slice(body.unwrap_or_default());
        let t = left().ok_or(HttpError::Timeout)?;
        s.set_write_timeout(Some(t)).map_err(io)?;
        s.write_all(&bytes).map_err(io)?;
        read_response(&mut s, deadline, max_body)
    }
}

fn io(e: std::io::Error) -> HttpError {
    match e.kind() {
        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut => HttpError::Timeout,
        _ => HttpError::Io(e.to_string()),
    }
}

/// Reads more bytes into `buf`, within the deadline; false at end of stream.
fn fill(s: &mut TcpStream, buf: &mut Vec<u8>, deadline: Instant) -> Result<bool, HttpError> {
    let t = deadline
        .checked_duration_since(Instant::now())
        .filter(|d| !d.is_zero())
        .ok_or(HttpError::Timeout)?;
    s.set_read_timeout(Some(t)).map_err(io)?;
    let mut chunk = [0u8; 16 << 10];
    let n = s.read(&mut chunk).map_err(io)?;
    buf.extend_from_slice(&chunk[..n]);
    Ok(n > 0)
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn read_response(
    s: &mut TcpStream,
    deadline: Instant,
    max_body: usize,
) -> Result<(u16, Vec<u8>), HttpError> {
    const MAX_HEAD: usize = 64 << 10;
    let mut buf = Vec::new();
    let head = loop {
        if let Some(head) = parse_head(&buf)? {
            break head;
        }
        if buf.len() > MAX_HEAD {
            return Err(HttpError::Protocol("headers too long".into()));
        }
        if !fill(s, &mut buf, deadline)? {
            return Err(HttpError::Protocol(
                "connection closed before the headers ended".into(),
            ));
        }
    };
    let Head {
        len,
        status,
        length,
        chunked,
    } = head;
    let mut rest = buf.split_off(len);
    if chunked {
        return read_chunked(s, rest, deadline, max_body).map(|b| (status, b));
    }
    match length {
        Some(n) if n > max_body => Err(HttpError::TooLarge(max_body)),
        Some(n) => {
            while rest.len() < n {
                if !fill(s, &mut rest, deadline)? {
                    return Err(HttpError::Protocol(
                        "connection closed inside the body".into(),
                    ));
                }
            }
            rest.truncate(n);
            Ok((status, rest))
        }
        None => {
            while fill(s, &mut rest, deadline)? {
                if rest.len() > max_body {
                    return Err(HttpError::TooLarge(max_body));
                }
            }
            Ok((status, rest))
        }
    }
}

/// What the body's reading needs from a response's head.
struct Head {
    /// Bytes of the head, its blank line included.
    len: usize,
    status: u16,
    /// `Content-Length`, if given.
    length: Option<usize>,
    /// `Transfer-Encoding: chunked`.
    chunked: bool,
}

/// Parses a response's head (httparse); `None` while it is incomplete.
fn parse_head(buf: &[u8]) -> Result<Option<Head>, HttpError> {
    let mut headers = [httparse::EMPTY_HEADER; 64];
    let mut response = httparse::Response::new(&mut headers);
    let len = match response.parse(buf) {
        Ok(httparse::Status::Complete(len)) => len,
        Ok(httparse::Status::Partial) => return Ok(None),
        Err(e) => return Err(HttpError::Protocol(format!("bad response head: {e}"))),
    };
    let status = response
        .code
        .ok_or_else(|| HttpError::Protocol("a response without a status".into()))?;
    let mut length = None;
    let mut chunked = false;
    for h in response.headers.iter() {
        let value = String::from_utf8_lossy(h.value);
        let value = value.trim();
        if h.name.eq_ignore_ascii_case("content-length") {
            length = Some(
                value
                    .parse::<usize>()
                    .map_err(|_| HttpError::Protocol(format!("Content-Length {value:?}")))?,
            );
        } else if h.name.eq_ignore_ascii_case("transfer-encoding")
            && value.to_ascii_lowercase().contains("chunked")
        {
            chunked = true;
        }
    }
    Ok(Some(Head {
        len,
        status,
        length,
        chunked,
    }))
}

fn read_chunked(
    s: &mut TcpStream,
    mut buf: Vec<u8>,
    deadline: Instant,
    max_body: usize,
) -> Result<Vec<u8>, HttpError> {
    let mut body = Vec::new();
    loop {
        let line_end = loop {
            if let Some(i) = find(&buf, b"\r\n") {
                break i;
            }
            if buf.len() > 1024 || !fill(s, &mut buf, deadline)? {
                return Err(HttpError::Protocol("bad chunk header".into()));
            }
        };
        let size_text = String::from_utf8_lossy(&buf[..line_end]).into_owned();
        let size_hex = size_text.split(';').next().unwrap_or_default().trim();
        let size = usize::from_str_radix(size_hex, 16)
            .map_err(|_| HttpError::Protocol(format!("chunk size {size_hex:?}")))?;
        buf.drain(..line_end + 2);
        if size == 0 {
            return Ok(body);
        }
        if body.len() + size > max_body {
            return Err(HttpError::TooLarge(max_body));
        }
        while buf.len() < size + 2 {
            if !fill(s, &mut buf, deadline)? {
                return Err(HttpError::Protocol(
                    "connection closed inside a chunk".into(),
                ));
            }
        }
        body.extend_from_slice(&buf[..size]);
        buf.drain(..size + 2);
    }
}

#[cfg(test)]
mod head_tests {
    use super::*;

    #[test]
    fn a_head_is_read_once_complete() {
        let raw = b"HTTP/1.1 200 OK\r\nContent-Length: 12\r\nX: y\r\n\r\n{\"move\":1}";
        assert!(parse_head(&raw[..20]).expect("partial").is_none());
        let head = parse_head(raw).expect("parses").expect("complete");
        assert_eq!(
            (head.len, head.status, head.length, head.chunked),
            (raw.len() - 10, 200, Some(12), false)
        );
        let chunked = b"HTTP/1.0 500 Oops\r\ntransfer-encoding: Chunked\r\n\r\n";
        let head = parse_head(chunked).expect("parses").expect("complete");
        assert_eq!((head.status, head.chunked), (500, true));
    }

    #[test]
    fn a_bad_head_says_what_is_wrong() {
        for raw in [
            &b"SSH-2.0-OpenSSH\r\n\r\n"[..],
            b"HTTP/1.1 200 OK\r\nContent-Length: lots\r\n\r\n",
        ] {
            let Err(HttpError::Protocol(why)) = parse_head(raw) else {
                panic!("{raw:?} parsed");
            };
            assert!(!why.is_empty());
        }
    }
}
