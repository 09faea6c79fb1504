//! A websocket's TCP stream, shared by two writers: the connection's task,
//! which reads and writes whole messages through tungstenite, and live
//! games' fan-out, which writes a frame it encoded once for every
//! spectator straight to the stream (`live.rs`). Ten thousand spectators
//! of a frame then cost ten thousand `send`s from one loop, not ten
//! thousand task wake-ups, websocket encodings and copies.
//!
//! Bytes never interleave mid-frame: every write takes the stream's lock,
//! the fan-out writes only while tungstenite is between frames, and the
//! rest of a frame the fan-out could not finish goes out before anything
//! else the connection writes.

use std::io;
use std::pin::Pin;
use std::sync::Mutex;
use std::task::{Context, Poll, ready};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;

use super::lock;

/// The stream and what is half written on it.
pub struct Socket {
    stream: TcpStream,
    out: Mutex<Out>,
}

/// What the lock guards: the state of the bytes going out.
#[derive(Default)]
pub struct Out {
    /// The end of a frame the fan-out began: it goes out first.
    rest: Vec<u8>,
    /// Tungstenite is writing and its last write was short or blocked:
    /// one of its frames may be half out (it writes the rest on its next
    /// flush).
    short: bool,
}

impl Out {
    /// Nothing is half written: a whole frame may go out now.
    pub fn between_frames(&self) -> bool {
        self.rest.is_empty() && !self.short
    }
}

/// How a frame offered to the stream went.
pub enum Offered {
    /// All of it is in the kernel's buffer.
    Written,
    /// Part of it is; the rest waits in [`Out`] for the connection's task.
    Partly,
    /// None of it: the stream is full, or broken (the connection's task
    /// finds out when it next reads or writes).
    Not,
}

impl Socket {
    pub fn new(stream: TcpStream) -> Socket {
        Socket {
            stream,
            out: Mutex::new(Out::default()),
        }
    }

    /// The write lock: held for single non-blocking writes only, never
    /// across an await.
    pub fn out(&self) -> std::sync::MutexGuard<'_, Out> {
        lock(&self.out)
    }

    /// Writes `frame` (a whole websocket frame) without blocking, with the
    /// lock held by the caller; whatever does not fit is kept in `out` for
    /// the connection's task to write.
    pub fn offer(&self, out: &mut Out, frame: &[u8]) -> Offered {
        debug_assert!(out.between_frames());
        match self.stream.try_write(frame) {
            Ok(n) if n == frame.len() => Offered::Written,
            Ok(n) => {
                out.rest.extend_from_slice(&frame[n..]);
                Offered::Partly
            }
            Err(_) => Offered::Not,
        }
    }

    /// Writes what the fan-out left, waiting for room; ready once none is
    /// left.
    fn poll_rest(&self, out: &mut Out, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        while !out.rest.is_empty() {
            ready!(self.stream.poll_write_ready(cx))?;
            match self.stream.try_write(&out.rest) {
                Ok(n) => {
                    out.rest.drain(..n);
                }
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => {}
                Err(e) => return Poll::Ready(Err(e)),
            }
        }
        Poll::Ready(Ok(()))
    }
}

/// The stream as tungstenite's connection sees it.
pub struct SharedIo(pub std::sync::Arc<Socket>);

impl AsyncRead for SharedIo {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let stream = &self.0.stream;
        loop {
            ready!(stream.poll_read_ready(cx))?;
            match stream.try_read(buf.initialize_unfilled()) {
                Ok(n) => {
                    buf.advance(n);
                    return Poll::Ready(Ok(()));
                }
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => {}
                Err(e) => return Poll::Ready(Err(e)),
            }
        }
    }
}

impl AsyncWrite for SharedIo {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let socket = &self.0;
        let mut out = socket.out();
        // Until all of `buf` is out, tungstenite holds bytes the fan-out
        // must not overtake.
        out.short = true;
        ready!(socket.poll_rest(&mut out, cx))?;
        loop {
            ready!(socket.stream.poll_write_ready(cx))?;
            match socket.stream.try_write(buf) {
                Ok(n) => {
                    // Tungstenite hands over all it has buffered each time:
                    // a short write leaves part of a frame for later.
                    out.short = n < buf.len();
                    return Poll::Ready(Ok(n));
                }
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => {}
                Err(e) => return Poll::Ready(Err(e)),
            }
        }
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let socket = &self.0;
        let mut out = socket.out();
        // Tungstenite flushes the stream only once it wrote all it had:
        // none of its frames is half out.
        out.short = false;
        socket.poll_rest(&mut out, cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        ready!(self.as_mut().poll_flush(cx))?;
        let done = nix::sys::socket::shutdown(
            std::os::fd::AsRawFd::as_raw_fd(&self.0.stream),
            nix::sys::socket::Shutdown::Write,
        );
        Poll::Ready(done.map_err(io::Error::from))
    }
}
