//! Pass 1 (`expand`/`trav2` in asm.c): collects labels, expands EQU text,
//! unrolls FOR/ROF, evaluates `;assert`, and writes one text line per
//! instruction or pseudo-op, with known labels already replaced by numbers.
//!
//! This is text substitution, token by token, exactly as pMARS does it: an
//! EQU's text is pasted unparenthesised, spaces between non-identifiers are
//! dropped, and labels defined later are left for pass 2.

use std::rc::Rc;

use super::diagnostic::Kind as D;
use super::expr::{Status, eval_expr};
use super::state::{Asm, Cursor, GRP_MAX, Line, MAX_DEPTH, MAX_WORK, RefKind, concat};
use super::token::{Kind, at, get_token, is_space};
use super::{END_OP, OP_NUM, op_index};

// trav2's results and contexts (`wdecl`), ordered as pMARS compares them.
pub(crate) const SERR: i8 = -1;
const SNIL: i8 = 0;
const SLBL: i8 = 1;
const SVAL: i8 = 2;
pub(crate) const SCOM: i8 = 3;
const SPSE: i8 = 4;
const SFOR: i8 = 5;
pub(crate) const SROF: i8 = 6;

impl Asm<'_> {
    /// Runs pass 1 over `lines`; the result is left in `self.out`.
    pub fn expand(&mut self, lines: Rc<Vec<Line>>) {
        self.out.clear();
        self.vcont = true;
        self.skip = 0;
        self.aline = Cursor {
            list: lines,
            idx: 0,
        };
        while self.vcont && !self.aborted {
            let Some(text) = self.aline.current().map(|l| l.text.clone()) else {
                break;
            };
            let mut dest = Vec::new();
            match self.trav2(&text, &mut dest, SNIL) {
                SCOM => self.emit(&dest),
                SROF => self.err(D::UnopenedFor, b""),
                _ => {}
            }
            self.aline.idx += 1;
        }
    }

    /// Adds a finished line to the output; a pending `;break` is used up.
    fn emit(&mut self, dest: &[u8]) {
        let src = self.aline.src();
        self.add_line(dest, src);
        if self.dbginfo == 3 {
            self.dbginfo = 0;
        }
    }

    /// `trav2`: processes the tokens of `buffer` in context `wdecl`,
    /// appending the substituted text to `dest`.
    pub(crate) fn trav2(&mut self, buffer: &[u8], dest: &mut Vec<u8>, wdecl: i8) -> i8 {
        if self.aborted {
            return SERR;
        }
        if self.depth > MAX_DEPTH {
            self.err(D::BufferOverflow, b"");
            return SERR;
        }
        self.depth += 1;
        let r = self.trav2_inner(buffer, dest, wdecl);
        self.depth -= 1;
        r
    }

    fn trav2_inner(&mut self, buffer: &[u8], dest: &mut Vec<u8>, wdecl: i8) -> i8 {
        let (kind, token, idxp) = get_token(buffer, 0);
        let rest = &buffer[idxp.min(buffer.len())..];
        match kind {
            Kind::None => wdecl,
            Kind::Comment => {
                if wdecl == SNIL && self.skip == 0 {
                    self.comment_switch(buffer, idxp, dest);
                }
                wdecl
            }
            Kind::Char => self.identifier(buffer, token, idxp, dest, wdecl),
            _ => {
                if self.skip != 0 {
                    SNIL
                } else if wdecl <= SLBL {
                    self.err(D::Token, &token);
                    SERR
                } else if concat(dest, &token) {
                    self.trav2(rest, dest, wdecl)
                } else {
                    self.err(D::BufferOverflow, b"");
                    SERR
                }
            }
        }
    }

    /// `;assert expr` is checked now; `;debug`, `;trace`, `;break` switch
    /// the debug flags.
    fn comment_switch(&mut self, buffer: &[u8], idxp: usize, dest: &mut Vec<u8>) {
        let (_, word, idx) = get_token(buffer, idxp);
        if word.eq_ignore_ascii_case(b"ASSERT") {
            self.trav2(&buffer[idx.min(buffer.len())..], dest, SVAL);
            let (value, status) = eval_expr(dest, &mut self.regs);
            match status {
                Status::Bad | Status::DivZero => self.err(D::InvalidAssert, b""),
                Status::Ok | Status::Overflow => {
                    if status == Status::Overflow {
                        self.err(D::Overflow, b"");
                    }
                    self.noassert = false;
                    if value == 0 {
                        self.err(D::AssertionFails, b"");
                    }
                }
            }
        } else {
            self.lineswitch(buffer, idxp);
        }
    }

    /// `lineswitch`: `;debug [off|static]`, `;trace [off]`, `;break`.
    pub(crate) fn lineswitch(&mut self, s: &[u8], idx: usize) {
        let (_, word, i) = get_token(s, idx);
        let (_, arg, _) = get_token(s, i);
        let upper = arg.to_ascii_uppercase();
        match word.to_ascii_uppercase().as_slice() {
            b"DEBUG" => {
                self.dbgproceed = upper != b"OFF";
                if self.dbgproceed && upper != b"STATIC" && !arg.is_empty() {
                    self.err(D::ExtraTokens, s);
                }
            }
            b"TRACE" if self.dbgproceed => {
                self.dbginfo = u8::from(upper != b"OFF");
                if self.dbginfo != 0 && !arg.is_empty() {
                    self.err(D::ExtraTokens, s);
                }
            }
            b"BREAK" if self.dbgproceed => {
                self.dbginfo = 2;
                if !arg.is_empty() {
                    self.err(D::ExtraTokens, s);
                }
            }
            _ => {}
        }
    }

    fn identifier(
        &mut self,
        buffer: &[u8],
        token: Vec<u8>,
        idxp: usize,
        dest: &mut Vec<u8>,
        wdecl: i8,
    ) -> i8 {
        let upper = token.to_ascii_uppercase();
        let rest = &buffer[idxp.min(buffer.len())..];
        let skipping = self.skip != 0;
        match upper.as_slice() {
            b"ROF" => {
                if skipping {
                    self.skip -= 1;
                } else if wdecl <= SLBL {
                    return SROF;
                } else {
                    self.err(D::ImproperPlacement, &token);
                }
                return SERR;
            }
            b"FOR" => {
                if skipping {
                    self.skip = self.skip.wrapping_add(1);
                } else if wdecl <= SLBL {
                    return self.blkfor(rest, dest);
                } else {
                    self.err(D::ImproperPlacement, &token);
                }
                return SERR;
            }
            _ => {}
        }
        if token == b"CURLINE" {
            if skipping {
                return SNIL;
            }
            if wdecl > SLBL {
                let mut s = self.line.to_string().into_bytes();
                if is_space(at(rest, 0)) {
                    s.push(b' ');
                }
                if concat(dest, &s) {
                    return self.trav2(rest, dest, wdecl);
                }
                self.err(D::BufferOverflow, b"");
            } else {
                self.err(D::Misc, b"CURLINE is a reserved keyword");
            }
            return SERR;
        }
        if upper == b"EQU" {
            if skipping {
                return SNIL;
            }
            if wdecl <= SLBL {
                return self.equtbl(rest);
            }
            self.err(D::ImproperPlacement, &token);
            return SERR;
        }
        if let Some(op) = op_index(&upper) {
            if skipping {
                return SNIL;
            }
            if wdecl > SLBL {
                self.err(D::ImproperPlacement, &token);
                return SERR;
            }
            return self.statement(buffer, upper, idxp, op, dest);
        }
        if skipping {
            return self.trav2(rest, dest, SNIL);
        }
        self.symbol(buffer, token, idxp, dest, wdecl)
    }

    /// An opcode or pseudo-opcode: copy it (with what sticks to it, such as
    /// `.AB`), expand its operands, then give the pending labels its address.
    fn statement(
        &mut self,
        buffer: &[u8],
        mut word: Vec<u8>,
        mut i: usize,
        op: u8,
        dest: &mut Vec<u8>,
    ) -> i8 {
        while at(buffer, i) != 0 && !is_space(at(buffer, i)) {
            word.push(at(buffer, i));
            i += 1;
        }
        if is_space(at(buffer, i)) {
            word.push(b' ');
        }
        if !concat(dest, &word) {
            self.err(D::BufferOverflow, b"");
            return SERR;
        }
        let ctx = if op < OP_NUM { SVAL } else { SPSE };
        if self.trav2(&buffer[i.min(buffer.len())..], dest, ctx) == SERR {
            return SERR;
        }
        if !self.symtbl.is_empty() {
            let names = std::mem::take(&mut self.symtbl);
            self.new_ref(names, RefKind::Label, self.line);
        }
        if op < OP_NUM {
            self.line = self.line.wrapping_add(1);
            if self.dbginfo == 2 {
                self.dbginfo = 3;
            }
        } else if op == END_OP {
            self.vcont = false;
        }
        SCOM
    }

    /// Any other identifier: `&` concatenation with FOR counters, then a
    /// symbol's value or text, a new label, or text left for pass 2.
    fn symbol(
        &mut self,
        buffer: &[u8],
        mut token: Vec<u8>,
        mut i: usize,
        dest: &mut Vec<u8>,
        wdecl: i8,
    ) -> i8 {
        let mut ok = true;
        while at(buffer, i) == b'&' && at(buffer, i + 1).is_ascii_alphabetic() {
            let (kind, part, next) = get_token(buffer, i + 1);
            i = next;
            if kind != Kind::Char || !ok {
                break;
            }
            match self.lookup(&part).map(|r| &self.refs[r]) {
                Some(r) if r.kind == RefKind::Stack => {
                    let digits = format!("{:02}", r.value);
                    if !concat(&mut token, digits.as_bytes()) {
                        self.err(D::BufferOverflow, b"");
                    }
                }
                _ => {
                    self.err(D::BadConcat, &part);
                    ok = false;
                }
            }
        }
        let rest = &buffer[i.min(buffer.len())..];
        if let Some(r) = self.lookup(&token) {
            let (kind, value, visit) = (self.refs[r].kind, self.refs[r].value, self.refs[r].visit);
            if kind == RefKind::Text {
                if visit {
                    self.err(D::Recursive, &token);
                    return SERR;
                }
                return self.equsub(rest, dest, wdecl, r);
            }
            if wdecl <= SLBL {
                self.err(D::Redefinition, &token);
                return SERR;
            }
            let mut s = if kind == RefKind::Stack {
                format!("{value:02}")
            } else if wdecl == SPSE {
                value.to_string()
            } else {
                (i32::from(value) - i32::from(self.line)).to_string()
            }
            .into_bytes();
            if is_space(at(rest, 0)) {
                s.push(b' ');
            }
            if concat(dest, &s) {
                return self.trav2(rest, dest, wdecl);
            }
            self.err(D::BufferOverflow, b"");
            return SERR;
        }
        if wdecl <= SLBL {
            if self.symtbl.len() < GRP_MAX {
                self.symtbl.push(token);
            } else {
                self.err(D::TooManyLabels, &token);
            }
            let rest = if at(rest, 0) == b':' {
                &rest[1..]
            } else {
                rest
            };
            return self.trav2(rest, dest, SLBL);
        }
        if is_space(at(rest, 0)) {
            concat(&mut token, b" ");
        }
        if concat(dest, &token) {
            return self.trav2(rest, dest, wdecl);
        }
        self.err(D::BufferOverflow, b"");
        SERR
    }

    /// `blkfor`: `[label] [counter] FOR count` ... `ROF`.
    fn blkfor(&mut self, expr: &[u8], dest: &mut Vec<u8>) -> i8 {
        let counter = self.symtbl.pop();
        if counter.is_some() {
            if !self.symtbl.is_empty() {
                let names = std::mem::take(&mut self.symtbl);
                self.new_ref(names, RefKind::Label, self.line);
            }
            self.symtbl.clear();
        }
        dest.clear();
        self.trav2(expr, dest, SVAL);
        let (count, status) = eval_expr(dest, &mut self.regs);
        match status {
            Status::Bad => self.err(D::BadExpression, b""),
            Status::DivZero => self.err(D::DivisionByZero, b""),
            Status::Ok | Status::Overflow => {
                if status == Status::Overflow {
                    self.err(D::Overflow, b"");
                }
                if count <= 0 {
                    self.skip = self.skip.wrapping_add(1);
                } else {
                    self.unroll(counter, count as u16, dest);
                }
            }
        }
        SFOR
    }

    fn unroll(&mut self, counter: Option<Vec<u8>>, count: u16, dest: &mut Vec<u8>) {
        let r = self.new_ref(counter.into_iter().collect(), RefKind::Stack, 1);
        self.refs[r].visit = true;
        let start = self.aline.clone();
        while self.vcont && self.refs.get(r).is_some_and(|e| e.value <= count) {
            self.aline = start.clone();
            while self.vcont {
                if !self.aline.has_next() {
                    self.err_global(D::UnclosedRof, b"");
                    self.vcont = false;
                    break;
                }
                self.aline.idx += 1;
                self.work += 1;
                if self.work > MAX_WORK || self.aborted {
                    self.err_global(D::TooMuchCode, b"");
                    self.vcont = false;
                    break;
                }
                let text = self
                    .aline
                    .current()
                    .map(|l| l.text.clone())
                    .unwrap_or_default();
                dest.clear();
                match self.trav2(&text, dest, SNIL) {
                    SROF => break,
                    SCOM => self.emit(dest),
                    _ => {}
                }
            }
            if let Some(e) = self.refs.get_mut(r) {
                e.value = e.value.wrapping_add(1);
            }
        }
        if let Some(p) = self.refs.iter().rposition(|e| e.kind == RefKind::Stack) {
            self.refs.remove(p);
        }
    }

    /// `equtbl`: `labels EQU text`, continued by following lines that start
    /// with `EQU`.
    fn equtbl(&mut self, expr: &[u8]) -> i8 {
        if self.symtbl.is_empty() {
            self.err(D::AppendToUndefined, b"");
            return SVAL;
        }
        let names = std::mem::take(&mut self.symtbl);
        let mut lines = vec![Line {
            text: expr.to_vec(),
            src: self.aline.src(),
            dbg: false,
        }];
        while self.aline.has_next() {
            let next = self.aline.list[self.aline.idx + 1].clone();
            let (kind, word, i) = get_token(&next.text, 0);
            if word.eq_ignore_ascii_case(b"EQU") {
                self.aline.idx += 1;
                lines.push(Line {
                    text: next.text[i.min(next.text.len())..].to_vec(),
                    src: next.src.clone(),
                    dbg: false,
                });
            } else if kind == Kind::Comment {
                self.aline.idx += 1;
                self.lineswitch(&next.text, i);
            } else {
                break;
            }
        }
        let r = self.new_ref(names, RefKind::Text, 0);
        self.refs[r].lines = Rc::new(lines);
        SVAL
    }

    /// `equsub`: pastes EQU `r`'s text; all but its last line become lines
    /// of their own, the last continues with the rest of this line.
    fn equsub(&mut self, expr: &[u8], dest: &mut Vec<u8>, wdecl: i8, r: usize) -> i8 {
        self.refs[r].visit = true;
        let saved = self.aline.clone();
        self.aline = Cursor {
            list: Rc::clone(&self.refs[r].lines),
            idx: 0,
        };
        let first = self
            .aline
            .current()
            .map(|l| l.text.clone())
            .unwrap_or_default();
        let mut w = self.trav2(&first, dest, wdecl);
        while self.aline.has_next() && self.vcont {
            if self.skip == 0 && w == SCOM {
                self.emit(dest);
            }
            self.aline.idx += 1;
            dest.clear();
            let text = self
                .aline
                .current()
                .map(|l| l.text.clone())
                .unwrap_or_default();
            w = self.trav2(&text, dest, SNIL);
        }
        self.aline = saved;
        if is_space(at(expr, 0)) {
            concat(dest, b" ");
        }
        if let Some(e) = self.refs.get_mut(r) {
            e.visit = false;
        }
        self.trav2(expr, dest, w)
    }
}
