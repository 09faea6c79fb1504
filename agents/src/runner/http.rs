//! A small HTTP/1.1 client over `TcpStream` (`Content-Length`, chunked, or
//! read-to-close bodies), with a deadline on the whole exchange, connections
//! kept alive between requests when the server keeps them (as the official
//! Battlesnake engine's client does), and the connector that reaches a bot
//! inside its own network namespace.
//!
//! The bot's namespace has only its own loopback; nothing outside can reach
//! it and it can reach nothing. To call it, the runner keeps one thread per
//! bot that has entered the bot's namespace with `setns(2)`: sockets that
//! thread creates belong to the bot's namespace, and keep belonging to it
//! when they are handed back to the runner's other threads.

use std::fs::File;
use std::io::{Read, Write};
use std::mem::MaybeUninit;
use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
use std::sync::mpsc::{Sender, channel};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use nix::libc;
use nix::sched::{CloneFlags, setns};
use socket2::SockRef;

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
    /// Connections the server kept open after answering, shared by every
    /// clone of this endpoint (the round's games in flight).
    pool: Arc<Pool>,
}

/// Idle kept-alive connections to one server, the most recently used last.
/// A request takes one (or opens one) and puts it back only after a whole
/// answer that leaves it reusable, so a connection is never shared by two
/// requests and a late answer never reaches the next request.
#[derive(Debug, Default)]
struct Pool {
    idle: Mutex<Vec<TcpStream>>,
}

/// Idle connections kept per server; more are closed. Each request in flight
/// holds one, so this bounds the idle ones, not the games in flight.
const MAX_IDLE: usize = 16;

impl Pool {
    /// A kept connection the server has neither closed nor written to since.
    fn take(&self) -> Option<TcpStream> {
        loop {
            let s = lock(&self.idle).pop()?;
            if idle_and_open(&s) {
                return Some(s);
            }
        }
    }

    fn put(&self, s: TcpStream) {
        let mut idle = lock(&self.idle);
        if idle.len() < MAX_IDLE {
            idle.push(s);
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Whether nothing is waiting to be read on an idle connection: not its end
/// (the server closed it) and no bytes nobody asked for.
fn idle_and_open(s: &TcpStream) -> bool {
    let mut byte = [MaybeUninit::<u8>::uninit()];
    match SockRef::from(s).recv_with_flags(&mut byte, libc::MSG_PEEK | libc::MSG_DONTWAIT) {
        Err(e) => e.kind() == std::io::ErrorKind::WouldBlock,
        Ok(_) => false,
    }
}

/// How one attempt on one connection failed.
enum Attempt {
    /// A kept connection turned out closed before any byte of the answer:
    /// the server closed it while idle, so the request may go again on a
    /// fresh connection. The error is what it means on a fresh one.
    Stale(HttpError),
    Failed(HttpError),
}

impl Endpoint {
    /// An endpoint reached through `connector`, with no connection yet.
    pub fn new(addr: SocketAddr, host: String, prefix: String, connector: Connector) -> Endpoint {
        Endpoint {
            addr,
            host,
            prefix,
            connector,
            pool: Arc::default(),
        }
    }

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
        Ok(Endpoint::new(
            addr,
            hostport.to_string(),
            prefix.to_string(),
            Connector::Direct,
        ))
    }

    /// One request, on a kept connection if the server left one open (once
    /// more on a fresh one if the server had closed it meanwhile), else on a
    /// new one. Returns the status and the body.
    pub fn call(
        &self,
        method: &str,
        path: &str,
        body: Option<&[u8]>,
        deadline: Instant,
        max_body: usize,
    ) -> Result<(u16, Vec<u8>), HttpError> {
        let mut req = format!(
            "{method} {}{path} HTTP/1.1\r\nHost: {}\r\nUser-Agent: arena\r\nAccept: application/json\r\n",
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
        if let Some(s) = self.pool.take() {
            match self.attempt(s, &bytes, deadline, max_body) {
                Err(Attempt::Stale(_)) => {}
                Ok(answer) => return Ok(answer),
                Err(Attempt::Failed(e)) => return Err(e),
            }
        }
        let t = left(deadline).ok_or(HttpError::Timeout)?;
        let s = self
            .connector
            .connect(self.addr, t)
            .map_err(|e| match e.kind() {
                std::io::ErrorKind::TimedOut => HttpError::Timeout,
                _ => HttpError::Connect(e.to_string()),
            })?;
        let _ = s.set_nodelay(true);
        self.attempt(s, &bytes, deadline, max_body)
            .map_err(|(Attempt::Stale(e) | Attempt::Failed(e))| e)
    }

    /// Sends `request` on `s` and reads the answer; keeps `s` if the answer
    /// leaves it reusable.
    fn attempt(
        &self,
        mut s: TcpStream,
        request: &[u8],
        deadline: Instant,
        max_body: usize,
    ) -> Result<(u16, Vec<u8>), Attempt> {
        let t = left(deadline).ok_or(Attempt::Failed(HttpError::Timeout))?;
        let sent = s
            .set_write_timeout(Some(t))
            .and_then(|()| s.write_all(request))
            .map_err(io);
        match sent {
            Ok(()) => {}
            Err(HttpError::Timeout) => return Err(Attempt::Failed(HttpError::Timeout)),
            Err(e) => return Err(Attempt::Stale(e)),
        }
        let answer = read_response(&mut s, deadline, max_body)?;
        if answer.reusable {
            self.pool.put(s);
        }
        Ok((answer.status, answer.body))
    }
}

/// What is left of the time until `deadline` (`None` once it passed).
fn left(deadline: Instant) -> Option<Duration> {
    deadline
        .checked_duration_since(Instant::now())
        .filter(|d| !d.is_zero())
}

fn io(e: std::io::Error) -> HttpError {
    match e.kind() {
        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut => HttpError::Timeout,
        _ => HttpError::Io(e.to_string()),
    }
}

/// Reads more bytes into `buf`, within the deadline; false at end of stream.
fn fill(s: &mut TcpStream, buf: &mut Vec<u8>, deadline: Instant) -> Result<bool, HttpError> {
    let t = left(deadline).ok_or(HttpError::Timeout)?;
    s.set_read_timeout(Some(t)).map_err(io)?;
    // Acknowledge what arrives at once: a server that writes its headers and
    // its body apart (Python's http.server) with Nagle's algorithm on holds
    // the body until the headers are acknowledged, and on a kept connection
    // Linux would delay that acknowledgement by up to 40 ms. The flag does
    // not stay set, hence before every read.
    let _ = SockRef::from(&*s).set_tcp_quickack(true);
    let mut chunk = [0u8; 16 << 10];
    let n = s.read(&mut chunk).map_err(io)?;
    buf.extend_from_slice(&chunk[..n]);
    Ok(n > 0)
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// A whole answer.
struct Answer {
    status: u16,
    body: Vec<u8>,
    /// The server keeps the connection open and sent nothing past the body.
    reusable: bool,
}

fn read_response(s: &mut TcpStream, deadline: Instant, max_body: usize) -> Result<Answer, Attempt> {
    const MAX_HEAD: usize = 64 << 10;
    let mut buf = Vec::new();
    let head = loop {
        if let Some(head) = parse_head(&buf).map_err(Attempt::Failed)? {
            break head;
        }
        if buf.len() > MAX_HEAD {
            return Err(Attempt::Failed(HttpError::Protocol(
                "headers too long".into(),
            )));
        }
        let closed = || HttpError::Protocol("connection closed before the headers ended".into());
        match fill(s, &mut buf, deadline) {
            Ok(true) => {}
            Ok(false) if buf.is_empty() => return Err(Attempt::Stale(closed())),
            Ok(false) => return Err(Attempt::Failed(closed())),
            Err(e @ HttpError::Io(_)) if buf.is_empty() => return Err(Attempt::Stale(e)),
            Err(e) => return Err(Attempt::Failed(e)),
        }
    };
    read_rest(s, buf, head, deadline, max_body).map_err(Attempt::Failed)
}

/// The body after a parsed head (`buf` holds the head and what followed it).
fn read_rest(
    s: &mut TcpStream,
    mut buf: Vec<u8>,
    head: Head,
    deadline: Instant,
    max_body: usize,
) -> Result<Answer, HttpError> {
    let Head {
        len,
        status,
        length,
        chunked,
        keep,
    } = head;
    let mut rest = buf.split_off(len);
    if chunked {
        let (body, clean) = read_chunked(s, rest, deadline, max_body)?;
        return Ok(Answer {
            status,
            body,
            reusable: keep && clean,
        });
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
            let clean = rest.len() == n;
            rest.truncate(n);
            Ok(Answer {
                status,
                body: rest,
                reusable: keep && clean,
            })
        }
        None => {
            while fill(s, &mut rest, deadline)? {
                if rest.len() > max_body {
                    return Err(HttpError::TooLarge(max_body));
                }
            }
            Ok(Answer {
                status,
                body: rest,
                reusable: false,
            })
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
    /// The server keeps the connection: HTTP/1.1 unless `Connection: close`,
    /// HTTP/1.0 only with `Connection: keep-alive`.
    keep: bool,
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
    let mut keep = response.version == Some(1);
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
        } else if h.name.eq_ignore_ascii_case("connection") {
            let token = |t: &str| value.split(',').any(|x| x.trim().eq_ignore_ascii_case(t));
            if token("close") {
                keep = false;
            } else if token("keep-alive") {
                keep = true;
            }
        }
    }
    Ok(Some(Head {
        len,
        status,
        length,
        chunked,
        keep,
    }))
}

/// A chunked body, and whether its end (trailers included) was all that
/// came after it.
fn read_chunked(
    s: &mut TcpStream,
    mut buf: Vec<u8>,
    deadline: Instant,
    max_body: usize,
) -> Result<(Vec<u8>, bool), HttpError> {
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
            return Ok((body, read_trailers(s, buf, deadline)));
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
            (head.len, head.status, head.length, head.chunked, head.keep),
            (raw.len() - 10, 200, Some(12), false, true)
        );
        let chunked = b"HTTP/1.0 500 Oops\r\ntransfer-encoding: Chunked\r\n\r\n";
        let head = parse_head(chunked).expect("parses").expect("complete");
        assert_eq!((head.status, head.chunked, head.keep), (500, true, false));
        let kept = b"HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\n\r\n";
        assert!(parse_head(kept).expect("parses").expect("complete").keep);
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

/// Reads the trailers after the last chunk, up to their empty line: true if
/// they ended cleanly with nothing after them (the connection can be kept).
/// The body is whole either way.
fn read_trailers(s: &mut TcpStream, mut buf: Vec<u8>, deadline: Instant) -> bool {
    loop {
        if buf.starts_with(b"\r\n") {
            return buf.len() == 2;
        }
        if let Some(i) = find(&buf, b"\r\n") {
            buf.drain(..i + 2);
            continue;
        }
        if buf.len() > 1024 || !matches!(fill(s, &mut buf, deadline), Ok(true)) {
            return false;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::BufRead;
    use std::io::BufReader;
    use std::net::TcpListener;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// A server on 127.0.0.1 whose `serve(connection number, request
    /// number on it, path)` says what to write back (`None`: close without
    /// answering); returns the endpoint and the count of connections made.
    fn server(
        serve: impl Fn(usize, usize, &str) -> Option<String> + Send + Sync + 'static,
    ) -> (Endpoint, Arc<AtomicUsize>) {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let addr = listener.local_addr().expect("address");
        let accepted = Arc::new(AtomicUsize::new(0));
        let count = accepted.clone();
        let serve = Arc::new(serve);
        std::thread::spawn(move || {
            for conn in listener.incoming() {
                let Ok(conn) = conn else { return };
                let n = count.fetch_add(1, Ordering::SeqCst);
                let serve = serve.clone();
                std::thread::spawn(move || {
                    let mut w = conn.try_clone().expect("clone");
                    let mut r = BufReader::new(conn);
                    for i in 0.. {
                        let mut line = String::new();
                        if r.read_line(&mut line).unwrap_or(0) == 0 {
                            return;
                        }
                        let path = line.split(' ').nth(1).unwrap_or_default().to_string();
                        let mut length = 0;
                        loop {
                            let mut h = String::new();
                            r.read_line(&mut h).expect("header");
                            if h == "\r\n" {
                                break;
                            }
                            if let Some(v) = h.to_ascii_lowercase().strip_prefix("content-length:")
                            {
                                length = v.trim().parse().expect("length");
                            }
                        }
                        let mut body = vec![0; length];
                        r.read_exact(&mut body).expect("body");
                        match serve(n, i, &path) {
                            Some(answer) => w.write_all(answer.as_bytes()).expect("answer"),
                            None => return,
                        }
                    }
                });
            }
        });
        (
            Endpoint::parse(&format!("http://{addr}")).expect("url"),
            accepted,
        )
    }

    fn ok(version: &str, body: &str) -> String {
        format!(
            "{version} 200 OK\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        )
    }

    fn call(ep: &Endpoint, path: &str, within: Duration) -> Result<String, HttpError> {
        ep.call("POST", path, Some(b"{}"), Instant::now() + within, 1 << 20)
            .map(|(_, b)| String::from_utf8_lossy(&b).into_owned())
    }

    const SECOND: Duration = Duration::from_secs(1);

    #[test]
    fn a_kept_connection_serves_the_next_requests() {
        let (ep, accepted) = server(|_, _, path| Some(ok("HTTP/1.1", path)));
        for i in 0..5 {
            assert_eq!(call(&ep, &format!("/{i}"), SECOND), Ok(format!("/{i}")));
        }
        assert_eq!(accepted.load(Ordering::SeqCst), 1);
    }

    #[test]
    fn a_chunked_answer_keeps_the_connection() {
        let (ep, accepted) = server(|_, _, _| {
            Some("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n".into())
        });
        for _ in 0..3 {
            assert_eq!(call(&ep, "/move", SECOND), Ok("{}".into()));
        }
        assert_eq!(accepted.load(Ordering::SeqCst), 1);
    }

    #[test]
    fn servers_that_close_get_a_connection_per_request() {
        let (ep, accepted) = server(|_, _, path| Some(ok("HTTP/1.0", path)));
        let (ep11, accepted11) = server(|_, _, path| {
            Some(format!(
                "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: {}\r\n\r\n{path}",
                path.len()
            ))
        });
        for i in 0..3 {
            assert_eq!(call(&ep, &format!("/{i}"), SECOND), Ok(format!("/{i}")));
            assert_eq!(call(&ep11, &format!("/{i}"), SECOND), Ok(format!("/{i}")));
        }
        assert_eq!(accepted.load(Ordering::SeqCst), 3);
        assert_eq!(accepted11.load(Ordering::SeqCst), 3);
    }

    #[test]
    fn a_connection_closed_by_the_server_is_retried_once_on_a_fresh_one() {
        // The first connection answers one request, then closes on reading
        // the second (as a server closing an idle connection does).
        let (ep, accepted) =
            server(|conn, i, path| (conn > 0 || i == 0).then(|| ok("HTTP/1.1", path)));
        assert_eq!(call(&ep, "/a", SECOND), Ok("/a".into()));
        assert_eq!(call(&ep, "/b", SECOND), Ok("/b".into()));
        assert_eq!(accepted.load(Ordering::SeqCst), 2);
        // A fresh connection that closes is not retried.
        let (ep, accepted) = server(|_, _, _| None);
        assert!(matches!(
            call(&ep, "/a", SECOND),
            Err(HttpError::Protocol(_))
        ));
        assert_eq!(accepted.load(Ordering::SeqCst), 1);
    }

    #[test]
    fn a_late_answer_does_not_reach_the_next_request() {
        let (ep, accepted) = server(|_, _, path| {
            if path == "/slow" {
                std::thread::sleep(Duration::from_millis(300));
            }
            Some(ok("HTTP/1.1", path))
        });
        assert_eq!(call(&ep, "/a", SECOND), Ok("/a".into()));
        assert_eq!(
            call(&ep, "/slow", Duration::from_millis(50)),
            Err(HttpError::Timeout)
        );
        std::thread::sleep(Duration::from_millis(400));
        assert_eq!(call(&ep, "/b", SECOND), Ok("/b".into()));
        assert_eq!(accepted.load(Ordering::SeqCst), 2);
    }

    #[test]
    fn bytes_after_the_answer_drop_the_connection() {
        let (ep, accepted) = server(|_, _, path| Some(format!("{}junk", ok("HTTP/1.1", path))));
        assert_eq!(call(&ep, "/a", SECOND), Ok("/a".into()));
        assert_eq!(call(&ep, "/b", SECOND), Ok("/b".into()));
        assert_eq!(accepted.load(Ordering::SeqCst), 2);
    }
}
