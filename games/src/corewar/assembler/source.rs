//! Reading the source file as pMARS does: 255-byte `fgets` chunks, `\`
//! continuation, comments stripped, and the `;` lines that matter before
//! assembly starts (`;redcode`, `;name`, `;author`, `;assert`, ...).

use std::rc::Rc;

use super::state::{Line, Src};
use super::token::{Kind, at, get_token, skip_space};

/// The `;` header fields pMARS keeps.
#[derive(Clone, Debug)]
pub(crate) struct Header {
    pub name: String,
    pub author: String,
    pub date: String,
    pub version: String,
}

/// The comment switches pMARS keeps as lines for pass 1 (`swname`).
const SWITCHES: [&[u8]; 4] = [b"DEBUG", b"TRACE", b"BREAK", b"ASSERT"];

/// Splits `source` into pMARS's logical lines and the header.
pub(crate) fn read(source: &[u8]) -> (Vec<Line>, Header) {
    let mut header = Header {
        name: "Unknown".into(),
        author: "Anonymous".into(),
        date: String::new(),
        version: String::new(),
    };
    let mut lines: Vec<Line> = Vec::new();
    let mut pos = 0usize;
    let mut loc: u16 = 0;
    let mut redcode_seen = false;
    let mut cont = true;
    while cont {
        let mut buf: Vec<u8> = Vec::new();
        loop {
            if pos >= source.len() {
                // fgets hit end of file (pMARS would spin forever on a
                // dangling `\`; we stop).
                cont = false;
                break;
            }
            let room = 255 - buf.len();
            let mut end = pos;
            while end < source.len() && end - pos < room {
                end += 1;
                if source[end - 1] == b'\n' {
                    break;
                }
            }
            let old = buf.len();
            buf.extend_from_slice(&source[pos..end]);
            pos = end;
            let cut = buf[old..]
                .iter()
                .position(|&b| b == 0 || b == b'\n' || b == b'\r')
                .map_or(buf.len(), |p| old + p);
            buf.truncate(cut);
            if buf.last() == Some(&b'\\') {
                buf.pop();
            } else {
                break;
            }
        }
        loc = loc.wrapping_add(1);
        let (kind, _, i) = get_token(&buf, 0);
        match kind {
            Kind::Comment => {
                if switch(&buf, i, loc, &mut header, &mut lines) {
                    if redcode_seen {
                        cont = false;
                    } else {
                        lines.clear();
                        redcode_seen = true;
                    }
                }
            }
            Kind::None => {}
            _ => {
                let text = strip_comment(&buf, 0);
                lines.push(line(text, loc));
            }
        }
    }
    (lines, header)
}

fn line(text: Vec<u8>, loc: u16) -> Line {
    let src = Rc::new(Src {
        text: String::from_utf8_lossy(&text).into_owned(),
        loc,
    });
    Line {
        text,
        src: Some(src),
        dbg: false,
    }
}

/// The text up to the first `;` at or after `from`.
fn strip_comment(s: &[u8], from: usize) -> Vec<u8> {
    let end = s[from.min(s.len())..]
        .iter()
        .position(|&b| b == b';')
        .map_or(s.len(), |p| from + p);
    s[..end].to_vec()
}

/// `globalswitch`: handles a line starting with `;`. Returns true for
/// `;redcode` (no space between `;` and `redcode`).
fn switch(s: &[u8], idx: usize, loc: u16, header: &mut Header, lines: &mut Vec<Line>) -> bool {
    let (_, token, mut i) = get_token(s, idx);
    let token = token.to_ascii_uppercase();
    if token == b"REDCODE" && i == idx + 7 {
        return true;
    }
    i = skip_space(s, i);
    let rest = String::from_utf8_lossy(&s[i.min(s.len())..]).into_owned();
    let or = |d: &str| {
        if at(s, i) == 0 {
            d.to_string()
        } else {
            rest.clone()
        }
    };
    match token.as_slice() {
        b"NAME" => header.name = or("Unknown"),
        b"AUTHOR" => header.author = or("Anonymous"),
        b"DATE" => header.date = or(""),
        b"VERSION" => header.version = or(""),
        t if SWITCHES.contains(&t) => lines.push(line(strip_comment(s, i), loc)),
        _ => {}
    }
    false
}
