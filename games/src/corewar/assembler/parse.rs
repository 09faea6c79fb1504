//! Pass 2 (`dfashell`/`automaton`/`encode` in asm.c): parses each expanded
//! line into opcode, modifier, modes and two expression strings, fills in
//! pMARS's defaults, evaluates the expressions and builds the instructions.

use std::rc::Rc;

use super::diagnostic::Kind as D;
use super::expr::{Status, eval_expr};
use super::state::{Asm, Cursor, MAX_DEPTH, MAX_INSTR, RefKind, concat};
use super::token::{Kind, addr_index, get_token};
use super::{OP_NAMES, OP_NUM, ORG_OP, PIN_OP, op_index};
use crate::corewar::{Instruction, Mode, Modifier, Opcode};

/// The parser's states (`stateCol`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    Op,
    ModAddrExp,
    Modf,
    AddrExpA,
    ExpFs,
    AddrExpB,
    Expr,
}

// Opcode indices that pass 2 treats specially.
const MOV: u8 = 0;
const ADD: u8 = 1;
const SUB: u8 = 2;
const MUL: u8 = 3;
const DIV: u8 = 4;
const MOD: u8 = 5;
const JMZ: u8 = 6;
const JMN: u8 = 7;
const DJN: u8 = 8;
const CMP: u8 = 9;
const SLT: u8 = 10;
const SPL: u8 = 11;
const DAT: u8 = 12;
const JMP: u8 = 13;
const SEQ: u8 = 14;
const SNE: u8 = 15;
const NOP: u8 = 16;
const LDP: u8 = 17;
const STP: u8 = 18;

// Raw mode codes as pMARS stores them.
const IMMEDIATE: u8 = 0;
const DIRECT: u8 = 1;
const PREDECR: u8 = 3;
const POSTINC: u8 = 4;
/// "Modifier not given" (`MODNUM`).
const NO_MODIFIER: u8 = 7;

/// One line's parse (the globals `automaton` fills).
struct Parsed {
    state: State,
    fine: bool,
    opcode: u8,
    modifier: u8,
    a_mode: u8,
    b_mode: u8,
    a_expr: Vec<u8>,
    b_expr: Vec<u8>,
}

/// The result of pass 2.
pub(crate) struct Encoded {
    pub code: Vec<Instruction>,
    pub debug: Vec<bool>,
    pub start: i64,
    pub pin: Option<i64>,
}

impl Asm<'_> {
    /// `encode`: pass 2 over `self.out`, which holds `count` instructions.
    pub fn encode(&mut self) -> Encoded {
        let count = self.line;
        let mut enc = Encoded {
            code: Vec::new(),
            debug: Vec::new(),
            start: 0,
            pin: None,
        };
        if count > MAX_INSTR {
            self.err_global(D::TooMuchCode, b"");
            return enc;
        }
        let limit = self.settings.max_length;
        if u32::from(count) > limit {
            let more = i64::from(count) - i64::from(limit);
            self.err_global(D::TooManyInstructions, more.to_string().as_bytes());
        }
        if count == 0 {
            self.err_global(D::NoInstructions, b"");
            return enc;
        }
        let lines = Rc::new(std::mem::take(&mut self.out));
        self.line = 0;
        for idx in 0..lines.len() {
            if self.aborted {
                break;
            }
            self.aline = Cursor {
                list: Rc::clone(&lines),
                idx,
            };
            let line = &lines[idx];
            let p = self.dfashell(&line.text);
            if self.errnum == 0 {
                self.evaluate(p, line.dbg, &mut enc);
            }
        }
        if enc.start < 0 || enc.start >= i64::from(count) {
            self.err_global(D::BadOffset, b"");
        }
        enc
    }

    fn eval_field(&mut self, text: &[u8]) -> Option<(i64, bool)> {
        let (v, status) = eval_expr(text, &mut self.regs);
        match status {
            Status::DivZero => self.err(D::DivisionByZero, b""),
            Status::Bad => self.err(D::BadExpression, b""),
            Status::Ok | Status::Overflow => return Some((v, status == Status::Overflow)),
        }
        None
    }

    fn evaluate(&mut self, mut p: Parsed, dbg: bool, enc: &mut Encoded) {
        if p.a_expr.is_empty() {
            p.a_expr = b"0".to_vec();
        }
        if p.b_expr.is_empty() {
            p.b_expr = b"0".to_vec();
        }
        let core = i64::from(self.settings.core_size.max(1));
        if p.opcode >= OP_NUM {
            let Some((v, over)) = self.eval_field(&p.b_expr) else {
                return;
            };
            if over {
                self.err(D::Overflow, b"");
            }
            if (p.opcode == ORG_OP || p.opcode == PIN_OP) && self.settings.icws88 {
                self.err(D::Bad88Format, op_name(p.opcode));
            }
            if p.opcode == ORG_OP {
                enc.start = v.rem_euclid(core);
            } else if p.opcode == PIN_OP {
                enc.pin = Some(v);
            } else if v != 0 {
                if enc.start != 0 {
                    self.err(D::EndIgnored, b"");
                } else {
                    enc.start = v.rem_euclid(core);
                }
            }
            return;
        }
        let Some((a, over_a)) = self.eval_field(&p.a_expr) else {
            return;
        };
        let Some((b, over_b)) = self.eval_field(&p.b_expr) else {
            return;
        };
        if over_a || over_b {
            self.err(D::Overflow, b"");
        }
        let opcode = Opcode::ALL.get(usize::from(p.opcode)).copied();
        let modifier = Modifier::ALL.get(usize::from(p.modifier)).copied();
        if let (Some(opcode), Some(modifier)) = (opcode, modifier) {
            enc.code.push(Instruction {
                opcode,
                modifier,
                a_mode: mode(p.a_mode),
                a: a.rem_euclid(core) as u32,
                b_mode: mode(p.b_mode),
                b: b.rem_euclid(core) as u32,
            });
            enc.debug.push(dbg);
        }
        self.line = self.line.wrapping_add(1);
    }

    /// `dfashell`: parses one line and applies pMARS's defaults.
    fn dfashell(&mut self, text: &[u8]) -> Parsed {
        let mut p = Parsed {
            state: State::Op,
            fine: false,
            opcode: 0,
            modifier: NO_MODIFIER,
            a_mode: DIRECT,
            b_mode: DIRECT,
            a_expr: Vec::new(),
            b_expr: Vec::new(),
        };
        self.line_error = false;
        self.automaton(text, State::Op, &mut p);
        if p.opcode >= OP_NUM {
            return p;
        }
        let name = op_name(p.opcode);
        if !p.fine && !self.line_error {
            self.err(D::Syntax, name);
        } else if p.b_expr.is_empty() {
            match p.opcode {
                DAT => {
                    p.b_mode = p.a_mode;
                    p.b_expr = std::mem::replace(&mut p.a_expr, b"0".to_vec());
                    p.a_mode = IMMEDIATE;
                }
                SPL | JMP | NOP => {
                    p.b_mode = DIRECT;
                    p.b_expr = b"0".to_vec();
                }
                _ => self.err(D::IncompleteOperand, name),
            }
        }
        if self.settings.icws88 {
            self.check88(&p);
        }
        if p.modifier == NO_MODIFIER {
            p.modifier = default_modifier(p.opcode, p.a_mode, p.b_mode) as u8;
        }
        p
    }

    /// pMARS's `-8` restrictions.
    fn check88(&mut self, p: &Parsed) {
        let name = String::from_utf8_lossy(op_name(p.opcode)).into_owned();
        let (a, b) = (p.a_mode, p.b_mode);
        match p.opcode {
            DAT if (a != IMMEDIATE && a != PREDECR) || (b != IMMEDIATE && b != PREDECR) => {
                self.err(D::Invalid88, b"DAT [#<] [#<]");
            }
            MOV | ADD | SUB | CMP if b == IMMEDIATE => {
                self.err(D::Invalid88, format!("{name} [#$@<] [$@<]").as_bytes());
            }
            JMP | JMZ | JMN | DJN | SPL if a == IMMEDIATE => {
                self.err(D::Invalid88, format!("{name} [$@<] [#$@<]").as_bytes());
            }
            MUL | DIV | MOD | SEQ | SNE | NOP | LDP | STP => {
                self.err(D::Bad88Format, name.as_bytes());
            }
            _ => {}
        }
        if p.modifier != NO_MODIFIER {
            self.err(D::Bad88Format, b".");
        }
        if a == POSTINC || b == POSTINC {
            self.err(D::Bad88Format, b">");
        }
    }

    /// Reads a mode sigil; `* { }` are errors under `-8`.
    fn mode_code(&mut self, sigil: u8) -> u8 {
        let m = addr_index(sigil);
        if m > 4 {
            if self.settings.icws88 {
                self.err(D::Bad88Format, b"[*{}]");
                m
            } else {
                (m - 3) | 0x80
            }
        } else {
            m
        }
    }

    /// `automaton`: the recursive state machine over tokens.
    fn automaton(&mut self, expr: &[u8], state: State, p: &mut Parsed) {
        if self.depth > MAX_DEPTH {
            self.err(D::BufferOverflow, b"");
            return;
        }
        self.depth += 1;
        self.automaton_inner(expr, state, p);
        self.depth -= 1;
    }

    fn automaton_inner(&mut self, expr: &[u8], state: State, p: &mut Parsed) {
        p.state = state;
        let (kind, mut token, idx) = get_token(expr, 0);
        let rest = &expr[idx.min(expr.len())..];
        if !matches!(state, State::ExpFs | State::Expr) {
            p.fine = false;
        }
        match state {
            State::Op => {
                if kind != Kind::Char {
                    self.err(D::Missing, b"opcode");
                    return;
                }
                match op_index(&token.to_ascii_uppercase()) {
                    Some(op) if op < OP_NUM => {
                        p.opcode = op;
                        self.automaton(rest, State::ModAddrExp, p);
                    }
                    Some(op) => {
                        p.opcode = op;
                        self.automaton(rest, State::Expr, p);
                    }
                    None => {
                        // pMARS's LOGICERROR: cannot happen after pass 1.
                        self.err(D::Missing, b"opcode");
                    }
                }
            }
            State::ModAddrExp | State::AddrExpA | State::AddrExpB => match kind {
                Kind::Modifier if state == State::ModAddrExp => {
                    self.automaton(rest, State::Modf, p);
                }
                Kind::Addr => {
                    let m = self.mode_code(token[0]);
                    if state == State::AddrExpB {
                        p.b_mode = m;
                        self.automaton(rest, State::Expr, p);
                    } else {
                        p.a_mode = m;
                        self.automaton(rest, State::ExpFs, p);
                    }
                }
                Kind::Number | Kind::Expr => {
                    let next = if state == State::AddrExpB {
                        State::Expr
                    } else {
                        State::ExpFs
                    };
                    self.automaton(expr, next, p);
                }
                Kind::Char => self.operand_symbol(expr, &token, idx, state, p),
                Kind::None => {}
                _ => match state {
                    State::ModAddrExp => self.err(D::ImproperPlacement, &token),
                    State::AddrExpA => self.err(D::Missing, b"A-term"),
                    _ => self.err(D::Missing, b"B-term"),
                },
            },
            State::Modf => match kind {
                Kind::Char => {
                    let upper = token.to_ascii_uppercase();
                    match Modifier::from_name(&String::from_utf8_lossy(&upper)) {
                        Some(m) => {
                            p.modifier = m as u8;
                            self.automaton(rest, State::AddrExpA, p);
                        }
                        None => {
                            p.modifier = NO_MODIFIER;
                            self.err(D::Missing, b"modifier");
                        }
                    }
                }
                Kind::None => {}
                _ => self.err(D::Missing, b"modifier"),
            },
            State::ExpFs | State::Expr => match kind {
                Kind::FieldSep if state == State::ExpFs => {
                    self.automaton(rest, State::AddrExpB, p);
                }
                Kind::Addr => {
                    if !matches!(token[0], b'>' | b'<' | b'*') {
                        self.err(D::ImproperPlacement, &token);
                    } else {
                        self.append(&token, state, p);
                        self.automaton(rest, state, p);
                    }
                }
                Kind::Number | Kind::Expr => {
                    if kind == Kind::Number && !concat(&mut token, b" ") {
                        self.err(D::BufferOverflow, b"");
                    }
                    self.append(&token, state, p);
                    self.automaton(rest, state, p);
                }
                Kind::Char => self.operand_symbol(expr, &token, idx, state, p),
                Kind::None => {}
                _ => self.err(D::ImproperPlacement, &token),
            },
        }
    }

    /// Adds text to the A or B expression and notes that the field has one.
    fn append(&mut self, text: &[u8], state: State, p: &mut Parsed) {
        let target = if state == State::ExpFs {
            &mut p.a_expr
        } else {
            &mut p.b_expr
        };
        if !concat(target, text) {
            self.err(D::BufferOverflow, b"");
        }
        p.fine = true;
    }

    /// An identifier in an operand: EQU text, a label's offset, or a
    /// one-letter register.
    fn operand_symbol(
        &mut self,
        expr: &[u8],
        token: &[u8],
        idx: usize,
        state: State,
        p: &mut Parsed,
    ) {
        let rest = &expr[idx.min(expr.len())..];
        let Some(r) = self.lookup(token) else {
            if token.len() != 1 {
                self.err(D::UndefinedSymbol, token);
                return;
            }
            match state {
                State::ModAddrExp | State::AddrExpA => self.automaton(expr, State::ExpFs, p),
                State::AddrExpB => self.automaton(expr, State::Expr, p),
                _ => {
                    let target = if state == State::ExpFs {
                        &mut p.a_expr
                    } else {
                        &mut p.b_expr
                    };
                    if concat(target, token) {
                        p.fine = true;
                        self.automaton(rest, state, p);
                    } else {
                        self.err(D::BufferOverflow, b"");
                    }
                }
            }
            return;
        };
        if self.refs[r].visit {
            self.err(D::Recursive, token);
            return;
        }
        let text = if self.refs[r].kind == RefKind::Text {
            self.refs[r]
                .lines
                .first()
                .map(|l| l.text.clone())
                .unwrap_or_default()
        } else if state == State::Expr && p.opcode >= OP_NUM {
            self.refs[r].value.to_string().into_bytes()
        } else {
            (i32::from(self.refs[r].value) - i32::from(self.line))
                .to_string()
                .into_bytes()
        };
        self.refs[r].visit = true;
        self.automaton(&text, state, p);
        if let Some(e) = self.refs.get_mut(r) {
            e.visit = false;
        }
        let next = if state == State::Expr {
            State::Expr
        } else {
            p.state
        };
        self.automaton(rest, next, p);
    }
}

fn op_name(op: u8) -> &'static [u8] {
    OP_NAMES
        .get(usize::from(op))
        .map_or(b"".as_slice(), |s| s.as_bytes())
}

fn mode(code: u8) -> Mode {
    Mode::ALL
        .into_iter()
        .find(|m| m.code() == code)
        .unwrap_or(Mode::Direct)
}

/// The ICWS'94 default modifier, as pMARS picks it.
fn default_modifier(opcode: u8, a: u8, b: u8) -> Modifier {
    match opcode {
        DAT | NOP => Modifier::F,
        MOV | CMP | SEQ | SNE => {
            if a == IMMEDIATE {
                Modifier::AB
            } else if b == IMMEDIATE {
                Modifier::B
            } else {
                Modifier::I
            }
        }
        ADD | SUB | MUL | DIV | MOD => {
            if a == IMMEDIATE {
                Modifier::AB
            } else if b == IMMEDIATE {
                Modifier::B
            } else {
                Modifier::F
            }
        }
        LDP | STP | SLT => {
            if a == IMMEDIATE {
                Modifier::AB
            } else {
                Modifier::B
            }
        }
        _ => Modifier::B,
    }
}
