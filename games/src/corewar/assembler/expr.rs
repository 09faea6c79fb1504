//! pMARS's expression evaluator (`eval.c`), reproduced operator for operator.
//!
//! Values are C `long`s (64-bit here). Operators, high to low precedence:
//! `* / %`, `+ -`, comparisons `< > <= >= == !=`, `&&`, `||`. Unary `- + !`
//! bind tightest. The letters `a`..`z` (any case) are 26 registers; `x=expr`
//! assigns. pMARS's precedence climbing has quirks (e.g. a pending `==` is
//! forgotten in some chains); they are kept because warriors' `;assert`s and
//! the score formula are evaluated by them.

/// pMARS's `OVERFLOW`/`OK_EXPR`/`BAD_EXPR`/`DIV_ZERO` outcome of an evaluation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// The value is good.
    Ok,
    /// The value is good but some `+ - *` overflowed (a warning in pMARS).
    Overflow,
    /// Syntax error.
    Bad,
    /// Division or modulo by zero.
    DivZero,
}

/// Why an expression has no value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ExprError {
    /// pMARS: "Bad expression".
    #[error("Bad expression")]
    Bad,
    /// pMARS: "Division by zero".
    #[error("Division by zero")]
    DivZero,
}

/// The 26 registers `A`..`Z`, shared by every evaluation of one assembly
/// (pMARS resets them only after each warrior).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Registers {
    values: [i64; 26],
    /// eval.c's static `saveOper`, which survives between evaluations.
    save_oper: u8,
}

impl Registers {
    /// All registers zero.
    pub fn new() -> Self {
        Self::default()
    }

    /// Register `letter` (either case); 0 for a non-letter.
    pub fn get(&self, letter: char) -> i64 {
        Self::index(letter).map_or(0, |i| self.values[i])
    }

    /// Sets register `letter` (either case); ignores a non-letter.
    pub fn set(&mut self, letter: char, value: i64) {
        if let Some(i) = Self::index(letter) {
            self.values[i] = value;
        }
    }

    fn index(letter: char) -> Option<usize> {
        let u = letter.to_ascii_uppercase();
        u.is_ascii_uppercase().then(|| (u as u8 - b'A') as usize)
    }
}

/// Evaluates `text` as pMARS would; overflow is not an error here.
pub fn eval(text: &str, registers: &mut Registers) -> Result<i64, ExprError> {
    match eval_expr(text.as_bytes(), registers) {
        (v, Status::Ok | Status::Overflow) => Ok(v),
        (_, Status::Bad) => Err(ExprError::Bad),
        (_, Status::DivZero) => Err(ExprError::DivZero),
    }
}

/// `eval_expr`: the value and pMARS's status code.
pub fn eval_expr(text: &[u8], registers: &mut Registers) -> (i64, Status) {
    let mut e = Evaluator {
        s: text,
        regs: registers,
        err: Status::Ok,
        depth: 0,
    };
    let (pos, value) = e.eval(-1, 0, IDENT, 0);
    if at(text, pos) != 0 {
        e.err = Status::Bad;
    }
    (value, e.err)
}

// Two-character operators, coded as in eval.c (below any printable byte).
const EQUAL: u8 = 0;
const NEQU: u8 = 1;
const GTE: u8 = 2;
const LTE: u8 = 3;
const AND: u8 = 4;
const OR: u8 = 5;
const IDENT: u8 = 6;
/// An operator slot C leaves uninitialised (`&x`, `=x`, `!x`); never valid.
const UNSET: u8 = 0xff;

/// Nesting beyond this is reported as a bad expression instead of
/// exhausting the stack (pMARS lines are at most 255 bytes, so real
/// expressions never get near it).
const MAX_DEPTH: usize = 2000;

fn at(s: &[u8], i: usize) -> u8 {
    s.get(i).copied().unwrap_or(0)
}

fn precedence(op: u8) -> i32 {
    match op {
        b'*' | b'/' | b'%' => 5,
        b'+' | b'-' => 4,
        b'>' | b'<' | EQUAL | NEQU | GTE | LTE => 3,
        AND => 2,
        OR => 1,
        _ => 0,
    }
}

fn terminal(c: u8) -> bool {
    c == b')' || c == 0
}

struct Evaluator<'a> {
    s: &'a [u8],
    regs: &'a mut Registers,
    err: Status,
    depth: usize,
}

impl Evaluator<'_> {
    fn skip_space(&self, mut i: usize) -> usize {
        while super::token::is_space(at(self.s, i)) {
            i += 1;
        }
        i
    }

    fn calc(&mut self, x: i64, y: i64, op: u8) -> i64 {
        let ok = self.err == Status::Ok;
        match op {
            b'+' => {
                let over = if x > 0 {
                    y > 0 && x > i64::MAX - y
                } else {
                    y < 0 && x < i64::MIN - y
                };
                if ok && over {
                    self.err = Status::Overflow;
                }
                x.wrapping_add(y)
            }
            b'-' => {
                let over = if x > 0 {
                    y < 0 && x > i64::MAX + y
                } else {
                    y > 0 && x < i64::MIN + y
                };
                if ok && over {
                    self.err = Status::Overflow;
                }
                x.wrapping_sub(y)
            }
            b'/' | b'%' => {
                if y == 0 {
                    self.err = Status::DivZero;
                    0
                } else if op == b'/' {
                    x.wrapping_div(y)
                } else {
                    x.wrapping_rem(y)
                }
            }
            b'*' => {
                if ok && x != 0 && y != 0 && x != -1 && y != -1 {
                    let over = if (x > 0) == (y > 0) {
                        i64::MAX / y / x == 0
                    } else {
                        i64::MIN / y / x == 0
                    };
                    if over {
                        self.err = Status::Overflow;
                    }
                }
                x.wrapping_mul(y)
            }
            AND => (x != 0 && y != 0) as i64,
            OR => (x != 0 || y != 0) as i64,
            EQUAL => (x == y) as i64,
            NEQU => (x != y) as i64,
            b'<' => (x < y) as i64,
            b'>' => (x > y) as i64,
            LTE => (x <= y) as i64,
            GTE => (x >= y) as i64,
            IDENT => y,
            _ => {
                self.err = Status::Bad;
                0
            }
        }
    }

    fn getop(&self, mut i: usize) -> (usize, u8) {
        let ch = at(self.s, i);
        i += 1;
        let mut op = UNSET;
        match ch {
            b'&' | b'|' | b'=' | b'!' => {
                let next = at(self.s, i);
                i += 1;
                let want = if ch == b'!' { b'=' } else { ch };
                if next == want {
                    op = match ch {
                        b'&' => AND,
                        b'|' => OR,
                        b'=' => EQUAL,
                        _ => NEQU,
                    };
                }
            }
            b'<' | b'>' => {
                if at(self.s, i) == b'=' {
                    i += 1;
                    op = if ch == b'<' { LTE } else { GTE };
                } else {
                    op = ch;
                }
            }
            _ => op = ch,
        }
        (i, op)
    }

    fn getreg(&mut self, i: usize, reg: usize) -> (usize, i64) {
        let i = self.skip_space(i);
        if at(self.s, i) == b'=' && at(self.s, i + 1) != b'=' {
            let (i, v) = self.eval(-1, 0, IDENT, i + 1);
            self.regs.values[reg] = v;
            (i, v)
        } else {
            (i, self.regs.values[reg])
        }
    }

    fn getval(&mut self, i: usize) -> (usize, i64) {
        if self.depth > MAX_DEPTH {
            self.err = Status::Bad;
            return (self.s.len(), 0);
        }
        self.depth += 1;
        let r = self.getval_inner(i);
        self.depth -= 1;
        r
    }

    fn getval_inner(&mut self, i: usize) -> (usize, i64) {
        let mut i = self.skip_space(i);
        let c = at(self.s, i);
        match c {
            b'(' => {
                let (j, v) = self.eval(-1, 0, IDENT, i + 1);
                if at(self.s, j) != b')' {
                    self.err = Status::Bad;
                }
                (j + 1, v)
            }
            b'-' => {
                let (j, v) = self.getval(i + 1);
                (j, v.wrapping_neg())
            }
            b'!' => {
                let (j, v) = self.getval(i + 1);
                (j, (v == 0) as i64)
            }
            b'+' => self.getval(i + 1),
            _ if c.is_ascii_alphabetic() => {
                self.getreg(i + 1, (c.to_ascii_uppercase() - b'A') as usize)
            }
            _ => {
                let start = i;
                let mut v: i64 = 0;
                while at(self.s, i).is_ascii_digit() {
                    // sscanf("%ld") saturates like strtol.
                    v = v
                        .saturating_mul(10)
                        .saturating_add(i64::from(at(self.s, i) - b'0'));
                    i += 1;
                }
                if i == start {
                    self.err = Status::Bad;
                }
                (i, v)
            }
        }
    }

    fn eval(&mut self, prev_prec: i32, val1: i64, oper1: u8, i: usize) -> (usize, i64) {
        let (i, val2) = self.getval(i);
        let i = self.skip_space(i);
        if terminal(at(self.s, i)) {
            return (i, self.calc(val1, val2, oper1));
        }
        let (i, oper2) = self.getop(i);
        self.regs.save_oper = 0;
        let prec1 = precedence(oper1);
        let prec2 = precedence(oper2);
        if prec1 >= prec2 {
            if prec2 >= prev_prec || prec1 <= prev_prec {
                let v = self.calc(val1, val2, oper1);
                self.eval(prec1, v, oper2, i)
            } else {
                let v = self.calc(val1, val2, oper1);
                self.regs.save_oper = oper2;
                (i, v)
            }
        } else {
            let (mut i, result2) = self.eval(prec1, val2, oper2, i);
            let mut result = self.calc(val1, result2, oper1);
            let saved = self.regs.save_oper;
            if saved != 0 && precedence(saved) >= prev_prec {
                (i, result) = self.eval(prec2, result, saved, i);
                self.regs.save_oper = 0;
            }
            (i, result)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(s: &str) -> Result<i64, ExprError> {
        eval(s, &mut Registers::new())
    }

    #[test]
    fn arithmetic_and_precedence() {
        assert_eq!(ev("1+2*3"), Ok(7));
        assert_eq!(ev("(1+2)*3"), Ok(9));
        assert_eq!(ev("7/2"), Ok(3));
        assert_eq!(ev("-7/2"), Ok(-3));
        assert_eq!(ev("-7%3"), Ok(-1));
        assert_eq!(ev("3--2"), Ok(5));
        assert_eq!(ev("2>1 && 3<=3"), Ok(1));
        assert_eq!(ev("0||0"), Ok(0));
        assert_eq!(ev("!0"), Ok(1));
        assert_eq!(ev("8000==8000"), Ok(1));
        assert_eq!(ev("1/0"), Err(ExprError::DivZero));
        assert_eq!(ev("1+"), Err(ExprError::Bad));
        assert_eq!(ev("(1"), Err(ExprError::Bad));
        assert_eq!(ev("1 2"), Err(ExprError::Bad));
    }

    #[test]
    fn registers() {
        let mut r = Registers::new();
        r.set('W', 3);
        r.set('S', 2);
        assert_eq!(eval("(W*W-1)/S", &mut r), Ok(4));
        assert_eq!(eval("x=5", &mut r), Ok(5));
        assert_eq!(r.get('x'), 5);
        assert_eq!(eval("X*2", &mut r), Ok(10));
    }

    #[test]
    fn overflow_is_flagged() {
        let mut r = Registers::new();
        assert_eq!(
            eval_expr(b"9223372036854775807+1", &mut r).1,
            Status::Overflow
        );
    }
}
