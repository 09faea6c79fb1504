//! The assembler's working state: what asm.c keeps in static variables
//! (line lists, the symbol table, counters, collected diagnostics).

use std::rc::Rc;

use super::diagnostic::{self, Diagnostic, Kind, Severity};
use super::expr::Registers;
use crate::corewar::Settings;

/// A physical source line as error messages quote it.
#[derive(Debug)]
pub(crate) struct Src {
    pub text: String,
    /// pMARS's logical line number (a `uShrt`).
    pub loc: u16,
}

/// One line of Redcode text at some stage of assembly.
#[derive(Clone, Debug)]
pub(crate) struct Line {
    pub text: Vec<u8>,
    /// `None` only for the predefined constants, which pMARS gives no
    /// source (an error there is its "logic error" exit).
    pub src: Option<Rc<Src>>,
    /// pMARS's `dbginfo`: listed with a `T` (from `;trace`/`;break`).
    pub dbg: bool,
}

/// A position in a list of lines (pMARS's `aline`), which may be the
/// program or the text of a multi-line EQU.
#[derive(Clone, Debug)]
pub(crate) struct Cursor {
    pub list: Rc<Vec<Line>>,
    pub idx: usize,
}

impl Cursor {
    pub fn current(&self) -> Option<&Line> {
        self.list.get(self.idx)
    }

    pub fn has_next(&self) -> bool {
        self.idx + 1 < self.list.len()
    }

    pub fn src(&self) -> Option<Rc<Src>> {
        self.current().and_then(|l| l.src.clone())
    }
}

/// What a symbol stands for (`RType`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum RefKind {
    /// EQU text, substituted as text.
    Text,
    /// A FOR counter.
    Stack,
    /// An instruction address.
    Label,
}

/// One entry of the symbol table: a group of names sharing a meaning.
#[derive(Debug)]
pub(crate) struct Ref {
    pub names: Vec<Vec<u8>>,
    pub kind: RefKind,
    pub value: u16,
    /// Set while the symbol is being expanded, to catch recursion.
    pub visit: bool,
    pub lines: Rc<Vec<Line>>,
}

/// pMARS's maximum number of instructions after expansion (`MAXINSTR`).
pub(crate) const MAX_INSTR: u16 = 1000;
/// `MAXALLCHAR`: text buffers hold at most 255 bytes.
pub(crate) const MAX_ALL_CHAR: usize = 256;
/// Labels one declaration may carry (`GRPMAX`).
pub(crate) const GRP_MAX: usize = 7;
/// Bound on nested expansion, far above anything a 255-byte line needs;
/// hitting it is reported as pMARS's "Buffer overflow" instead of
/// exhausting the stack on hostile input.
pub(crate) const MAX_DEPTH: usize = 600;
/// Bound on lines visited by FOR loops, so hostile input (FOR 65535 nested)
/// ends; reported as pMARS's "exceed the limit" error.
pub(crate) const MAX_WORK: u64 = 2_000_000;

pub(crate) struct Asm<'s> {
    pub settings: &'s Settings,
    pub regs: Registers,
    /// Symbol table, newest last (pMARS searches newest first).
    pub refs: Vec<Ref>,
    /// Labels waiting for the line they belong to, newest last.
    pub symtbl: Vec<Vec<u8>>,
    /// Output of the current pass.
    pub out: Vec<Line>,
    pub aline: Cursor,
    /// Instructions so far (pMARS's `line`, a `uShrt`).
    pub line: u16,
    /// Pass 1: depth of FOR blocks being skipped (`statefine`, a `uChar`).
    pub skip: u8,
    /// False once END or an unclosed FOR stops the expansion.
    pub vcont: bool,
    pub dbginfo: u8,
    pub dbgproceed: bool,
    pub noassert: bool,
    pub diagnostics: Vec<Diagnostic>,
    pub errnum: u8,
    keep: Vec<(u16, Kind)>,
    pub aborted: bool,
    /// Set by any message during one pass-2 line (pMARS's `errorcode`).
    pub line_error: bool,
    pub depth: usize,
    pub work: u64,
}

impl<'s> Asm<'s> {
    pub fn new(settings: &'s Settings) -> Self {
        Asm {
            settings,
            regs: Registers::new(),
            refs: Vec::new(),
            symtbl: Vec::new(),
            out: Vec::new(),
            aline: Cursor {
                list: Rc::new(Vec::new()),
                idx: 0,
            },
            line: 0,
            skip: 0,
            vcont: true,
            dbginfo: 0,
            dbgproceed: true,
            noassert: true,
            diagnostics: Vec::new(),
            errnum: 0,
            keep: Vec::new(),
            aborted: false,
            line_error: false,
            depth: 0,
            work: 0,
        }
    }

    /// Records a message about the current line.
    pub fn err(&mut self, kind: Kind, arg: &[u8]) {
        if self.aline.current().is_some_and(|l| l.src.is_none()) {
            // pMARS dereferences a missing source here and stops with
            // "Error in asm.c. Line: 842".
            self.report(Kind::Internal, None, b"");
            self.aborted = true;
            return;
        }
        let src = self.aline.src();
        self.report(kind, src.as_deref(), arg);
    }

    /// Records a message about the whole warrior.
    pub fn err_global(&mut self, kind: Kind, arg: &[u8]) {
        self.report(kind, None, arg);
    }

    /// `errprn`: records a message; after pMARS's ninth distinct per-line
    /// message it would exit, so everything after is dropped.
    pub fn report(&mut self, kind: Kind, src: Option<&Src>, arg: &[u8]) {
        self.line_error = true;
        if self.aborted {
            return;
        }
        let severity = kind.severity();
        if severity == Severity::Error {
            self.errnum = self.errnum.wrapping_add(1);
        }
        let message = kind.message(&String::from_utf8_lossy(arg));
        if let Some(s) = src
            && !self.keep.contains(&(s.loc, kind))
        {
            self.keep.push((s.loc, kind));
        }
        self.diagnostics.push(Diagnostic {
            severity,
            kind,
            line: src.map(|s| u32::from(s.loc)),
            source: src.map(|s| s.text.clone()),
            message,
        });
        if self.keep.len() >= diagnostic::ERR_MAX {
            self.aborted = true;
        }
    }

    /// Newest symbol-table entry with this name.
    pub fn lookup(&self, name: &[u8]) -> Option<usize> {
        self.refs
            .iter()
            .rposition(|r| r.names.iter().any(|n| n == name))
    }

    /// Adds a symbol-table entry.
    pub fn new_ref(&mut self, names: Vec<Vec<u8>>, kind: RefKind, value: u16) -> usize {
        self.refs.push(Ref {
            names,
            kind,
            value,
            visit: false,
            lines: Rc::new(Vec::new()),
        });
        self.refs.len() - 1
    }

    /// pMARS's predefined constants: EQU texts holding numbers.
    pub fn add_predefs(&mut self) {
        let s = self.settings;
        let predefs: [(&str, u32); 9] = [
            ("CORESIZE", s.core_size),
            ("MAXPROCESSES", s.max_processes),
            ("MAXCYCLES", s.max_cycles as u32),
            ("MAXLENGTH", s.max_length),
            ("MINDISTANCE", s.min_distance),
            ("VERSION", super::PMARS_VERSION),
            ("WARRIORS", s.warriors),
            ("ROUNDS", s.rounds),
            ("PSPACESIZE", s.pspace_size),
        ];
        for (name, value) in predefs {
            let idx = self.new_ref(vec![name.as_bytes().to_vec()], RefKind::Text, 0);
            self.refs[idx].lines = Rc::new(vec![Line {
                text: value.to_string().into_bytes(),
                src: None,
                dbg: false,
            }]);
        }
    }

    /// Appends a line to this pass's output (`addline`).
    pub fn add_line(&mut self, text: &[u8], src: Option<Rc<Src>>) {
        self.out.push(Line {
            text: text.to_vec(),
            src,
            dbg: self.dbginfo != 0,
        });
    }
}

/// pMARS's `concat`: appends `b` to `a` if the result fits a 256-byte C
/// buffer; says whether it did.
pub(crate) fn concat(a: &mut Vec<u8>, b: &[u8]) -> bool {
    if a.len() + b.len() < MAX_ALL_CHAR {
        a.extend_from_slice(b);
        true
    } else {
        false
    }
}
