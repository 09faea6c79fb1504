//! The lexer pMARS uses everywhere (`get_token` in `token.c`): one token at a
//! time from a byte index, skipping leading white space.
//!
//! Lines never contain NUL (the reader cuts them there), so "past the end"
//! plays the role of C's terminating NUL.

/// What `get_token` found, as pMARS classifies tokens.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    /// End of the text.
    None,
    /// An addressing-mode sigil: `# $ @ < > * { }`.
    Addr,
    /// The field separator `,`.
    FieldSep,
    /// The comment sigil `;`.
    Comment,
    /// The modifier dot `.`.
    Modifier,
    /// An operator: `( ) / + - % ! =`, `&&` or `||`.
    Expr,
    /// An identifier: a letter or `_`, then letters, digits and `_`.
    Char,
    /// A run of decimal digits.
    Number,
    /// A lone `&` (concatenation).
    Append,
    /// Anything else, one byte.
    Misc,
}

/// The byte at `i`, or 0 past the end (C's terminating NUL).
pub(crate) fn at(s: &[u8], i: usize) -> u8 {
    s.get(i).copied().unwrap_or(0)
}

/// C's `isspace` in the "C" locale.
pub(crate) fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

fn is_ident_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_'
}

fn is_expr_sym(b: u8) -> bool {
    b"()/+-%!=".contains(&b)
}

/// Whether `b` is one of the eight addressing-mode sigils.
pub(crate) fn is_addr_sym(b: u8) -> bool {
    b"#$@<>*{}".contains(&b)
}

/// Index of `b` in pMARS's `addr_sym` table `#$@<>*{}`.
pub(crate) fn addr_index(b: u8) -> u8 {
    b"#$@<>*{}"
        .iter()
        .position(|&c| c == b)
        .map_or(8, |p| p as u8)
}

/// Skips white space from `i`.
pub(crate) fn skip_space(s: &[u8], mut i: usize) -> usize {
    while is_space(at(s, i)) {
        i += 1;
    }
    i
}

/// Reads the token starting at or after `idx`; returns its kind, its text and
/// the index just past it.
pub(crate) fn get_token(s: &[u8], idx: usize) -> (Kind, Vec<u8>, usize) {
    let mut src = skip_space(s, idx);
    let ch = at(s, src);
    let mut token = Vec::new();
    if ch == 0 {
        return (Kind::None, token, src);
    }
    let kind = if ch.is_ascii_digit() {
        while at(s, src).is_ascii_digit() {
            token.push(at(s, src));
            src += 1;
        }
        return (Kind::Number, token, src);
    } else if is_ident_start(ch) {
        while is_ident_start(at(s, src)) || at(s, src).is_ascii_digit() {
            token.push(at(s, src));
            src += 1;
        }
        return (Kind::Char, token, src);
    } else if is_expr_sym(ch) {
        Kind::Expr
    } else if is_addr_sym(ch) {
        Kind::Addr
    } else if ch == b'&' {
        if at(s, src + 1) == b'&' {
            token.push(ch);
            src += 1;
            Kind::Expr
        } else {
            Kind::Append
        }
    } else if ch == b';' {
        Kind::Comment
    } else if ch == b',' {
        Kind::FieldSep
    } else if ch == b'.' {
        Kind::Modifier
    } else if ch == b'|' && at(s, src + 1) == b'|' {
        token.push(ch);
        src += 1;
        Kind::Expr
    } else {
        Kind::Misc
    };
    token.push(at(s, src));
    src += 1;
    (kind, token, src)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_tokens() {
        let s = b"  lbl: mov.i #12, }x && y || z & w";
        let mut i = 0;
        let mut kinds = Vec::new();
        loop {
            let (k, t, n) = get_token(s, i);
            if k == Kind::None {
                break;
            }
            kinds.push((k, String::from_utf8_lossy(&t).into_owned()));
            i = n;
        }
        let expect = [
            (Kind::Char, "lbl"),
            (Kind::Misc, ":"),
            (Kind::Char, "mov"),
            (Kind::Modifier, "."),
            (Kind::Char, "i"),
            (Kind::Addr, "#"),
            (Kind::Number, "12"),
            (Kind::FieldSep, ","),
            (Kind::Addr, "}"),
            (Kind::Char, "x"),
            (Kind::Expr, "&&"),
            (Kind::Char, "y"),
            (Kind::Expr, "||"),
            (Kind::Char, "z"),
            (Kind::Append, "&"),
            (Kind::Char, "w"),
        ];
        let got: Vec<(Kind, &str)> = kinds.iter().map(|(k, t)| (*k, t.as_str())).collect();
        assert_eq!(got, expect);
    }
}
